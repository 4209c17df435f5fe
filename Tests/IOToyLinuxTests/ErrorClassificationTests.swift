import Glibc
import IOToyHAL
import Testing
@testable import IOToyLinux

/// Kernel errnos become the HAL's error kinds in one place, with the device and operation named.
@Suite struct ErrorClassificationTests {
    @Test(arguments: [
        (ENOENT, HardwareError.Kind.notFound), (ENODEV, .notFound), (EBUSY, .busy), (EACCES, .permissionDenied),
        (EPERM, .permissionDenied), (EINVAL, .unsupported), (EOPNOTSUPP, .unsupported), (EIO, .io),
        (EREMOTEIO, .io), (ETIMEDOUT, .timeout), (EPIPE, .disconnected),
    ])
    func errnoKinds(code: Int32, kind: HardwareError.Kind) {
        let error = HardwareError(errno: code, operation: "read", device: "i2c-1 address 0x76")
        #expect(error.kind == kind)
        #expect(error.errno == code)
        #expect(error.description.hasPrefix("i2c-1 address 0x76: read failed"))
    }

    /// A NACK on an I2C transaction is an I/O failure of that transaction, not a missing bus.
    @Test(arguments: [ENXIO, ENODEV, EREMOTEIO])
    func i2cNacksAreIOErrors(code: Int32) {
        let raw = HardwareError(errno: code, operation: "read byte data 0xd0", device: "i2c-1 address 0x77")
        let error = LinuxI2CBus.classify(raw)
        #expect(error.kind == .io)
        #expect(error.errno == code)
        #expect(error.operation == "read byte data 0xd0")
        #expect(error.message!.hasPrefix("no device answered (NACK)"))
    }

    @Test func otherI2CErrorsKeepTheirKind() {
        let raw = HardwareError(errno: EBUSY, operation: "select address", device: "i2c-1 address 0x40")
        #expect(LinuxI2CBus.classify(raw) == raw)
    }

    @Test func failingCallsNameTheirOperationAndEINTRIsRetried() {
        var calls = 0
        let result = try? Syscall.retrying("poll", device: "gpiochip0") { () -> Int32 in
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 7
        }
        #expect(result == 7 && calls == 3)
        #expect {
            try Syscall.returningNegativeErrno("read word data 0x88", device: "i2c-0 address 0x76") { -Int32(EIO) }
        } throws: { error in
            (error as? HardwareError).map { $0.kind == .io && $0.errno == EIO && $0.operation == "read word data 0x88" } ?? false
        }
    }

    @Test func durationsConvertForPollAndTheKernel() {
        #expect(Duration.milliseconds(50).pollMilliseconds == 50)
        #expect(Duration.microseconds(1).pollMilliseconds == 1, "rounded up: a short wait does not spin")
        #expect(Duration.zero.pollMilliseconds == 0)
        #expect(Duration.milliseconds(10).wholeMicroseconds == 10_000)
        #expect(Duration.seconds(2).wholeNanoseconds == 2_000_000_000)
        #expect(Duration.milliseconds(-5).wholeNanoseconds == 0)
    }
}
