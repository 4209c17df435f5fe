/// A C object pointer (a libgpiod chip or request through the shim) kept inside a `Mutex`:
/// the mutex is the only way to reach it, so it is never used from two threads at once.
struct ShimHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
