import Foundation

/// Where an event stands in time; raw values are the contract's `state` strings.
public enum EventState: String, Sendable, Codable, CaseIterable {
    case scheduled, live, ended
}
