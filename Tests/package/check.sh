#!/usr/bin/env bash
# Checks a built iotoyd .deb without installing it: its control data (Depends, Architecture,
# conffiles, maintainer scripts), its file list, the systemd unit's sandbox (exposure score
# <= 1.5, `systemd-analyze verify`), the udev rules' groups, and that the packaged iotoyd
# runs and accepts the packaged starter board. Prints PASS/FAIL per check and a summary;
# exits 1 if anything failed.
#
#   bash Tests/package/check.sh [build/iotoyd_<version>_<arch>.deb]   # default: the newest
#
# Needs dpkg-deb and systemd-analyze (scripts/install-deps.sh --deb). `make test-package`.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

max_exposure=1.5
deb=${1:-$(ls -t build/iotoyd_*.deb 2>/dev/null | head -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "check.sh: no package; build one with make deb (or name it)" >&2; exit 2; }

passed=0 failed=0
pass() { printf 'PASS  %s\n' "$1"; passed=$((passed + 1)); }
fail() { printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/        /'; failed=$((failed + 1)); }
# check NAME COMMAND...: PASS when the command succeeds, FAIL with its output otherwise.
check() {
  local name=$1 output; shift
  if output=$("$@" 2>&1); then pass "$name"; else fail "$name" "$output"; fi
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "check.sh: $deb"
dpkg-deb -e "$deb" "$work/control" || { echo "check.sh: $deb is not a readable package" >&2; exit 2; }
dpkg-deb -x "$deb" "$work/root"
field() { dpkg-deb -f "$deb" "$1"; }

# --- Control data ----------------------------------------------------------------------------
check "Package is iotoyd" test "$(field Package)" = iotoyd
arch=$(dpkg --print-architecture)
check "Architecture $(field Architecture) is this machine's ($arch)" test "$(field Architecture)" = "$arch"
depends=$(field Depends)
echo "      Depends: $depends"
for want in 'libgpiod[0-9]' 'libi2c0' 'libavahi-client3' 'libmosquitto1' 'adduser' 'udev'; do
  check "Depends names $want" grep -q -E "(^|, )$want( |,|$)" <<<"$depends"
done
check "Depends names no Swift or toolchain package" bash -c '! grep -q -i -E "swift|toolchain|libfoundation|libdispatch" <<<"$1"' _ "$depends"
check "conffiles lists /etc/iotoy/board.yaml" grep -q -x /etc/iotoy/board.yaml "$work/control/conffiles"
for script in postinst prerm postrm; do
  file=$work/control/$script
  check "$script is an executable POSIX sh script" bash -c '[ -x "$1" ] && head -n 1 "$1" | grep -q -x "#!/bin/sh"' _ "$file"
  check "$script parses (sh -n)" sh -n "$file"
  check "$script sets -e" grep -q -x 'set -e' "$file"
done
# md5sums covers every shipped file but the conffiles, and matches.
check "md5sums match the files" bash -c 'cd "$1" && md5sum --quiet -c ../control/md5sums' _ "$work/root"

# --- Files ---------------------------------------------------------------------------------
listing=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|')
unit_path=""
for candidate in /lib/systemd/system/iotoyd.service /usr/lib/systemd/system/iotoyd.service; do
  grep -q -x "$candidate" <<<"$listing" && unit_path=$candidate
done
for file in /usr/bin/iotoyd /usr/bin/iotoy /usr/lib/udev/rules.d/60-iotoyd.rules /etc/iotoy/board.yaml \
            /usr/share/man/man1/iotoyd.1.gz /usr/share/man/man1/iotoy.1.gz \
            /usr/share/doc/iotoyd/copyright /usr/share/doc/iotoyd/changelog.Debian.gz; do
  check "contains $file" grep -q -x "$file" <<<"$listing"
done
if [ -n "$unit_path" ]; then pass "contains the unit ($unit_path)"; else fail "contains the unit (/lib or /usr/lib/systemd/system/iotoyd.service)"; fi
check "everything in the archive is owned by root:root" bash -c '! dpkg-deb -c "$1" | awk "{print \$2}" | grep -v -x root/root' _ "$deb"

# --- The binaries --------------------------------------------------------------------------
bin=$work/root/usr/bin
# Packed relative relocations (scripts/lib/release-build.sh) need glibc 2.36's loader.
if readelf -V "$bin/iotoyd" | grep GLIBC_ABI_DT_RELR >/dev/null; then   # not -q: with pipefail, readelf would die of SIGPIPE
  check "packed relocations: Depends asks for libc6 (>= 2.36)" grep -q -F 'libc6 (>= 2.36)' <<<"$depends"
fi
# The shipped layout (scripts/lib/release-build.sh): the functions the daemon runs gathered with
# the compiler's unnamed helpers, and no table of every symbol for the loader to hash through.
check "iotoyd gathers the compiler's unnamed helpers (.text.private)" \
  bash -c 'readelf -SW "$1" | grep -F " .text.private " >/dev/null' _ "$bin/iotoyd"
check "iotoyd exports fewer than 2 000 dynamic symbols (--no-export-dynamic)" \
  bash -c '[ "$(readelf --dyn-syms -W "$1" | wc -l)" -lt 2000 ]' _ "$bin/iotoyd"
for binary in iotoyd iotoy; do
  check "$binary is stripped" bash -c '! readelf -S "$1" | grep -q "\.symtab"' _ "$bin/$binary"
  check "$binary has no RPATH/RUNPATH" bash -c '! readelf -d "$1" | grep -q -E "\((RPATH|RUNPATH)\)"' _ "$bin/$binary"
  # Every library from the system's /lib or /usr/lib and none of the Swift runtime's.
  check "$binary needs no Swift runtime (ldd)" bash -c '
    ldd "$1" | awk '\''/not found/ { bad = 1; print; next }
      { path = ($2 == "=>") ? $3 : $1 }
      path ~ /^\// && (path !~ /^\/(usr\/)?lib(32|64|x32)?\// || path ~ /\/swift\// || path ~ /\/lib(swift|Foundation|_Foundation|dispatch|BlocksRuntime)/) { bad = 1; print }
      END { exit bad }'\''' _ "$bin/$binary"
  check "$binary --version runs" "$bin/$binary" --version
done
printf '      sizes: iotoyd %s bytes, iotoy %s bytes, package %s bytes\n' \
  "$(stat -c %s "$bin/iotoyd")" "$(stat -c %s "$bin/iotoy")" "$(stat -c %s "$deb")"
check "copyright names the linked Swift packages' licenses" bash -c 'grep -q "^License: Apache-2.0$" "$1" && grep -q "^Files: Swift package swift-nio " "$1"' _ "$work/root/usr/share/doc/iotoyd/copyright"
board=$work/root/etc/iotoy/board.yaml
check "the packaged iotoyd accepts the starter board (iotoyd check)" "$bin/iotoyd" check "$board"
check "the starter board asks for tokens from /etc/iotoy/tokens" grep -q -E '^ +tokens_file: /etc/iotoy/tokens' "$board"

# --- The systemd unit ----------------------------------------------------------------------
unit=$work/root$unit_path
if [ -z "$unit_path" ] || ! command -v systemd-analyze >/dev/null; then
  fail "systemd-analyze checks" "no unit in the package, or no systemd-analyze (scripts/install-deps.sh --deb)"
else
  # The exposure score: 0 is best, 10 worst; only the unit file counts (--offline).
  security=$(systemd-analyze security --offline=true "$unit" 2>&1)
  score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$security")
  if [ -n "$score" ] && awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s <= m) }'; then
    pass "exposure score $score <= $max_exposure (systemd-analyze security --offline=true)"
  else
    fail "exposure score ${score:-unknown} <= $max_exposure" "$(grep -E '✗|Overall' <<<"$security")"
  fi
  # verify loads the unit as systemd would. ExecStart must name an executable that exists,
  # so point it at the extracted binary; --man=no: the man page is not installed here.
  mkdir -p "$work/verify"
  sed "s|^ExecStart=/usr/bin/iotoyd|ExecStart=$bin/iotoyd|" "$unit" > "$work/verify/iotoyd.service"
  if output=$(systemd-analyze verify --man=no "$work/verify/iotoyd.service" 2>&1) && [ -z "$output" ]; then
    pass "systemd-analyze verify: no errors or warnings"
  else
    fail "systemd-analyze verify: no errors or warnings" "$output"
  fi
  # The settings the daemon's behaviour depends on, as they must be. SystemCallErrorNumber=EPERM
  # in particular: libdispatch calls setpriority() (@resources) on each worker thread, and the
  # default SIGSYS would kill the daemon at start.
  for line in 'Type=notify' 'NotifyAccess=main' 'ExecStart=/usr/bin/iotoyd serve /etc/iotoy/board.yaml' \
              'ExecReload=/bin/kill -HUP $MAINPID' 'WatchdogSec=10s' 'TimeoutAbortSec=3s' 'Restart=on-failure' \
              'User=iotoy' 'Group=iotoy' 'PrivateDevices=no' 'DevicePolicy=closed' \
              'DeviceAllow=char-gpiochip rw' 'DeviceAllow=char-i2c rw' 'DeviceAllow=char-ttyACM rw' 'DeviceAllow=char-ttyUSB rw' \
              'ProtectKernelTunables=yes' 'IPAddressDeny=any' 'SystemCallErrorNumber=EPERM'; do
    check "unit: $line" grep -q -x -F "$line" "$unit"
  done
  check "unit: no SupplementaryGroups= (groups come from /etc/group)" bash -c '! grep -q "^SupplementaryGroups=" "$1"' _ "$unit"
  check "unit: sysfs PWM stays writable (ReadWritePaths= /sys/devices/platform)" grep -q -E '^ReadWritePaths=.*/sys/devices/platform' "$unit"
  for target in modprobe@i2c_dev.service modprobe@cdc_acm.service modprobe@usbserial.service; do
    check "unit: Wants= and After= $target" bash -c 'grep -q "^Wants=.*$2" "$1" && grep -q "^After=.*$2" "$1"' _ "$unit" "$target"
  done
fi

# --- udev rules ----------------------------------------------------------------------------
rules=$work/root/usr/lib/udev/rules.d/60-iotoyd.rules
if [ -f "$rules" ]; then
  groups=$(grep -v '^#' "$rules" | grep -o -E 'GROUP="[^"]*"|chgrp -R [a-z]+' | sed -E 's/GROUP="|"|chgrp -R //g' | sort -u | tr '\n' ' ')
  check "udev rules use only Pi OS's groups gpio, i2c, dialout (found: $groups)" \
    bash -c '[ -z "$(tr " " "\n" <<<"$1" | grep -v -x -E "gpio|i2c|dialout|")" ]' _ "$groups"
  check "udev: gpiochip -> gpio" grep -q -E 'KERNEL=="gpiochip\*".*GROUP="gpio"' "$rules"
  check "udev: i2c-dev -> i2c" grep -q -E 'SUBSYSTEM=="i2c-dev".*GROUP="i2c"' "$rules"
  check "udev: pwm -> gpio, absolute paths in RUN" grep -q -E 'SUBSYSTEM=="pwm".*RUN\+="/bin/sh -c '\''/bin/chgrp -R gpio .* /bin/chmod -R g=u' "$rules"
  check "udev: ttyACM/ttyUSB -> dialout" grep -q -E 'ttyACM.*ttyUSB.*GROUP="dialout"' "$rules"
  check "udev: /dev/iotoy/ links kept" grep -q 'SYMLINK+="iotoy/arduino-' "$rules"
fi

# --- Man pages -----------------------------------------------------------------------------
if command -v man >/dev/null; then
  for page in iotoyd iotoy; do
    file=$work/root/usr/share/man/man1/$page.1.gz
    check "man page $page(1) renders without warnings" bash -c \
      'out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null); [ -z "$out" ] || { echo "$out"; exit 1; }' _ "$file"
  done
fi

echo
echo "check.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
