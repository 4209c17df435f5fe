#!/usr/bin/env bash
# Installs the Debian / Raspberry Pi OS packages iotoyd builds and runs with.
# libgpiod-dev (v1 on Debian 12 / Pi OS bookworm, v2 on Debian 13 / trixie; either builds) and
# libi2c-dev are the Linux backends' C libraries.
# The Swift toolchain itself (6.1 or newer) comes from swift.org or swiftly; see README.md.
set -euo pipefail
packages=(git make gcc g++ pkg-config libcurl4 libxml2 tzdata ca-certificates
  libgpiod-dev libi2c-dev                       # GPIO and I2C (IOToyLinux)
  libavahi-client-dev                           # mDNS advertisement and discovery (IOToyDiscovery)
  libmosquitto-dev                              # the MQTT bridge's client library (IOToyMQTT)
  avahi-daemon avahi-utils dbus iproute2)       # the mDNS tests' daemons, avahi-browse, ip netns
# `--test`: what `make test` needs besides: the MQTT tests' broker, their observing peer and the
# TLS test's certificates (Debian starts a local-only broker service when it installs mosquitto,
# so `make demo` does not install it).
if [ "${1:-}" = "--test" ]; then
  packages=(mosquitto mosquitto-clients openssl)
fi
# `--browser`: what the dashboard test needs besides (make test-browser).
if [ "${1:-}" = "--browser" ]; then
  packages=(chromium chromium-driver python3-selenium)
fi
# `--deb`: what scripts/deb.sh and Tests/package/check.sh need besides (make deb, make
# test-package): dpkg-shlibdeps, strip and readelf, chrpath (drops SwiftPM's $ORIGIN runpath),
# systemd-analyze (the unit's checks).
if [ "${1:-}" = "--deb" ]; then
  packages=(dpkg-dev binutils chrpath systemd)
fi
# `--promtool`: Prometheus' own linter for the /metrics check (make test-metrics).
if [ "${1:-}" = "--promtool" ]; then
  packages=(prometheus curl)
fi
# `--openapi`: a Python venv for schemathesis and curl (make test-openapi).
if [ "${1:-}" = "--openapi" ]; then
  packages=(python3-venv curl)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
install() { $sudo apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"; }
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -o DPkg::Lock::Timeout=600 || true
# Retried once: a cleanup hook on some machines removes downloaded packages between dpkg runs.
install || { sleep 10; install; }
