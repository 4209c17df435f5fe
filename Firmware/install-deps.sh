#!/usr/bin/env bash
# Install the Debian packages needed to build the firmware for an Uno, run it in
# simavr and build the host (Linux) version. Safe to run repeatedly.
set -u
PKGS="gcc-avr avr-libc arduino-core-avr simavr libsimavr-dev libelf-dev make gcc g++ pkg-config python3"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

attempt() {
    $SUDO apt-get update -o DPkg::Lock::Timeout=600 &&
    $SUDO apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 $PKGS
}

if ! attempt; then
    echo "install-deps: first attempt failed, retrying in 10 s" >&2
    sleep 10
    attempt || { echo "install-deps: apt-get failed" >&2; exit 1; }
fi
echo "install-deps: ok"
