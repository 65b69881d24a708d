import Foundation
import TestSupport
import Testing
import WebSocket

@testable import WebSocketDeflate

/// Where compressing a comment stops paying off (docs/benchmarks.md, "permessage-deflate").
///
/// Every message is compressed on its own (no context takeover), as the server sends them. Set
/// `BACKCHANNEL_DEFLATE_MEASURE=1` to print the table that the threshold was read from.
@Suite struct DeflateThresholdTests {
    static let words = [
        "the", "slide", "about", "latency", "is", "great", "could", "you", "repeat", "question", "how", "does",
        "this", "scale", "thanks", "for", "sharing", "I", "think", "we", "should", "try", "it", "with", "our",
        "team", "next", "week", "what", "about", "memory", "audio", "is", "a", "bit", "quiet", "love", "demo",
    ]

    /// A comment as the live endpoint sends it, with about `textBytes` of text.
    static func comment(id: Int, textBytes: Int, generator: inout SplitMix64) -> [UInt8] {
        var text = ""
        while text.utf8.count < textBytes {
            if !text.isEmpty { text += " " }
            text += words.randomElement(using: &generator)!
        }
        let author = ["Ana", "Bo", "Chidi", "Dana K.", "Emil", "Farah"].randomElement(using: &generator)!
        return Array(
            #"{"type":"comment","id":\#(id),"author":"\#(author)","text":"\#(text)","likes":0,"pinned":false}"#.utf8)
    }

    /// The other live messages: presence, likes, pin and moderation notices.
    static func notice(_ index: Int) -> [UInt8] {
        let id = 10_000 + index * 37
        let notices = [
            #"{"type":"presence","viewers":\#(index * 13)}"#,
            #"{"type":"likes","commentId":\#(id),"likes":\#(index % 50)}"#,
            #"{"type":"pinned","commentId":\#(id)}"#,
            #"{"type":"hidden","commentId":\#(id)}"#,
            #"{"type":"slowmode","seconds":\#(index % 30)}"#,
            #"{"type":"approved","commentId":\#(id),"id":\#(id + 1)}"#,
        ]
        return Array(notices[index % notices.count].utf8)
    }

    /// Live messages of every kind and size: notices and comments with 0…2,048 bytes of text.
    static func corpus() -> [[UInt8]] {
        var generator = SplitMix64(seed: 42)
        var messages = (0..<600).map(Self.notice)
        for textBytes in stride(from: 0, through: 2048, by: 4) {
            for copy in 0..<3 {
                messages.append(Self.comment(id: 20_000 + textBytes * 3 + copy, textBytes: textBytes, generator: &generator))
            }
        }
        return messages
    }

    struct Row {
        var messages = 0
        var plainBytes = 0
        var compressedBytes = 0
        var nanoseconds = 0.0
        var saved: Double { 1 - Double(self.compressedBytes) / Double(self.plainBytes) }
        var averageSaved: Double { Double(self.plainBytes - self.compressedBytes) / Double(self.messages) }
    }

    /// Frame bytes (header + payload) plain and compressed, and compression time, per size bucket.
    static func measure(buckets: [Int]) -> [Row] {
        var rows = Array(repeating: Row(), count: buckets.count)
        let compressor = DeflateCompressor()
        for message in self.corpus() {
            guard let bucket = buckets.lastIndex(where: { message.count >= $0 }) else { continue }
            var size = 0
            var elapsed = Duration.seconds(1)
            for _ in 0..<5 {
                let start = ContinuousClock.now
                size = compressor.compress(message)!.count
                elapsed = min(elapsed, ContinuousClock.now - start)
            }
            rows[bucket].messages += 1
            rows[bucket].nanoseconds += Double(elapsed.components.attoseconds) / 1e9
            rows[bucket].plainBytes += WebSocketFrameEncoder.headerSize(payloadLength: message.count) + message.count
            rows[bucket].compressedBytes += WebSocketFrameEncoder.headerSize(payloadLength: size) + size
        }
        return rows
    }

    static let buckets = [0, 32, 48, 64, 80, 96, 112, 128, 160, 192, 256, 384, 512, 1024, 2048]

    @Test func thresholdMatchesMeasurement() {
        let rows = Self.measure(buckets: Self.buckets)
        if ProcessInfo.processInfo.environment["BACKCHANNEL_DEFLATE_MEASURE"] != nil {
            print("| message bytes | messages | saved per message | saved | µs per message |")
            print("|---|---:|---:|---:|---:|")
            for (index, row) in rows.enumerated() where row.messages > 0 {
                let upper = index + 1 < Self.buckets.count ? "\(Self.buckets[index + 1] - 1)" : "…"
                print(
                    "| \(Self.buckets[index])–\(upper) | \(row.messages) | \(String(format: "%.1f", row.averageSaved)) B | "
                        + "\(String(format: "%.0f %%", row.saved * 100)) | "
                        + "\(String(format: "%.1f", row.nanoseconds / Double(row.messages) / 1000)) |")
            }
        }
        let threshold = PerMessageDeflate.defaultMinimumMessageBytes
        for (index, row) in rows.enumerated() where row.messages > 0 {
            let bucket = Self.buckets[index]
            if bucket >= threshold {
                #expect(row.saved >= 0.10, "compression should save 10 % from \(bucket) bytes")
            } else {
                #expect(row.saved < 0.10, "compression saves 10 % already at \(bucket) bytes")
            }
            if bucket < 48 {
                #expect(row.saved < 0, "under 48 bytes compression should not shrink the frame")
            }
        }
    }

    /// A 100-byte JSON comment, the figure quoted in docs/benchmarks.md.
    @Test func hundredByteComment() throws {
        let message = Array(#"{"type":"comment","id":12345,"author":"Dana K.","text":"could you repeat that question?","likes":10}"#.utf8)
        #expect(message.count == 100)
        let compressed = try #require(DeflateCompressor().compress(message))
        #expect(compressed.count < message.count)
        if ProcessInfo.processInfo.environment["BACKCHANNEL_DEFLATE_MEASURE"] != nil {
            print("100-byte comment: plain frame \(message.count + 2) bytes, deflated frame \(compressed.count + 2) bytes")
        }
    }
}
