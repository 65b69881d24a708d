import Testing
import Webinar

@Suite("Slug")
struct SlugTests {
    @Test(arguments: ["a", "0", "launch-day", "2026-kickoff", "a-", String(repeating: "a", count: 64)])
    func valid(slug: String) { #expect(Slug.isValid(slug)) }

    @Test(arguments: ["", "-a", "A", "launch_day", "launch day", "café", String(repeating: "a", count: 65)])
    func invalid(slug: String) { #expect(!Slug.isValid(slug)) }

    @Test(arguments: [
        ("Launch Day 2026!", "launch-day-2026"),
        ("  --Hello,   World--  ", "hello-world"),
        ("Café Crème", "cafe-creme"),
        ("日本語", "event"),
        ("!!!", "event"),
    ])
    func derive(title: String, slug: String) { #expect(Slug.derive(from: title) == slug) }

    @Test func derivedSlugsAreCutAndValid() {
        let long = Slug.derive(from: String(repeating: "word ", count: 40))
        #expect(long.count <= 64)
        #expect(!long.hasSuffix("-"))
        #expect(Slug.isValid(long))
    }

    @Test func suffixesFit() {
        let base = String(repeating: "a", count: 64)
        let suffixed = Slug.suffixed(base, suffix: Slug.randomSuffix())
        #expect(suffixed.count == 64)
        #expect(Slug.isValid(suffixed))
        #expect(Slug.suffixed("launch", suffix: "x1y2z") == "launch-x1y2z")
        #expect(Slug.suffixed(String(repeating: "a", count: 57) + "-b", suffix: "zzzzz").hasSuffix("a-zzzzz"))
    }
}
