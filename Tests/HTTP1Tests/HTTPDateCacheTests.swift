import HTTP1
import Testing

@Suite struct HTTPDateCacheTests {
    @Test func formatsIMFFixdate() {
        #expect(HTTPDateCache.format(epochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")  // RFC 9110's example
        #expect(HTTPDateCache.format(epochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDateCache.format(epochSeconds: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDateCache.format(epochSeconds: 4_102_444_799) == "Thu, 31 Dec 2099 23:59:59 GMT")
        #expect(HTTPDateCache.format(epochSeconds: -1) == "Wed, 31 Dec 1969 23:59:59 GMT")
        #expect(HTTPDateCache.format(epochSeconds: 1_709_164_800) == "Thu, 29 Feb 2024 00:00:00 GMT")
        // 2100 is not a leap year: February ends on the 28th.
        #expect(HTTPDateCache.format(epochSeconds: 4_107_542_399) == "Sun, 28 Feb 2100 23:59:59 GMT")
        #expect(HTTPDateCache.format(epochSeconds: 4_107_542_400) == "Mon, 01 Mar 2100 00:00:00 GMT")
    }

    @Test func currentLooksLikeADateAndIsStable() {
        let cache = HTTPDateCache()
        let value = cache.current
        #expect(value.utf8.count == 29)
        #expect(value.hasSuffix(" GMT"))
        #expect(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].contains(String(value.prefix(3))))
        let year = Int(value.dropFirst(12).prefix(4)) ?? 0
        #expect(year >= 2024)
        // Cheap enough to call per response: many calls, at most a couple of distinct values.
        let values = Set((0..<10_000).map { _ in cache.current })
        #expect(values.count <= 2)
    }
}
