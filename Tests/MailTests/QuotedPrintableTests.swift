import Foundation
import TestSupport
import Testing

@testable import Mail

@Suite("Quoted-printable")
struct QuotedPrintableTests {
    static func decode(_ text: String) -> String { QuotedPrintableDecoding.decode(text) }

    @Test(arguments: [
        "Hello Zoë,\n\nyou have a seat at \"Launch — day one\" (東京).\n",
        String(repeating: "a", count: 500),
        String(repeating: "é", count: 100) + "\n.starts with a dot\n",
        "trailing space \ntab\there = equals\n",
        String(repeating: "word ", count: 40) + "\r\nCRLF line\r\n",
    ])
    func roundTripsWithShortASCIILines(text: String) {
        let encoded = QuotedPrintable.encode(text)
        #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
        let lines = encoded.split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 76 }, "\(lines.map(\.count).max() ?? 0)")
        #expect(lines.allSatisfy { !$0.hasPrefix(".") }, "a leading dot would need SMTP dot-stuffing")
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
        #expect(!encoded.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        #expect(Self.decode(encoded) == text.replacingOccurrences(of: "\r\n", with: "\n"))
    }
}
