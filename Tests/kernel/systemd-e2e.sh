#!/bin/bash
# Tests/kernel/systemd-e2e.sh — the Debian package under real systemd: boots the harness guest
# with Debian's systemd as PID 1 (run.sh --systemd: an overlay over the host root, so dpkg can
# install), then in that one boot installs build/iotoyd_*.deb with dpkg and checks that
# iotoyd.service is active as the user iotoy (not root) after READY=1, that the device access it
# uses comes from the installed udev rules, that it serves systemd-board.yaml (LED → gpio-sim,
# servo → pwm-sim's duty, the BME280 image's compensated values), its exposure score, that the
# watchdog restarts a SIGSTOPped daemon within 2 × WatchdogSec, that `systemctl reload` serves an
# edited board without rewriting the unchanged servo's channel, that stop leaves the simulators
# safe, that an upgrade keeps the edited board and the tokens, and that remove keeps
# /etc/iotoy while purge removes it and the user. Prints
# "N passed, M failed".
#
#   Tests/kernel/systemd-e2e.sh [--deb PATH] [run.sh options]
HERE=$(cd "$(dirname "$0")" && pwd)
if [ -z "${IOTOY_HARNESS:-}" ]; then
    deb=
    while [ $# -gt 0 ]; do
        case "$1" in
            --deb) deb=$2; shift 2 ;;
            *) break ;;
        esac
    done
    [ -n "$deb" ] || deb=$(ls -t "$HERE"/../../build/iotoyd_*.deb 2>/dev/null | head -n1)
    [ -f "$deb" ] || { echo "systemd-e2e: no package (make deb first)" >&2; exit 1; }
    deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
    exec "$HERE/run.sh" --systemd "$@" -- "$HERE/systemd-e2e.sh" "$deb"
fi

DEB=$1
W=/tmp/systemd-e2e
. "$HERE/lib.sh"
PORT=5000
main_pid() { systemctl show -p MainPID --value iotoyd; }
is_active() { [ "$(systemctl is-active iotoyd)" = active ]; }
[ "$IOTOY_I2C_BUS" = 0 ] || { echo "systemd-e2e: the board expects i2c-stub on bus 0, not $IOTOY_I2C_BUS"; exit 1; }

# ---- install
# The host image is a container's: its policy-rc.d forbids starting services from maintainer
# scripts. A Pi has none; neither does this guest.
rm -f /usr/sbin/policy-rc.d
# man-db's trigger re-indexes every man page on the host root (minutes over 9p under TCG);
# what it would do is not under test.
rm -f /var/lib/man-db/auto-update
t=$(date +%s%N)
timeout 240 dpkg -i "$DEB" > $W/install.txt 2>&1; check "dpkg -i the package ($(( ($(date +%s%N) - t) / 1000000 )) ms)" 0 $?
has "postinst prints the first admin token" "the admin token of this robot" $W/install.txt
until_ok 30 is_active && ok "iotoyd.service is active (Type=notify: after READY=1)" || { bad "iotoyd.service not active"; systemctl status iotoyd --no-pager -l | tail -n 20; }
check "its enablement" enabled "$(systemctl is-enabled iotoyd)"
uid=$(sed -n 's/^Uid:\t\([0-9]*\).*/\1/p' /proc/$(main_pid)/status)
check "it runs as the user iotoy, not root" "$(id -u iotoy)" "$uid"
groups=" $(id -nG iotoy) "
case $groups in *" gpio "*) case $groups in *" i2c "*) ok "iotoy is in gpio and i2c:$groups" ;; *) bad "iotoy's groups:$groups" ;; esac ;; *) bad "iotoy's groups:$groups" ;; esac
systemctl show -p StatusText --value iotoyd > $W/status.txt
has "READY=1 came with its status" "^serving .* components on port 5000" $W/status.txt
until_ok 20 get_value_is /tail 0 && ok "the starter board serves the demo cat (simulated): GET /tail" || bad "starter GET /tail: $(cat $W/body)"
check "the first admin token is kept 0600 iotoy" "600 iotoy" "$(stat -c '%a %U' /etc/iotoy/tokens)"

# ---- the exposure score of the live unit
systemd-analyze security iotoyd --no-pager > $W/security.txt 2>&1 || systemd-analyze security --offline=true /lib/systemd/system/iotoyd.service --no-pager > $W/security.txt 2>&1
score=$(sed -n 's/.*Overall exposure level for iotoyd.service: \([0-9.]*\).*/\1/p' $W/security.txt)
if [ -n "$score" ] && awk "BEGIN { exit !($score <= 1.5) }"; then ok "systemd-analyze security iotoyd: $score (<= 1.5)"; else bad "exposure score '$score'"; tail -n 5 $W/security.txt; fi

# ---- the harness board on the kernel's simulators (the BME280 image of e2e.sh)
preload_bme280
install -m 0640 -g iotoy "$HERE/systemd-board.yaml" /etc/iotoy/board.yaml
systemctl restart iotoyd; check "restart with the harness board" 0 $?
check "… active" active "$(systemctl is-active iotoyd)"
check "/dev/gpiochip* belongs to gpio (the installed udev rule)" "gpio 660" "$(stat -c '%G %a' /dev/$IOTOY_GPIOSIM_CHIP)"
check "/dev/i2c-0 belongs to i2c" "i2c 660" "$(stat -c '%G %a' /dev/i2c-0)"
check "PUT /led true" 200 "$(code PUT /led true)"
check "… drives gpio-sim's GPIO17" 1 "$(sim_value GPIO17)"
until_ok 10 get_value_is /climate/temperature 25.08 && ok "GET /climate/temperature: 25.08 (the datasheet's value)" || bad "temperature: $(cat $W/body)"
P=$IOTOY_PWM_SYSFS/pwm0
check "PUT /tail 45" 200 "$(code PUT /tail 45)"
check "… pwm-sim's duty 1000 µs, enabled" "1000000 1" "$(cat $P/duty_cycle) $(cat $P/enable)"
check "sysfs PWM belongs to gpio after export (udev's chgrp)" gpio "$(stat -c %G $P/duty_cycle)"

# ---- reload: a horn is added, the tail is unchanged and its channel is not written again
echo 1234567 > $P/duty_cycle   # a sentinel: any write by iotoyd would replace it
cp /etc/iotoy/board.yaml $W/board.yaml
echo '  horn:    { kind: gpio_out, line: gpio/GPIO22, initial: true }' >> $W/board.yaml
install -m 0640 -g iotoy $W/board.yaml /etc/iotoy/board.yaml
pid=$(main_pid)
systemctl reload iotoyd; check "systemctl reload" 0 $?
until_ok 10 get_value_is /horn true && ok "the new component serves after the reload" || bad "GET /horn: $(cat $W/body)"
check "… and drives GPIO22" 1 "$(sim_value GPIO22)"
check "the unchanged servo's channel was not rewritten" 1234567 "$(cat $P/duty_cycle)"
check "the same process (no restart)" "$pid" "$(main_pid)"
check "the LED kept its state" 1 "$(sim_value GPIO17)"
journalctl -u iotoyd --no-pager > $W/journal.txt
has "the reload is logged" "board file reloaded" $W/journal.txt

# ---- the watchdog: a stopped daemon is killed and restarted
restarts=$(systemctl show -p NRestarts --value iotoyd)
t=$(date +%s%N)
kill -STOP "$pid"
restarted() { local now; now=$(main_pid); [ -n "$now" ] && [ "$now" != 0 ] && [ "$now" != "$pid" ] && is_active; }
if until_ok 25 restarted; then
    ok "SIGSTOP: the watchdog restarted iotoyd in $(( ($(date +%s%N) - t) / 1000000 )) ms (limit 20000)"
else
    bad "no restart after SIGSTOP"; systemctl status iotoyd --no-pager -l | tail -n 15
fi
check "NRestarts counted it" $((restarts + 1)) "$(systemctl show -p NRestarts --value iotoyd)"
journalctl -b --no-pager > $W/journal.txt
has "systemd names the watchdog" "iotoyd.service: Watchdog timeout" $W/journal.txt
until_ok 10 get_value_is /horn true && ok "serving again after the restart" || bad "after restart: $(cat $W/body)"

# ---- an upgrade (the same package again: prerm upgrade, then postinst configure <old version>)
# keeps the edited board (a conffile) and the tokens, makes no new token and restarts.
sums() { sha256sum /etc/iotoy/board.yaml /etc/iotoy/tokens; }
before=$(sums)
timeout 240 dpkg -i "$DEB" > $W/upgrade.txt 2>&1; rc=$?
check "dpkg -i again: an upgrade" 0 $rc
[ $rc = 0 ] || sed 's/^/     /' $W/upgrade.txt | tail -n 20
check "the upgrade keeps the edited board and the tokens" "$before" "$(sums)"
if grep -q "the admin token of this robot" $W/upgrade.txt; then bad "the upgrade printed a new token"; else ok "no new token on upgrade"; fi
until_ok 30 is_active && ok "active again after the upgrade" || bad "not active after the upgrade"
until_ok 10 get_value_is /horn true && ok "… serving the edited board" || bad "after the upgrade: $(cat $W/body)"

# ---- stop: safe states in the simulators' own files
check "PUT /led true" 200 "$(code PUT /led true)"
systemctl stop iotoyd; check "systemctl stop" 0 $?
check "the LED line is released low" 0 "$(sim_value GPIO17)"
if [ ! -e $P ] || [ "$(cat $P/enable)" = 0 ]; then ok "the servo is limp (pwm0 unexported or disabled)"; else bad "pwm0 still enabled: $(cat $P/duty_cycle)"; fi
journalctl -u iotoyd --no-pager > $W/journal.txt
has "the daemon logged its safe shutdown" "hardware in safe state and released" $W/journal.txt

# ---- remove keeps the configuration; purge removes it and the user
timeout 60 systemctl start iotoyd; check "started again" 0 $?
timeout 120 dpkg -r iotoyd > $W/remove.txt 2>&1; check "dpkg -r" 0 $?
check "removed: the service is stopped" inactive "$(systemctl is-active iotoyd 2>/dev/null)"
[ ! -e /usr/bin/iotoyd ] && ok "removed: /usr/bin/iotoyd is gone" || bad "removed: /usr/bin/iotoyd still there"
[ -f /etc/iotoy/board.yaml ] && [ -f /etc/iotoy/tokens ] && ok "removed: /etc/iotoy and the tokens are kept" || bad "removed: config gone"
timeout 120 dpkg -P iotoyd > $W/purge.txt 2>&1; check "dpkg -P" 0 $?
[ ! -e /etc/iotoy ] && ok "purged: /etc/iotoy is gone" || bad "purged: /etc/iotoy remains"
getent passwd iotoy >/dev/null && bad "purged: the user iotoy remains" || ok "purged: the user iotoy is gone"

echo
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
