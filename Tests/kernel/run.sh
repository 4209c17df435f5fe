#!/bin/bash
# Tests/kernel/run.sh — run a command inside the kernel-harness guest and exit with its status.
#
#   Tests/kernel/run.sh [options] -- COMMAND [ARG...]
#
# The guest (Debian's kernel under QEMU/TCG) sees the host's / read-only, a fresh tmpfs on
# /tmp, /dev, /run, and gpio-sim, i2c-stub and pwm-sim loaded (see README.md). COMMAND runs
# as root with bash in the current directory, with the harness variables (IOTOY_*) from
# /tmp/harness.env exported. Options:
#   --share DIR        make DIR (created if missing) writable in the guest, at the same path
#                      (repeatable; use it for build outputs and test results)
#   -e NAME[=VALUE]    pass an environment variable (NAME alone: take it from this shell);
#                      PATH, LD_LIBRARY_PATH, PKG_CONFIG_PATH and IOTOY_* / SWIFT_* are passed
#                      automatically when set
#   --i2c-addrs LIST   i2c-stub chip_addr (default 0x76,0x40)
#   --gpio-names "N…"  gpio-sim line names, offset 0 first (default
#                      "GPIO17 GPIO22 GPIO27 GPIO4 GPIO5 GPIO6 GPIO23 GPIO24")
#   --npwm N           pwm-sim channels (default 2)
#   --timeout SEC      kill the guest after SEC seconds (default 300, or $IOTOY_KERNEL_TIMEOUT)
#   --results DIR      keep the guest's rc/console/dmesg/cmd.sh in DIR (default: a temp dir,
#                      kept and named on failure)
#   --memory SIZE      guest memory (default 512M; 1024M with --systemd)
#   --systemd          boot Debian's systemd as PID 1 on an overlay of the host root (writable
#                      tmpfs above it; dpkg can install) and run COMMAND as its one service
#   -v                 show the kernel's boot messages on the console
# Exit status: COMMAND's, 124 if the guest timed out, 125 if the harness itself failed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${IOTOY_KERNEL_CACHE:-$HERE/cache}
die() { echo "run.sh: $*" >&2; exit 125; }

shares=() envs=() results= keep_results= verbose=
timeout=${IOTOY_KERNEL_TIMEOUT:-300} mem=
i2c_addrs= gpio_names= npwm= boot=
while [ $# -gt 0 ]; do
    case "$1" in
        --share) [ $# -ge 2 ] || die "--share needs a directory"; shares+=("$2"); shift 2 ;;
        -e|--env) [ $# -ge 2 ] || die "-e needs NAME[=VALUE]"; envs+=("$2"); shift 2 ;;
        --i2c-addrs) i2c_addrs=$2; shift 2 ;;
        --gpio-names) gpio_names=$2; shift 2 ;;
        --npwm) npwm=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --results) results=$2; keep_results=1; shift 2 ;;
        --memory) mem=$2; shift 2 ;;
        --systemd) boot=systemd; shift ;;   # with 1 GiB by default: the overlay holds installed packages
        -v) verbose=1; shift ;;
        --) shift; break ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || die "usage: run.sh [options] -- COMMAND [ARG...]"
[ -n "$mem" ] || if [ -n "$boot" ]; then mem=1024M; else mem=512M; fi

# The guest has its own /tmp, /run and /dev: a checkout there (a CI clone under /tmp) would be
# invisible, so share the working directory at the same path.
case "$PWD/" in /tmp/*|/run/*|/dev/*) shares+=("$PWD") ;; esac

D=$CACHE/current
[ -s "$D/vmlinux" ] && [ -s "$D/initramfs.cpio" ] || die "no prepared kernel in $CACHE; run Tests/kernel/prepare.sh first"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing; run Tests/kernel/prepare.sh"

if [ -z "$results" ]; then results=$(mktemp -d "${TMPDIR:-/tmp}/iotoy-kernel.XXXXXX"); fi
mkdir -p "$results"
results=$(cd "$results" && pwd)
rm -f "$results"/{rc,console,dmesg,journal,cmd.sh,config,shares,dpkg.tar}
# Under systemd the guest may run dpkg, which reads its whole database (thousands of small
# files: minutes over 9p under TCG). One tar of it, unpacked into the overlay, takes a second.
[ -n "$boot" ] && tar -C /var/lib -cf "$results/dpkg.tar" dpkg

# --- control files read by the guest's /init
{
    [ -n "$i2c_addrs" ] && printf 'I2C_ADDRS=%q\n' "$i2c_addrs"
    [ -n "$gpio_names" ] && printf 'GPIO_NAMES=%q\n' "$gpio_names"
    [ -n "$npwm" ] && printf 'PWM_NPWM=%q\n' "$npwm"
    [ -n "$boot" ] && printf 'BOOT=%q\nCMD_TIMEOUT=%d\n' "$boot" $((timeout > 60 ? timeout - 30 : timeout))
    true
} > "$results/config"
qshares=()
n=0
for s in "${shares[@]+"${shares[@]}"}"; do
    mkdir -p "$s"
    s=$(cd "$s" && pwd -P)
    case "$s" in *$'\n'*) die "share path with a newline: $s" ;; esac
    echo "share$n $s" >> "$results/shares"
    qshares+=(-fsdev "local,id=share$n,path=$s,security_model=none,multidevs=remap"
              -device "virtio-9p-pci,fsdev=share$n,mount_tag=share$n")
    n=$((n + 1))
done

# --- the command script (bash, run by env -i inside the chroot)
{
    for v in PATH LD_LIBRARY_PATH PKG_CONFIG_PATH $(compgen -e | grep -E '^(IOTOY_|SWIFT_)' || true); do
        [ -n "${!v+x}" ] && printf 'export %s=%q\n' "$v" "${!v}"
    done
    echo 'set -a; . /tmp/harness.env; set +a   # the guest facts win over passed-through IOTOY_*'
    for e in "${envs[@]+"${envs[@]}"}"; do
        name=${e%%=*}
        [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad variable name in -e $e"
        if [[ "$e" == *=* ]]; then printf 'export %s=%q\n' "$name" "${e#*=}"
        elif [ -n "${!name+x}" ]; then printf 'export %s=%q\n' "$name" "${!name}"; fi
    done
    printf 'cd %q 2>/dev/null || { echo "run.sh: %q is not visible in the guest (the guest has its own /tmp, /run, /dev); running in /tmp" >&2; cd /tmp; }\n' "$PWD" "$PWD"
    printf 'exec'; printf ' %q' "$@"; echo
} > "$results/cmd.sh"

append="console=ttyS0 rdinit=/init panic=-1 mitigations=off tsc=reliable i8042.noaux i8042.nokbd"
[ -n "$boot" ] && append+=" systemd.show_status=0"
if [ -n "$verbose" ]; then append+=" loglevel=7"; else append+=" loglevel=1"; fi

set +e
timeout -k 5 "$timeout" qemu-system-x86_64 \
    -M pc -accel tcg -cpu max -smp 1 -m "$mem" -no-reboot \
    -nodefaults -no-user-config -display none -serial stdio \
    -kernel "$D/vmlinux" -initrd "$D/initramfs.cpio" -append "$append" \
    -fsdev local,id=host,path=/,readonly=on,security_model=none,multidevs=remap \
    -device virtio-9p-pci,fsdev=host,mount_tag=host \
    -fsdev "local,id=ctl,path=$results,security_model=none" \
    -device virtio-9p-pci,fsdev=ctl,mount_tag=ctl \
    "${qshares[@]+"${qshares[@]}"}" </dev/null | {
    # The serial console ends lines with CR LF; drop the CRs and the kernel's last words.
    if [ -n "$verbose" ]; then sed -u 's/\r$//'
    else sed -u -e 's/\r$//' -e '/^\[ *[0-9.]*\] reboot: Power down$/d'; fi
}
rc=${PIPESTATUS[0]}
set -e

if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "run.sh: the guest timed out after ${timeout}s (results in $results)" >&2
    exit 124
elif [ $rc -ne 0 ]; then
    echo "run.sh: qemu failed with status $rc (results in $results)" >&2
    exit 125
fi
if [ ! -s "$results/rc" ]; then
    echo "run.sh: the guest wrote no exit status; last kernel messages (results in $results):" >&2
    tail -n 30 "$results/dmesg" 2>/dev/null >&2 || true
    exit 125
fi
status=$(cat "$results/rc")
if [ "$status" = 125 ] && ! [ -s "$results/console" ]; then
    echo "run.sh: the guest's /init failed; last kernel messages (results in $results):" >&2
    tail -n 30 "$results/dmesg" >&2 || true
fi
if [ "$status" != 0 ] || [ -n "$keep_results" ]; then
    [ -n "$keep_results" ] || echo "run.sh: guest results kept in $results" >&2
else
    rm -rf "$results"
fi
exit "$status"
