import Foundation

/// Whether attendee comments appear at once (`open`) or wait for a host (`review`).
public enum ModerationMode: String, Sendable, Codable, CaseIterable {
    case open, review
}
