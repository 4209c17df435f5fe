#!/bin/sh
# Writes /usr/share/doc/iotoyd/copyright to standard output (plain text laid out like Debian's
# copyright format, without claiming its machine-readable Format:). Used by scripts/deb.sh:
#
#   packaging/copyright.sh PACKAGE_RESOLVED [CHECKOUTS_DIR]
#
# The binaries link the Swift runtime and every package of Package.resolved statically, so
# the file lists each with its version and license, as found in its checkout's LICENSE file
# (CHECKOUTS_DIR is SwiftPM's .build/checkouts): Apache-2.0 refers to Debian's copy in
# /usr/share/common-licenses, any other license is copied in full, and each NOTICE file is
# reproduced, as Apache-2.0 section 4(d) asks of a redistribution.
set -eu

resolved=$1 checkouts=${2:-}
# Without a Package.resolved (a tree never resolved), only the fixed part below is written.
[ -f "$resolved" ] || resolved=/dev/null

# The source tree has no LICENSE file (yet): say so instead of guessing a license.
cat <<'TEXT'
Upstream-Name: iotoyd
Upstream-Contact: iotoyd developers <iotoyd@localhost>
Comment: The iotoyd source tree states no license; until it does, the iotoyd code is
 the copyright of its authors and no license is granted beyond what they allow.
 The binaries link the Swift runtime and the Swift packages below statically.

Files: usr/bin/iotoyd usr/bin/iotoy
Copyright: the iotoyd developers
License: none-stated
 No license file accompanies the iotoyd sources.

Files: Swift runtime and Foundation (linked statically)
Copyright: Apple Inc. and the Swift project authors
License: Apache-2.0 with Runtime Library Exception
 On Debian systems the Apache License 2.0 is in /usr/share/common-licenses/Apache-2.0.
 Runtime Library Exception: as an exception, if you use this Software to compile your
 source code and portions of this Software are embedded into the binary product as a
 result, you may redistribute such product without providing attribution as would
 otherwise be required by Sections 4(a), 4(b) and 4(d) of the License.
TEXT

# Package.resolved (version 2 or 3): one pin per package, "identity", "location" and
# "version" on lines of their own. Printed as "identity location version".
pins() {
  sed -n -e 's/.*"identity" *: *"\([^"]*\)".*/I \1/p' \
         -e 's/.*"location" *: *"\([^"]*\)".*/L \1/p' \
         -e 's/.*"version" *: *"\([^"]*\)".*/V \1/p' "$resolved" |
    awk '$1 == "I" { id = $2 } $1 == "L" { loc = $2 } $1 == "V" { print id, loc, $2 }'
}

# The checkout directory of a package: SwiftPM names it after the URL's last component.
checkout_of() {
  [ -n "$checkouts" ] || return 1
  base=$(basename "$1" .git)
  [ -d "$checkouts/$base" ] && printf '%s\n' "$checkouts/$base"
}

# A text as a copyright-format field body: every line indented, empty lines as " .".
indent() { sed -e 's/[[:space:]]*$//' -e 's/^$/./' -e 's/^/ /'; }

pins | while read -r id location version; do
  printf '\nFiles: Swift package %s %s (%s)\n' "$id" "$version" "$location"
  dir=$(checkout_of "$location") || dir=""
  license=""
  if [ -n "$dir" ]; then
    for candidate in "$dir"/LICENSE* "$dir"/License* "$dir"/license* "$dir"/COPYING*; do
      if [ -f "$candidate" ]; then license=$(basename "$candidate"); break; fi
    done
  fi
  if [ -z "$license" ]; then
    printf 'Copyright: its authors\nLicense: see-upstream\n See %s for its license.\n' "$location"
  elif grep -q -m1 'Apache License' "$dir/$license" && grep -q -m1 'Version 2.0' "$dir/$license"; then
    printf 'Copyright: its authors (see the NOTICE section below, when it has one)\n'
    printf 'License: Apache-2.0\n On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.\n'
  else
    printf 'Copyright: its authors\nLicense: other\n'
    indent < "$dir/$license"
  fi
  # Licenses of code bundled inside the package (llhttp in swift-nio, ...), in full.
  if [ -n "$dir" ]; then
    find "$dir/Sources" -mindepth 2 -maxdepth 3 -type f \( -iname 'LICENSE*' -o -iname 'COPYING*' \) 2>/dev/null |
      sort | while read -r bundled; do
        printf '\nFiles: %s, bundled in Swift package %s\nCopyright: its authors\nLicense: other\n' \
          "${bundled#"$dir"/}" "$id"
        indent < "$bundled"
      done
  fi
done

# The NOTICE files, verbatim (they name the third-party code, such as BoringSSL, each
# package carries and its licenses).
if [ -n "$checkouts" ]; then
  for notice in "$checkouts"/*/NOTICE*; do
    [ -f "$notice" ] || continue
    printf '\nFiles: NOTICE of Swift package %s\nCopyright: see below\nLicense: Apache-2.0\n' \
      "$(basename "$(dirname "$notice")")"
    indent < "$notice"
  done
fi
