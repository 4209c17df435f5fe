# iotoyd: the two commands of the README, and the rest.
.PHONY: test-fuzz test-openapi test-metrics demo test deps check-boards test-mdns test-firmware test-kernel test-systemd test-browser bench clean deb install test-package

# Serve the demo robot on simulated hardware at http://localhost:5000/
demo: deps
	swift run iotoyd

# Build and run every Swift test (unit, HTTP contract, end-to-end against the real binary).
test: deps
	scripts/install-deps.sh --test
	swift build --build-tests
	swift test --skip-build

deps:
	scripts/install-deps.sh

# Validate every board file under boards/.
check-boards:
	swift build --product iotoyd
	for board in boards/*.yaml Tests/kernel/harness-board.yaml; do .build/debug/iotoyd check "$$board" >/dev/null || exit 1; done

# mDNS against a real avahi-daemon in a network namespace (root only): advertise, browse,
# the iotoy client by name, name collisions, daemon restarts, withdrawal.
test-mdns: deps
	swift build
	bash Tests/mdns/run.sh

# The dashboard in headless Chromium (Debian's chromium and chromium-driver, Selenium): every
# resource of the demo shown, a slider moves the servo, a limit is shown, the bumper live.
test-browser:
	scripts/install-deps.sh --browser
	swift build --product iotoyd
	bash Tests/browser/run.sh

# The Arduino firmware: AVR builds, host build over a pty, simavr runs; then iotoyd against
# the real BotHost ELF in simavr (IOTOY_REQUIRE_SIMAVR turns a missing build into a failure).
test-firmware:
	bash Firmware/install-deps.sh
	bash Firmware/test.sh
	swift build --build-tests
	IOTOY_REQUIRE_SIMAVR=1 swift test --skip-build --filter SimavrBotHostTests

# The kernel's own simulators (gpio-sim, i2c-stub, a PWM chip) under QEMU: the Linux backends'
# tests and the real iotoyd end to end, with libgpiod v1 and with v2 (Debian 13's library, which
# prepare.sh fetches). One guest boot; see Tests/kernel/README.md. The v2 iotoyd is built in the
# same build directory with v2's pkg-config file first, so only what links libgpiod recompiles
# (CGPIOD, IOToyLinux, iotoyd: about a minute, where a build directory of its own took seven);
# it is kept in .build/gpiod2/, and the same three are rebuilt against v1 before the tests.
test-kernel: deps
	bash Tests/kernel/prepare.sh
	swift build --build-tests
	( . $${IOTOY_KERNEL_CACHE:-Tests/kernel/cache}/gpiod2.env && swift build --product iotoyd )
	mkdir -p .build/gpiod2 && cp .build/debug/iotoyd .build/gpiod2/iotoyd
	swift build --product iotoyd
	IOTOY_GPIOD2_BUILD=$(CURDIR)/.build/gpiod2 bash Tests/kernel/test.sh

# GET /metrics of the real binary, checked by Prometheus' own linter (promtool check metrics).
test-metrics:
	scripts/install-deps.sh --promtool
	swift build --product iotoyd
	bash Tests/metrics/check.sh

# The REST contract checked by schemathesis (PyPI, in a cached venv) against the real binary on
# the demo board, from the daemon's own /_openapi.json (docs/wire.md §2.9).
test-openapi:
	scripts/install-deps.sh --openapi
	swift build --product iotoyd
	bash Tests/openapi/run.sh

# The libFuzzer targets with AddressSanitizer, 100,000 executions each from the seed corpora
# (Fuzz/run.sh; a separate package under Fuzz/ so the sanitizer flags reach what they test).
test-fuzz:
	bash Fuzz/run.sh

# The benchmark suite, figures not tests (scripts/bench/run.sh; --quick for a short run): REST
# read against a bare Hummingbird peer in one run, write, serial overhead, edge -> SSE,
# failsafe, a 1,024-servo board, footprint. A table, and build/bench.json.
bench:
	scripts/bench/run.sh

# The Debian package, build/iotoyd_<version>_<arch>.deb: a release build with the Swift runtime
# linked in, the sandboxed systemd unit, udev rules, a starter board (scripts/deb.sh).
# IOTOY_PREBUILT=DIR packages the iotoyd and iotoy already built in DIR instead of building.
deb: deps
	scripts/install-deps.sh --deb
	scripts/deb.sh

# On the robot, the one command: build the package and install it (user iotoy in gpio, i2c and
# dialout, udev rules, the service enabled and started, an admin token printed once).
# The newest package built; --reinstall so a rebuild of the same version is installed too.
install: deb
	deb=$$(ls -t build/iotoyd_*.deb | head -n 1); \
	sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	$$sudo apt-get install -y --reinstall --allow-downgrades -o DPkg::Lock::Timeout=600 "./$$deb"

# Checks the newest package without installing it: Depends, files, conffiles, the unit's
# exposure score and verify, the udev groups, the packaged iotoyd on the starter board.
test-package:
	bash Tests/package/check.sh

# The package under real systemd in the kernel harness (one boot, systemd as PID 1): dpkg -i,
# the service as iotoy with udev's device access, READY, the exposure score, the watchdog,
# a reload that leaves an unchanged servo alone, safe states at stop, remove and purge.
# Installs the newest build/iotoyd_*.deb: make deb first.
test-systemd:
	bash Tests/kernel/prepare.sh
	bash Tests/kernel/systemd-e2e.sh

clean:
	rm -rf .build
