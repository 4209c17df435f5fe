#!/bin/sh
# /init of the kernel-harness initramfs (busybox ash, PID 1). Installed by prepare.sh.
#
# 1. mounts the control share (tag "ctl", writable) at /ctl and reads /ctl/config
#    (written by run.sh), 2. mounts the host's / read-only over 9p at /host and
#    the writable shares listed in /ctl/shares at the same paths, 3. mounts
#    proc/sys/dev/tmp/configfs/debugfs inside /host, 4. loads i2c-dev, i2c-stub,
#    gpio-sim, pwm-sim and the bmp280-i2c and tmp102 sensor drivers and creates the gpio-sim chip, 5. writes /tmp/harness.env,
#    6. chroots into /host and runs /ctl/cmd.sh, 7. writes /ctl/rc, /ctl/console,
#    /ctl/dmesg and powers off.
# With BOOT=systemd in /ctl/config (run.sh --systemd), step 6 differs: the host root becomes
# the lower layer of an overlay with a tmpfs above it (so dpkg can install into it), and
# Debian's systemd boots on it as PID 1 into iotoy-harness.target, whose one service runs the
# command, saves the results and powers off (see boot_systemd below).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/null >/dev/console 2>&1

say() { echo "harness-init: $*"; }
halt_now() { sync; poweroff -f; sleep 5; }
fail() {
    echo; say "FAILED: $*"
    if [ -d /ctl/. ] && grep -q ' /ctl ' /proc/mounts; then
        echo 125 > /ctl/rc
        dmesg > /ctl/dmesg
    fi
    halt_now
}

P9="trans=virtio,version=9p2000.L,msize=262144"
for m in virtio_pci 9pnet_virtio 9p; do modprobe "$m" || fail "modprobe $m"; done
mkdir -p /ctl /host
# The virtio-9p PCI devices are probed asynchronously; retry briefly.
i=0
until mount -t 9p -o "$P9" ctl /ctl 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 50 ] && fail "cannot mount the ctl share"; sleep 0.1
done

# Defaults, overridden by /ctl/config.
I2C_ADDRS=0x76,0x40
GPIO_NAMES="GPIO17 GPIO22 GPIO27 GPIO4 GPIO5 GPIO6 GPIO23 GPIO24"
GPIO_LABEL=pinctrl-sim
PWM_NPWM=2
BOOT=chroot
[ -f /ctl/config ] && . /ctl/config

mount -t 9p -o "$P9,ro,cache=loose" host /host || fail "cannot mount the host root"
mount -t proc proc /host/proc || fail "proc"
mount -t sysfs sysfs /host/sys || fail "sysfs"
mount -t devtmpfs devtmpfs /host/dev || fail "devtmpfs"
mkdir -p /host/dev/pts /host/dev/shm
mount -t devpts devpts /host/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /host/dev/shm
mount -t tmpfs -o mode=1777 tmpfs /host/tmp || fail "tmpfs /tmp"
mount -t tmpfs -o mode=755 tmpfs /host/run || fail "tmpfs /run"
modprobe configfs
mount -t configfs configfs /host/sys/kernel/config || fail "configfs"
mount -t debugfs debugfs /host/sys/kernel/debug || fail "debugfs"
if [ -f /ctl/shares ]; then
    while read -r tag path; do
        [ -n "$tag" ] || continue
        mkdir -p "/host$path" 2>/dev/null  # e.g. under the guest's fresh /tmp
        mount -t 9p -o "$P9" "$tag" "/host$path" || fail "cannot mount share $tag at $path"
    done < /ctl/shares
fi

# Simulators.
modprobe i2c-dev || fail "i2c-dev"
modprobe i2c-stub chip_addr="$I2C_ADDRS" || fail "i2c-stub chip_addr=$I2C_ADDRS"
modprobe gpio-sim || fail "gpio-sim"
modprobe pwm-sim npwm="$PWM_NPWM" || fail "pwm-sim"
# The kernel's own sensor drivers (IIO bmp280, hwmon tmp102): nothing binds them until a test
# writes new_device (neither has a detect routine that would claim an i2c-stub address).
for m in bmp280-i2c tmp102; do modprobe "$m" || fail "$m"; done

C=/host/sys/kernel/config/gpio-sim/pi
mkdir $C $C/bank0 || fail "gpio-sim configfs"
n=0
for name in $GPIO_NAMES; do
    mkdir $C/bank0/line$n && echo "$name" > $C/bank0/line$n/name || fail "gpio-sim line $n"
    n=$((n + 1))
done
echo $n > $C/bank0/num_lines
echo "$GPIO_LABEL" > $C/bank0/label
echo 1 > $C/live || fail "gpio-sim live"
GPIOSIM_DEV=$(cat $C/dev_name)
GPIOSIM_CHIP=$(cat $C/bank0/chip_name)

I2C_BUS=
for d in /host/sys/bus/i2c/devices/i2c-*; do
    case "$(cat "$d/name" 2>/dev/null)" in *stub*) I2C_BUS=${d##*/i2c-}; break ;; esac
done
[ -n "$I2C_BUS" ] || fail "no i2c-stub bus"

PWMCHIP=
for p in /host/sys/class/pwm/pwmchip*; do
    case "$(readlink "$p/device")" in *pwm-sim*) PWMCHIP=${p##*/}; break ;; esac
done
[ -n "$PWMCHIP" ] || fail "no pwm-sim chip"

cat > /host/tmp/harness.env <<EOF
IOTOY_HARNESS=1
IOTOY_KERNEL=$(uname -r)
IOTOY_GPIOSIM_LABEL=$GPIO_LABEL
IOTOY_GPIOSIM_DEV=$GPIOSIM_DEV
IOTOY_GPIOSIM_CHIP=$GPIOSIM_CHIP
IOTOY_GPIOSIM_SYSFS=/sys/devices/platform/$GPIOSIM_DEV/$GPIOSIM_CHIP
IOTOY_GPIOSIM_CONFIGFS=/sys/kernel/config/gpio-sim/pi
IOTOY_GPIOSIM_LINES="$GPIO_NAMES"
IOTOY_I2C_BUS=$I2C_BUS
IOTOY_I2C_DEV=/dev/i2c-$I2C_BUS
IOTOY_I2C_ADDRS=$I2C_ADDRS
IOTOY_PWMCHIP=$PWMCHIP
IOTOY_PWM_ROOT=/sys/class/pwm
IOTOY_PWM_SYSFS=/sys/class/pwm/$PWMCHIP
IOTOY_PWM_NPWM=$PWM_NPWM
EOF
# Loopback, for tests that serve HTTP inside the guest.
ifconfig lo 127.0.0.1 up || fail "loopback"

boot_systemd() {
    O=/overlay N=/newroot
    modprobe overlay || fail "modprobe overlay"
    mkdir -p $O $N
    # Room for a package and, during an upgrade, its .dpkg-new copy beside it.
    mount -t tmpfs -o mode=755,size=80% tmpfs $O && mkdir -p $O/upper $O/work || fail "overlay tmpfs"
    # The lower layer is the host root itself (the 9p mount), not its submounts.
    mkdir -p /lower && mount --bind /host /lower || fail "bind the host root"
    mount -t overlay overlay -o lowerdir=/lower,upperdir=$O/upper,workdir=$O/work $N || fail "overlay mount"
    mkdir -p $N/ctl && mount --move /ctl $N/ctl || fail "move /ctl"
    if [ -f $N/ctl/shares ]; then
        while read -r tag path; do
            [ -n "$tag" ] || continue
            umount "/host$path" 2>/dev/null
            mkdir -p "$N$path" && mount -t 9p -o "$P9" "$tag" "$N$path" || fail "share $tag at $path in the overlay"
        done < $N/ctl/shares
    fi
    # dpkg's database, from one tar (run.sh): read file by file over 9p it takes minutes.
    if [ -f $N/ctl/dpkg.tar ]; then
        rm -rf $N/var/lib/dpkg && tar -C $N/var/lib -xf $N/ctl/dpkg.tar || fail "unpack dpkg.tar"
    fi
    # The facts for the command, where systemd's fresh /run and /tmp do not hide them.
    mkdir -p $N/etc/iotoy-harness
    cp /host/tmp/harness.env $N/etc/iotoy-harness/harness.env
    sed 's|/tmp/harness.env|/etc/iotoy-harness/harness.env|' $N/ctl/cmd.sh > $N/etc/iotoy-harness/cmd.sh
    U=$N/etc/systemd/system
    mkdir -p $U
    cat > $U/iotoy-harness.target <<EOT
[Unit]
Description=iotoyd kernel harness
Requires=iotoy-harness.service systemd-udevd.service systemd-journald.service
Wants=systemd-udev-trigger.service
AllowIsolate=yes
EOT
    cat > $U/iotoy-harness.service <<EOT
[Unit]
Description=iotoyd kernel harness command
After=systemd-udevd.service systemd-udev-trigger.service systemd-journald.service
[Service]
Type=oneshot
StandardInput=null
Environment=HOME=/tmp TERM=dumb
ExecStart=/bin/sh -c 'timeout -k 5 ${CMD_TIMEOUT:-240} /bin/bash /etc/iotoy-harness/cmd.sh > /ctl/console 2>&1; echo \$? > /ctl/rc; cat /ctl/console > /dev/console; journalctl -b --no-pager > /ctl/journal 2>&1; dmesg > /ctl/dmesg; sync; systemctl poweroff -ff'
EOT
    # systemd-tmpfiles --boot would empty the host's /tmp through the overlay (minutes over 9p,
    # and shared directories with it): the harness needs none of its work.
    for u in systemd-tmpfiles-setup.service systemd-tmpfiles-clean.timer systemd-tmpfiles-setup-dev.service; do
        ln -sf /dev/null $U/$u
    done
    for m in proc sys dev/pts dev/shm dev sys/kernel/config sys/kernel/debug tmp run; do umount -l /host/$m 2>/dev/null; done
    umount -l /host 2>/dev/null
    exec switch_root $N /lib/systemd/systemd --unit=iotoy-harness.target --show-status=0
}

if [ "$BOOT" = systemd ]; then
    boot_systemd
    fail "switch_root"
fi

cp /ctl/cmd.sh /host/tmp/.harness-cmd.sh || fail "no /ctl/cmd.sh"

( chroot /host /usr/bin/env -i HOME=/tmp TERM=dumb /bin/bash /tmp/.harness-cmd.sh </dev/null
  echo $? > /ctl/rc ) 2>&1 | tee /ctl/console
dmesg > /ctl/dmesg
halt_now
