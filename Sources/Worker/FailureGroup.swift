import Foundation

/// All jobs whose failures share a fingerprint: one issue, many occurrences.
public struct FailureGroup: Sendable, Equatable, Codable {
    public var id: Int64
    public var fingerprint: String
    public var namespace: String
    public var title: String?
    public var issueURL: String?
    public var issueNumber: Int?
    public var firstSeen: Date
    public var lastSeen: Date
    public var occurrences: Int

    enum CodingKeys: String, CodingKey {
        case id, fingerprint, namespace, title, occurrences
        case issueURL = "issue_url"
        case issueNumber = "issue_number"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(fingerprint, forKey: .fingerprint)
        try c.encode(namespace, forKey: .namespace)
        try c.encode(title, forKey: .title)
        try c.encode(issueURL, forKey: .issueURL)
        try c.encode(issueNumber, forKey: .issueNumber)
        try c.encode(firstSeen, forKey: .firstSeen)
        try c.encode(lastSeen, forKey: .lastSeen)
        try c.encode(occurrences, forKey: .occurrences)
    }
}
