#!/usr/bin/env bash
# Installs, upgrades, removes and purges an iotoyd .deb for real, but inside a throwaway
# overlay of / (a private mount namespace; every change lands in a tmpfs and is gone at exit),
# and checks what the maintainer scripts did: the iotoy user and its groups, /etc/iotoy and
# the first token, the service enabled (and an admin's disable kept on upgrade), the conffile
# kept, everything but the shared groups gone on purge. No systemd or udev runs in the
# sandbox, so postinst's start and udev steps are skipped there, as in a chroot.
#
#   sudo bash Tests/package/install-sandbox.sh [build/iotoyd_<version>_<arch>.deb]
#
# Needs root (unshare, overlayfs) and the package's dependencies installed on this machine.
# Prints PASS/FAIL per check; exits 1 if anything failed.
set -euo pipefail
cd "$(dirname "$0")/../.."

deb=${1:-$(ls -t build/iotoyd_*.deb 2>/dev/null | head -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || { echo "install-sandbox.sh: no package; build one with make deb" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "install-sandbox.sh: needs root (a mount namespace and overlayfs)" >&2; exit 2; }
deb=$(realpath "$deb")
base=$(mktemp -d)
trap 'rmdir "$base" 2>/dev/null || true' EXIT

# The checks, run inside the chroot as /tmp/inner.sh.
cat > "$base.inner" <<'INNER'
#!/bin/sh
set -u
export DEBIAN_FRONTEND=noninteractive DPKG_MAINTSCRIPT_PACKAGE=iotoyd
failed=0
ok() { if eval "$2" >/dev/null 2>&1; then echo "PASS  $1"; else echo "FAIL  $1"; failed=1; fi; }
wants=/etc/systemd/system/multi-user.target.wants/iotoyd.service

# First install.
dpkg -i /tmp/pkg.deb > /tmp/install.log 2>&1; rc=$?
ok "install: dpkg -i succeeds" "[ $rc -eq 0 ]"
[ $rc -eq 0 ] || cat /tmp/install.log
ok "install: the admin token is printed once" "grep -q 'shown ONCE' /tmp/install.log"
ok "install: system user iotoy, no login, home /nonexistent" "getent passwd iotoy | grep -q ':/nonexistent:/usr/sbin/nologin$'"
for group in gpio i2c dialout iotoy; do
  ok "install: iotoy is in group $group" "id -nG iotoy | tr ' ' '\n' | grep -q -x $group"
done
ok "install: /etc/iotoy is root:iotoy 0750" "[ \"\$(stat -c '%U:%G %a' /etc/iotoy)\" = 'root:iotoy 750' ]"
ok "install: /etc/iotoy/tokens is iotoy:iotoy 0600" "[ \"\$(stat -c '%U:%G %a' /etc/iotoy/tokens)\" = 'iotoy:iotoy 600' ]"
ok "install: the tokens file holds an admin token" "grep -q '^admin admin [0-9a-f]\{64\}$' /etc/iotoy/tokens"
ok "install: the service is enabled" "[ -L $wants ]"
ok "install: the iotoy user may read the board (iotoyd check)" "setpriv --reuid iotoy --regid iotoy --init-groups iotoyd check /etc/iotoy/board.yaml"
ok "install: the iotoy user may read the tokens" "setpriv --reuid iotoy --regid iotoy --init-groups iotoyd token list | grep -q '^admin'"
ok "install: others may not read /etc/iotoy" "! setpriv --reuid nobody --regid nogroup --clear-groups cat /etc/iotoy/board.yaml"
# The daemon as the service runs it (user, groups, files), serving the starter board.
if command -v curl >/dev/null; then
  setpriv --reuid iotoy --regid iotoy --init-groups iotoyd serve /etc/iotoy/board.yaml --port 5099 --bind 127.0.0.1 --no-advertise > /tmp/serve.log 2>&1 &
  pid=$!
  answered=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    sleep 0.5
    curl -s -f http://127.0.0.1:5099/devinfo > /tmp/devinfo 2>/dev/null && { answered=1; break; }
  done
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  ok "install: iotoyd serves the starter board as user iotoy (/devinfo answers)" "[ -n '$answered' ]"
  [ -n "$answered" ] || sed 's/^/        serve: /' /tmp/serve.log | head -8
fi

# Configure again (same version): nothing new.
cp /etc/iotoy/tokens /tmp/tokens.before
echo "# an admin's edit" >> /etc/iotoy/board.yaml
dpkg -i /tmp/pkg.deb > /tmp/reinstall.log 2>&1
ok "reinstall: succeeds, no second token" "! grep -q 'shown ONCE' /tmp/reinstall.log && cmp -s /tmp/tokens.before /etc/iotoy/tokens"
ok "reinstall: the edited conffile is kept" "tail -n 1 /etc/iotoy/board.yaml | grep -q \"an admin's edit\""

# Root adds a token: the file keeps its owner.
iotoyd token add laptop --role control > /dev/null 2>&1
ok "token add as root: the file stays iotoy:iotoy 0600" "[ \"\$(stat -c '%U:%G %a' /etc/iotoy/tokens)\" = 'iotoy:iotoy 600' ]"

# Upgrade to a newer version while the admin has the service disabled: it stays disabled.
dpkg-deb -R /tmp/pkg.deb /tmp/v2 && sed -i 's/^Version: .*/&.1/' /tmp/v2/DEBIAN/control && dpkg-deb -Znone -b /tmp/v2 /tmp/v2.deb > /dev/null
deb-systemd-helper disable iotoyd.service
dpkg -i /tmp/v2.deb > /tmp/upgrade.log 2>&1; rc=$?
ok "upgrade: succeeds" "[ $rc -eq 0 ]"
ok "upgrade: an admin's disable is kept" "[ ! -e $wants ]"
ok "upgrade: tokens kept" "grep -q '^laptop control' /etc/iotoy/tokens"
deb-systemd-helper enable iotoyd.service

# Remove: disabled, configuration and user kept.
dpkg -r iotoyd > /tmp/remove.log 2>&1; rc=$?
ok "remove: succeeds" "[ $rc -eq 0 ]"
ok "remove: the service is disabled" "[ ! -e $wants ]"
ok "remove: /etc/iotoy and the user stay" "[ -f /etc/iotoy/tokens ] && [ -f /etc/iotoy/board.yaml ] && getent passwd iotoy"
dpkg -i /tmp/v2.deb > /tmp/reinstall2.log 2>&1
ok "install after remove: enabled again, no new token" "[ -L $wants ] && ! grep -q 'shown ONCE' /tmp/reinstall2.log"

# Purge: everything of ours is gone; the shared groups stay.
dpkg -P iotoyd > /tmp/purge.log 2>&1; rc=$?
ok "purge: succeeds" "[ $rc -eq 0 ]"
ok "purge: /etc/iotoy is gone" "[ ! -e /etc/iotoy ]"
ok "purge: user and group iotoy are gone" "! getent passwd iotoy && ! getent group iotoy"
ok "purge: groups gpio and i2c stay" "getent group gpio && getent group i2c"
ok "purge: no enablement left" "[ ! -e $wants ] && ! ls /var/lib/systemd/deb-systemd-helper-enabled/ 2>/dev/null | grep -q iotoyd"

# A user made by hand before the package (the README's old useradd way) is taken over.
useradd --system --user-group --no-create-home --shell /usr/sbin/nologin iotoy
dpkg -i /tmp/pkg.deb > /tmp/takeover.log 2>&1; rc=$?
ok "existing useradd user: install succeeds and adds the groups" "[ $rc -eq 0 ] && id -nG iotoy | grep -q gpio"
exit $failed
INNER

# The sandbox: / as the read-only lower layer of an overlay whose upper layer is a tmpfs;
# fresh /run (no systemd, no udev: their steps are skipped) and /tmp; /dev and /proc shared.
status=0
unshare -m --propagation private bash -c '
  set -e
  base=$1 deb=$2
  mount -t tmpfs -o size=3g tmpfs "$base"
  mkdir -p "$base/upper" "$base/work" "$base/root"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/root"
  mount --rbind /dev "$base/root/dev"
  mount -t proc proc "$base/root/proc"
  mount -t tmpfs tmpfs "$base/root/run"
  mount -t tmpfs tmpfs "$base/root/tmp"
  cp "$deb" "$base/root/tmp/pkg.deb"
  cp "$base.inner" "$base/root/tmp/inner.sh"
  chroot "$base/root" /bin/sh /tmp/inner.sh
' _ "$base" "$deb" | tee "$base.out" || status=1
rm -f "$base.inner"
passed=$(grep -c '^PASS' "$base.out" || true)
failed=$(grep -c '^FAIL' "$base.out" || true)
rm -f "$base.out"
echo
echo "install-sandbox.sh: $passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
