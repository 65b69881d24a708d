import CLinux

#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a non-blocking call: it did its work, or the kernel had nothing for now.
public enum IOResult<T> {
    case processed(T)
    case wouldBlock
}

/// Runs one system call the way every call in this target runs: `EINTR` is retried, `EAGAIN` becomes
/// `.wouldBlock`, `EBADF`/`EFAULT` are programmer errors (asserted in debug builds), anything else throws.
@inline(__always)
func syscall<T: FixedWidthInteger>(
    _ function: StaticString,
    _ body: () -> T
) throws(IOError) -> IOResult<T> {
    while true {
        let result = body()
        if result != -1 { return .processed(result) }
        let err = clinux_errno()
        switch err {
        case EINTR:
            continue
        case EAGAIN:
            return .wouldBlock
        case EBADF, EFAULT:
            assertionFailure("\(function) failed with errno \(err): a descriptor or pointer was wrong")
            throw IOError(errnoCode: err, function: "\(function)")
        default:
            throw IOError(errnoCode: err, function: "\(function)")
        }
    }
}

/// Like `syscall`, for calls that never return `EAGAIN` (setup calls): the result or a thrown error.
@inline(__always)
func syscallValue<T: FixedWidthInteger>(_ function: StaticString, _ body: () -> T) throws(IOError) -> T {
    switch try syscall(function, body) {
    case .processed(let value): return value
    case .wouldBlock: throw IOError(errnoCode: EAGAIN, function: "\(function)")
    }
}

/// Milliseconds on the monotonic clock: deadlines never jump with the wall clock.
@inline(__always)
func monotonicMilliseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1000 &+ UInt64(ts.tv_nsec / 1_000_000)
}
