#!/usr/bin/env bash
# Builds the Debian package build/iotoyd_<version>_<arch>.deb: iotoyd and iotoy (Swift runtime
# linked statically, stripped), the sandboxed systemd unit, the udev rules, a starter board as
# the conffile /etc/iotoy/board.yaml, man pages made from --help, docs and the maintainer
# scripts of packaging/. Needs dpkg-dev, binutils and chrpath (scripts/install-deps.sh --deb).
#
#   scripts/deb.sh                                        # swift build -c release, then package
#   IOTOY_PREBUILT=/path/to/.build/release scripts/deb.sh  # package binaries built elsewhere
#
# IOTOY_VERSION overrides the version (default: `iotoyd --version`, plus +git<date>.<sha> of
# the commit in a git tree). SOURCE_DATE_EPOCH (default: the commit's time) dates the files,
# the changelog and the man pages, so the same commit packages the same way.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."

stage=build/deb-root
die() { echo "deb.sh: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps strip readelf ldd gzip; do
  command -v "$tool" >/dev/null || die "'$tool' is missing; run scripts/install-deps.sh --deb"
done

# --- The binaries --------------------------------------------------------------------------
if [ -n "${IOTOY_PREBUILT:-}" ]; then
  bindir=${IOTOY_PREBUILT%/}
  # Its build directory, taken lexically (.build/release is a symlink into a triple directory,
  # so "$bindir/.." would be the wrong one): its checkouts and Package.resolved name the
  # packages linked in, for the copyright file. Else this tree's own.
  builddir=$(dirname "$bindir")
  checkouts=$builddir/checkouts
  [ -d "$checkouts" ] || checkouts=.build/checkouts
  resolved=$(dirname "$builddir")/Package.resolved
  [ -f "$resolved" ] || resolved=Package.resolved
else
  # The shipped build's flags: the Swift runtime linked in (a Pi needs no toolchain), lld with
  # packed relative relocations, the functions it runs gathered (scripts/lib/release-build.sh).
  source scripts/lib/release-build.sh
  bindir=$(swift build "${release_flags[@]}" --show-bin-path)
  # Relinked every time: SwiftPM would keep a binary linked with an older link order.
  rm -f "$bindir/iotoyd" "$bindir/iotoy"
  swift build "${release_flags[@]}" --product iotoyd
  swift build "${release_flags[@]}" --product iotoy
  checkouts=.build/checkouts
  resolved=Package.resolved
fi
for binary in iotoyd iotoy; do
  [ -x "$bindir/$binary" ] || die "no executable $bindir/$binary"
done

# --- Version and dates ---------------------------------------------------------------------
ingit=""
git rev-parse --is-inside-work-tree >/dev/null 2>&1 && git rev-parse --verify -q HEAD >/dev/null && ingit=1
if [ -n "${IOTOY_VERSION:-}" ]; then
  version=$IOTOY_VERSION
else
  version=$("$bindir/iotoyd" --version)
  if [ -n "$ingit" ]; then
    # The commit's date (UTC) and short hash: 0.1.0+git20261127.1a2b3c4.
    version+="+git$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y%m%d).$(git rev-parse --short=7 HEAD)"
  fi
fi
[[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || die "'$version' is not a Debian upstream version"
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  if [ -n "$ingit" ]; then SOURCE_DATE_EPOCH=$(git log -1 --format=%ct); else SOURCE_DATE_EPOCH=$(date +%s); fi
fi
export SOURCE_DATE_EPOCH
arch=$(dpkg --print-architecture)
deb=build/iotoyd_${version}_${arch}.deb
echo "deb.sh: iotoyd $version for $arch, binaries from $bindir"

# --- Stage the tree ------------------------------------------------------------------------
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/usr/bin"

for binary in iotoyd iotoy; do
  install -m 0755 "$bindir/$binary" "$stage/usr/bin/$binary"
  strip --strip-unneeded "$stage/usr/bin/$binary"
  # SwiftPM links with RUNPATH $ORIGIN; installed in /usr/bin that would make the loader look
  # for libraries in /usr/bin first. Nothing is there to find: drop it.
  if readelf -d "$stage/usr/bin/$binary" | grep -q -E '\((RPATH|RUNPATH)\)'; then
    if command -v chrpath >/dev/null; then
      chrpath -d "$stage/usr/bin/$binary" >/dev/null
    else
      echo "deb.sh: warning: chrpath is missing, $binary keeps its RUNPATH (scripts/install-deps.sh --deb)" >&2
    fi
  fi
  printf 'deb.sh: %-6s stripped: %s bytes (%s MiB; unstripped %s MiB)\n' "$binary" \
    "$(stat -c %s "$stage/usr/bin/$binary")" "$(( $(stat -c %s "$stage/usr/bin/$binary") / 1048576 ))" \
    "$(( $(stat -c %s "$bindir/$binary") / 1048576 ))"
done
# The stripped binary must still run (and it is what makes the man pages below).
"$stage/usr/bin/iotoyd" --version >/dev/null || die "the stripped iotoyd does not run"
"$stage/usr/bin/iotoy" --version >/dev/null || die "the stripped iotoy does not run"

# No Swift runtime may be needed: every library the binaries load must come from the system's
# own /lib or /usr/lib (libc, libstdc++, libgpiod, libi2c, libavahi-client ...), none from a
# toolchain (/opt/swift, /usr/share/swift, a /usr/lib/swift of a toolchain package) and none
# of the Swift runtime's own libraries wherever they are.
for binary in iotoyd iotoy; do
  bad=$(ldd "$stage/usr/bin/$binary" | awk '
    /not found/ { print; next }
    { path = ($2 == "=>") ? $3 : $1 }
    path !~ /^\// { next }                                            # linux-vdso.so.1
    path !~ /^\/(usr\/)?lib(32|64|x32)?\// || path ~ /\/swift\// \
      || path ~ /\/lib(swift|Foundation|_Foundation|FoundationEssentials|dispatch|BlocksRuntime|XCTest)[^\/]*$/ { print }')
  [ -z "$bad" ] || die "$binary needs libraries from outside /lib and /usr/lib, or Swift's own:"$'\n'"$bad"
done

install -D -m 0644 packaging/iotoyd.service "$stage/lib/systemd/system/iotoyd.service"
install -D -m 0644 packaging/60-iotoyd.rules "$stage/usr/lib/udev/rules.d/60-iotoyd.rules"
install -D -m 0644 packaging/board.yaml "$stage/etc/iotoy/board.yaml"

# Man pages from the binaries' own --help.
mkdir -p "$stage/usr/share/man/man1"
for binary in iotoyd iotoy; do
  sh packaging/manpage.sh "$stage/usr/bin/$binary" "$binary" "$version" | gzip -9n > "$stage/usr/share/man/man1/$binary.1.gz"
done

# Documentation: copyright, changelog, the README and the user-facing docs, example boards.
doc=$stage/usr/share/doc/iotoyd
mkdir -p "$doc/examples"
[ -d "$checkouts" ] || echo "deb.sh: warning: no $checkouts; the copyright file cannot name the packages' licenses" >&2
sh packaging/copyright.sh "$resolved" "$checkouts" > "$doc/copyright"
chmod 0644 "$doc/copyright"
for file in README.md docs/install.md docs/board-file.md docs/security.md docs/safety.md docs/discovery.md docs/iotoy.md docs/wire.md; do
  if [ -f "$file" ]; then gzip -9n < "$file" > "$doc/$(basename "$file").gz"; fi
done
for board in boards/*.yaml; do install -m 0644 "$board" "$doc/examples/"; done
{
  echo "iotoyd ($version) unstable; urgency=medium"
  echo
  if [ -n "$ingit" ]; then
    dirty=""
    git diff --quiet HEAD 2>/dev/null || dirty=", with uncommitted changes"
    echo "  * Built by scripts/deb.sh from commit $(git rev-parse --short=12 HEAD)$dirty:"
    echo "    $(git log -1 --format=%s | cut -c1-70)"
  else
    echo "  * Built by scripts/deb.sh (not from a git tree)."
  fi
  echo
  echo " -- iotoyd developers <iotoyd@localhost>  $(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.Debian.gz"

# --- Control files -------------------------------------------------------------------------
install -m 0755 packaging/postinst packaging/prerm packaging/postrm "$stage/DEBIAN/"
install -m 0644 packaging/conffiles "$stage/DEBIAN/conffiles"

# Depends: the shared libraries' packages, as dpkg-shlibdeps finds them (libc6, libgpiod2 or
# libgpiod3, libi2c0, libavahi-client3 ...). It wants a source package's debian/control and
# the binaries inside a package tree (the stage, with its DEBIAN/), so give it both.
root=$PWD
shlib=$(mktemp -d)
trap 'rm -rf "$shlib"' EXIT
mkdir "$shlib/debian"
printf 'Source: iotoyd\nMaintainer: iotoyd developers <iotoyd@localhost>\n\nPackage: iotoyd\nArchitecture: any\n' > "$shlib/debian/control"
depends=$(cd "$shlib" && dpkg-shlibdeps -O -e"$root/$stage/usr/bin/iotoyd" -e"$root/$stage/usr/bin/iotoy" 2>"$shlib/warnings") \
  || { cat "$shlib/warnings" >&2; die "dpkg-shlibdeps failed"; }
# Its warnings about useless links (libz in iotoy) are harmless; show the rest.
grep -v -e 'could avoid a useless dependency' -e 'were not linked against' "$shlib/warnings" >&2 || true
depends=${depends#shlibs:Depends=}
[ -n "$depends" ] || die "dpkg-shlibdeps found no dependencies"
if grep -q -i -E 'swift|toolchain' <<<"$depends"; then die "Depends names a Swift package: $depends"; fi
# Packed relative relocations (scripts/lib/release-build.sh) need the loader of glibc 2.36; the
# binaries say so with the version GLIBC_ABI_DT_RELR, which dpkg-shlibdeps' symbol files do not
# know, so it may ask for less. Raise libc6's bound to what the loader needs.
if readelf -V "$stage/usr/bin/iotoyd" "$stage/usr/bin/iotoy" | grep GLIBC_ABI_DT_RELR >/dev/null; then   # not -q: with pipefail, readelf would die of SIGPIPE
  depends=$(sed -E 's/libc6 \(>= [0-9.]+\)/libc6 (>= 2.36)/' <<<"$depends")
  grep -q 'libc6 (>= 2.36)' <<<"$depends" || die "packed relocations need libc6 (>= 2.36), and Depends has no libc6: $depends"
fi

installed_size=$(du -s -k --apparent-size --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    -e "s/\${shlibs:Depends}/$depends/" packaging/control.in > "$stage/DEBIAN/control"
chmod 0644 "$stage/DEBIAN/control"
# md5sums of every file but the conffiles (dpkg keeps their sums itself).
(cd "$stage" && find . -type f ! -path './DEBIAN/*' ! -path './etc/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) > "$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/md5sums"

# --- Build ---------------------------------------------------------------------------------
# Every file dated SOURCE_DATE_EPOCH and owned root:root in the archive (--root-owner-group).
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
rm -f "$deb"
# zstd: unpacks four times faster than dpkg's default xz (what a Pi's CPU and the kernel
# harness's emulated one notice) for a few MB more; dpkg reads it since 1.21.18 (bookworm: 1.21.22).
dpkg-deb --root-owner-group -Zzstd -z9 --build "$stage" "$deb" >/dev/null
echo "deb.sh: built $deb ($(stat -c %s "$deb") bytes, $(( $(stat -c %s "$deb") / 1048576 )) MiB)"
echo "deb.sh: Depends: $depends"
