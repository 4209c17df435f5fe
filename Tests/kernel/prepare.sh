#!/bin/bash
# Tests/kernel/prepare.sh — prepare the kernel test harness (idempotent, non-interactive).
#
# Installs the host tools (qemu, busybox-static, gpiod, i2c-tools, a C toolchain), fetches
# the Debian kernel that linux-image-amd64 depends on (never installed: apt-get download +
# dpkg -x), makes an uncompressed vmlinux, builds gpio-sim, irq_sim (patched) and pwm-sim
# out of tree, and packs an initramfs. Fetches Debian 13's libgpiod v2 into cache/gpiod2.
# Everything lands in Tests/kernel/cache/ (gitignored), keyed by the kernel ABI string.
#
# Environment: IOTOY_KERNEL_CACHE (cache dir), IOTOY_KERNEL_ABI (force an ABI such as
# 6.1.0-56-amd64), IOTOY_SKIP_APT=1 (do not apt-get install host packages),
# IOTOY_SKIP_GPIOD2=1 (skip the libgpiod v2 download).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${IOTOY_KERNEL_CACHE:-$HERE/cache}
export DEBIAN_FRONTEND=noninteractive
log() { echo "prepare: [${SECONDS}s] $*" >&2; }
die() { echo "prepare: error: $*" >&2; exit 1; }
T0=$(date +%s)
# Bump these when the module build or the initramfs layout below changes.
MODULES_REV=1
INITRAMFS_REV=3   # 2: overlay, for booting systemd over the host root; 3: kernel sensor drivers
mkdir -p "$CACHE"

# ---------------------------------------------------------------- host packages
APT_UPDATED=
apt_update() {
    [ -n "$APT_UPDATED" ] && return 0
    log "apt-get update"
    apt-get update -qq -o DPkg::Lock::Timeout=600 || apt-get update -qq -o DPkg::Lock::Timeout=600
    APT_UPDATED=1
}
HOST_PKGS="qemu-system-x86 busybox-static gpiod i2c-tools gcc make bc libc6-dev libelf-dev xz-utils cpio pkgconf"
missing=()
for p in $HOST_PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "${IOTOY_SKIP_APT:-}" = 1 ] && die "missing host packages: ${missing[*]}"
    apt_update
    log "apt-get install ${missing[*]}"
    inst() { apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"; }
    inst || { log "apt-get install failed, retrying once"; sleep 5; apt_update; inst; }
fi

# ---------------------------------------------------------------- kernel ABI
dl() { # apt-get download into the current dir, retrying once
    apt-get download -q -o APT::Sandbox::User=root "$@" || { sleep 3; apt-get download -q -o APT::Sandbox::User=root "$@"; }
}
ABI=${IOTOY_KERNEL_ABI:-}
if [ -z "$ABI" ]; then
    dep() { apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: linux-image-\([0-9].*-amd64\)$/\1/p' | head -n1; }
    ABI=$(dep)
    [ -n "$ABI" ] || { apt_update; ABI=$(dep); }
    [ -n "$ABI" ] || die "cannot resolve the kernel that linux-image-amd64 depends on"
fi
SERIES=$(echo "$ABI" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')   # 6.1
COMMON=${ABI%-amd64}-common                                        # 6.1.0-56-common
D=$CACHE/$ABI
mkdir -p "$D/debs"
log "kernel ABI $ABI (cache $D)"

# ---------------------------------------------------------------- downloads
IMG_PKG=linux-image-$ABI
K=$D/ksrc   # the few kernel source files needed, kept instead of the 140 MB linux-source deb
want_debs=("$IMG_PKG" "linux-headers-$ABI" "linux-headers-$COMMON" "linux-kbuild-$SERIES")
[ -f "$K/.done" ] || want_debs+=("linux-source-$SERIES")
have_all=1
for p in "${want_debs[@]}"; do ls "$D/debs/${p}_"*.deb >/dev/null 2>&1 || have_all=; done
if [ -z "$have_all" ]; then
    VER=$(apt-cache show "$IMG_PKG" 2>/dev/null | sed -n 's/^Version: //p' | head -n1)
    [ -n "$VER" ] || { apt_update; VER=$(apt-cache show "$IMG_PKG" | sed -n 's/^Version: //p' | head -n1); }
    log "downloading kernel packages ($VER)"
    ( cd "$D/debs"
      for p in "${want_debs[@]}"; do
          ls "${p}_"*.deb >/dev/null 2>&1 && continue
          # Prefer the image's exact version; the source only needs gpio-sim/irq_sim files.
          dl "$p=$VER" 2>/dev/null || dl "$p"
      done )
fi
if [ ! -f "$K/.done" ]; then
    log "extracting gpio-sim.c, gpiolib.h, irq_sim.c, extract-vmlinux from linux-source-$SERIES"
    rm -rf "$K"; mkdir -p "$K"
    dpkg-deb --fsys-tarfile "$D"/debs/linux-source-"$SERIES"_*.deb \
        | tar -xO --wildcards './usr/src/linux-source-*.tar.xz' \
        | tar -xJ -C "$K" --wildcards --strip-components=1 \
            '*/drivers/gpio/gpio-sim.c' '*/drivers/gpio/gpiolib.h' \
            '*/kernel/irq/irq_sim.c' '*/scripts/extract-vmlinux' '*/COPYING'
    touch "$K/.done"
    rm -f "$D"/debs/linux-source-"$SERIES"_*.deb
fi

# ---------------------------------------------------------------- unpack (work tree)
W=$D/work
unpack() {
    [ -f "$W/.unpacked" ] && return 0
    log "unpacking kernel packages"
    rm -rf "$W"; mkdir -p "$W/x"
    for f in "$D"/debs/*.deb; do dpkg -x "$f" "$W/x"; done
    # The headers' Makefile includes the common headers by absolute path.
    sed -i "s|^include /usr/src/|include $W/x/usr/src/|" "$W/x/usr/src/linux-headers-$ABI/Makefile"
    touch "$W/.unpacked"
}

# ---------------------------------------------------------------- vmlinux
if [ ! -s "$D/vmlinux" ]; then
    unpack
    log "extracting vmlinux"
    sh "$K/scripts/extract-vmlinux" "$W/x/boot/vmlinuz-$ABI" > "$D/vmlinux.tmp"
    head -c4 "$D/vmlinux.tmp" | grep -q ELF || die "extract-vmlinux did not produce an ELF"
    mv "$D/vmlinux.tmp" "$D/vmlinux"
fi

# ---------------------------------------------------------------- modules
inputs_hash() { cat "$@" | sha256sum | cut -c1-16; }
MODHASH=$(inputs_hash "$HERE/pwm-sim/pwm-sim.c" <(echo "$MODULES_REV"))
M=$D/modules
if [ "$(cat "$M/.hash" 2>/dev/null)" != "$MODHASH" ]; then
    unpack
    log "building gpio-sim, irq_sim, pwm-sim"
    rm -rf "$M"; mkdir -p "$M/src"
    cp "$K/drivers/gpio/gpio-sim.c" "$K/drivers/gpio/gpiolib.h" "$K/kernel/irq/irq_sim.c" \
       "$HERE/pwm-sim/pwm-sim.c" "$M/src/"
    # irq_to_desc() is not exported to modules; generic_handle_irq() does the same job.
    sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$M/src/irq_sim.c"
    grep -q 'generic_handle_irq(irqnum);' "$M/src/irq_sim.c" || die "irq_sim.c patch did not apply"
    printf '\nMODULE_LICENSE("GPL");\nMODULE_DESCRIPTION("Interrupt simulator (out-of-tree build)");\n' >> "$M/src/irq_sim.c"
    echo 'obj-m := irq_sim.o gpio-sim.o pwm-sim.o' > "$M/src/Kbuild"
    make -s -j1 -C "$W/x/usr/src/linux-headers-$ABI" M="$M/src" modules 2>&1 \
        | grep -v 'Skipping BTF generation' >&2 || true
    for k in irq_sim gpio-sim pwm-sim; do
        [ -f "$M/src/$k.ko" ] || die "module $k.ko was not built"
        cp "$M/src/$k.ko" "$M/"
    done
    echo "$MODHASH" > "$M/.hash"
fi

# ---------------------------------------------------------------- initramfs
# The staging tree (busybox + modules) is rebuilt when the modules change; a change
# to init.sh only re-packs it.
R=$D/initramfs
STAGEHASH=$(inputs_hash "$M/.hash" <(echo "$INITRAMFS_REV"))
if [ "$(cat "$R/.hash" 2>/dev/null)" != "$STAGEHASH" ]; then
    unpack
    log "staging the initramfs"
    rm -rf "$R"
    mkdir -p "$R"/{bin,sbin,dev,proc,sys,ctl,host,tmp}
    cp /bin/busybox "$R/bin/busybox"   # busybox-static
    for a in $("$R/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
    KM=$W/x/lib/modules/$ABI
    [ -f "$KM/modules.dep" ] || busybox depmod -b "$W/x" "$ABI"
    # bmp280-i2c and tmp102: the kernel's own IIO and hwmon drivers, bound to i2c-stub chips by sensors-e2e.sh.
    want="virtio_pci 9pnet_virtio 9p configfs i2c-dev i2c-stub overlay bmp280-i2c tmp102"
    mods=$(for m in $want; do
        grep -E "(^|/)$m\.ko:" "$KM/modules.dep" | tr -d ':' | tr ' ' '\n'
    done | sort -u | grep .)
    for f in $mods; do mkdir -p "$R/lib/modules/$ABI/$(dirname "$f")"; cp "$KM/$f" "$R/lib/modules/$ABI/$f"; done
    mkdir -p "$R/lib/modules/$ABI/extra"
    cp "$M"/*.ko "$R/lib/modules/$ABI/extra/"
    busybox depmod -b "$R" "$ABI"
    echo "$STAGEHASH" > "$R/.hash"
fi
INITHASH=$(inputs_hash "$R/.hash" "$HERE/init.sh")
if [ "$(cat "$D/initramfs.hash" 2>/dev/null)" != "$INITHASH" ] || [ ! -s "$D/initramfs.cpio" ]; then
    log "packing the initramfs"
    install -m755 "$HERE/init.sh" "$R/init"
    ( cd "$R" && find . ! -name .hash | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 ) > "$D/initramfs.cpio.tmp"
    mv "$D/initramfs.cpio.tmp" "$D/initramfs.cpio"
    echo "$INITHASH" > "$D/initramfs.hash"
fi
ln -sfn "$ABI" "$CACHE/current"

# The work tree (~600 MB) is only needed to rebuild; the .debs stay for that.
if [ -z "${IOTOY_KEEP_WORK:-}" ] && [ -d "$W" ]; then rm -rf "$W"; fi

# ---------------------------------------------------------------- libgpiod v2 (Debian 13)
G=$CACHE/gpiod2
if [ "${IOTOY_SKIP_GPIOD2:-}" != 1 ] && [ ! -f "$CACHE/gpiod2.env" ]; then
    log "fetching libgpiod v2 from Debian 13 (trixie)"
    A=$CACHE/apt-trixie
    rm -rf "$A" "$G"; mkdir -p "$A/lists/partial" "$A/archives/partial" "$A/parts" "$A/prefs" "$A/debs" "$G"
    # The Debian mirror the host already uses.
    MIRROR=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | awk '/^(deb|URIs:)/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }' || true)
    MIRROR=${MIRROR:-http://deb.debian.org/debian}
    { echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR%/} trixie main"
      echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR%/} trixie main"
    } > "$A/sources.list"
    AOPT=(-o Dir::Etc::SourceList="$A/sources.list" -o Dir::Etc::SourceParts="$A/parts"
          -o Dir::Etc::Preferences="$A/prefs/none" -o Dir::Etc::PreferencesParts="$A/prefs"
          -o Dir::State::Lists="$A/lists" -o Dir::Cache="$A" -o Dir::Cache::Archives="$A/archives"
          -o Dir::State::Status=/dev/null -o APT::Sandbox::User=root -o Debug::NoLocking=1
          -o Acquire::Languages=none)
    apt-get -q "${AOPT[@]}" update >&2 || apt-get -q "${AOPT[@]}" update >&2
    ( cd "$A/debs" && { apt-get -q "${AOPT[@]}" download libgpiod3 libgpiod-dev >&2 \
        || apt-get -q "${AOPT[@]}" download libgpiod3 libgpiod-dev >&2; } )
    for f in "$A"/debs/*.deb; do dpkg -x "$f" "$G"; done
    LIBDIR=$G/usr/lib/x86_64-linux-gnu
    # Point the .pc file at the unpacked prefix.
    sed -i "s|^prefix=.*|prefix=$G/usr|" "$LIBDIR"/pkgconfig/libgpiod.pc
    # trixie's gpiod tools need glibc 2.38 (the library only 2.34): build the v2 tools
    # from the same upstream release against the unpacked library instead.
    mkdir -p "$A/src"
    # (Only the orig tarball is needed; the mirror may lack the .dsc.)
    ( cd "$A/src" && apt-get -q "${AOPT[@]}" source --download-only libgpiod > "$A/source.log" 2>&1 || true )
    ORIG=$(ls "$A"/src/libgpiod_*.orig.tar.* 2>/dev/null | head -n1 || true)
    if [ -n "$ORIG" ]; then
        GV=$(basename "$ORIG" | sed 's/^libgpiod_\(.*\)\.orig\.tar\..*/\1/')
        tar -xf "$ORIG" -C "$A/src"
        mkdir -p "$G/bin"
        for t in gpiodetect gpioinfo gpioget gpioset gpiomon gpionotify; do
            gcc -O2 -std=gnu89 -D_GNU_SOURCE -DGPIOD_VERSION_STR="\"$GV\"" -I"$G/usr/include" \
                -o "$G/bin/$t" "$A/src/libgpiod-$GV/tools/$t.c" "$A/src/libgpiod-$GV/tools/tools-common.c" \
                -L"$LIBDIR" -lgpiod -Wl,-rpath,"$LIBDIR" >&2
        done
    else
        cat "$A/source.log" >&2
        log "warning: no libgpiod source; the v2 tools are not available"
    fi
    cat > "$CACHE/gpiod2.env" <<EOF
export PKG_CONFIG_PATH=$LIBDIR/pkgconfig\${PKG_CONFIG_PATH:+:\$PKG_CONFIG_PATH}
export LD_LIBRARY_PATH=$LIBDIR\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export IOTOY_GPIOD2_PREFIX=$G/usr
export IOTOY_GPIOD2_BIN=$G/bin
EOF
    rm -rf "$A/lists" "$A/archives" "$A"/*.bin "$A/src"
fi
if [ -f "$CACHE/gpiod2.env" ]; then
    # Check that the v2 library builds and loads on this host.
    t=$(mktemp -d)
    cat > "$t/v.c" <<'EOF'
#include <gpiod.h>
#include <stdio.h>
int main(void) { printf("%s\n", gpiod_api_version()); return 0; }
EOF
    ( . "$CACHE/gpiod2.env"
      gcc -o "$t/v" "$t/v.c" $(pkg-config --cflags --libs libgpiod) 2>&1 >&2
      v=$("$t/v") && case "$v" in 2.*) log "libgpiod $v loads on this host";; *) die "unexpected libgpiod version '$v'";; esac
    ) || { rm -rf "$t"; die "libgpiod v2 does not build/load on this host"; }
    rm -rf "$t"
fi

log "done in $(( $(date +%s) - T0 )) s"
cat >&2 <<EOF
prepare: kernel   $D/vmlinux
prepare: initrd   $D/initramfs.cpio
prepare: gpiod v2 source $CACHE/gpiod2.env   # PKG_CONFIG_PATH / LD_LIBRARY_PATH
EOF
[ -f "$CACHE/gpiod2.env" ] && cat "$CACHE/gpiod2.env"
exit 0
