# iotoyd: the two commands of the README, and the rest.
.PHONY: demo test deps check-boards test-mdns test-firmware test-kernel bench clean

# Serve the demo robot on simulated hardware at http://localhost:5000/
demo: deps
	swift run iotoyd

# Build and run every Swift test (unit, HTTP contract, end-to-end against the real binary).
test: deps
	swift build --build-tests
	swift test --skip-build

deps:
	scripts/install-deps.sh

# Validate every board file under boards/.
check-boards:
	swift build --product iotoyd
	for board in boards/*.yaml; do .build/debug/iotoyd check "$$board" >/dev/null || exit 1; done

# mDNS against a real avahi-daemon in a network namespace (root only): advertise, browse,
# the iotoy client by name, name collisions, daemon restarts, withdrawal.
test-mdns: deps
	swift build
	bash Tests/mdns/run.sh

# The Arduino firmware: AVR builds, host build over a pty, simavr runs; then iotoyd against
# the real BotHost ELF in simavr (IOTOY_REQUIRE_SIMAVR turns a missing build into a failure).
test-firmware:
	bash Firmware/install-deps.sh
	bash Firmware/test.sh
	swift build --build-tests
	IOTOY_REQUIRE_SIMAVR=1 swift test --skip-build --filter SimavrBotHostTests

# The kernel's own simulators (gpio-sim, i2c-stub, a PWM chip) under QEMU.
test-kernel:
	bash Tests/kernel/prepare.sh
	bash Tests/kernel/smoke.sh

bench:
	scripts/bench.sh

clean:
	rm -rf .build
