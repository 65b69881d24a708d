#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: the errno and the call that set it.
public struct IOError: Error, CustomStringConvertible, Sendable {
    public let errnoCode: Int32
    public let function: String

    public init(errnoCode: Int32, function: String) {
        self.errnoCode = errnoCode
        self.function = function
    }

    public var description: String {
        "\(self.function) failed: \(String(cString: strerror(self.errnoCode))) (errno \(self.errnoCode))"
    }
}
