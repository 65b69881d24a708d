/// The 4-bit frame opcode (RFC 6455 §5.2). Kept open (a raw byte, not an enum) so the parser can
/// name a reserved opcode in its failure instead of losing it.
public struct WebSocketOpcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    public static let continuation = WebSocketOpcode(rawValue: 0x0)
    public static let text = WebSocketOpcode(rawValue: 0x1)
    public static let binary = WebSocketOpcode(rawValue: 0x2)
    public static let close = WebSocketOpcode(rawValue: 0x8)
    public static let ping = WebSocketOpcode(rawValue: 0x9)
    public static let pong = WebSocketOpcode(rawValue: 0xA)

    /// Control frames have the high opcode bit set (RFC 6455 §5.5).
    public var isControl: Bool { self.rawValue & 0x8 != 0 }

    /// Opcodes 3–7 and 0xB–0xF are reserved; receiving one fails the connection (RFC 6455 §5.2).
    public var isReserved: Bool {
        switch self.rawValue {
        case 0x0, 0x1, 0x2, 0x8, 0x9, 0xA: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case .continuation: "continuation"
        case .text: "text"
        case .binary: "binary"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        default: "reserved(0x\(String(self.rawValue, radix: 16)))"
        }
    }
}
