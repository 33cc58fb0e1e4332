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

    public init(id: Int64, fingerprint: String, namespace: String, title: String?, issueURL: String?, issueNumber: Int?,
                firstSeen: Date, lastSeen: Date, occurrences: Int) {
        self.id = id
        self.fingerprint = fingerprint
        self.namespace = namespace
        self.title = title
        self.issueURL = issueURL
        self.issueNumber = issueNumber
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.occurrences = occurrences
    }

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
