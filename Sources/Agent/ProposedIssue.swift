/// An issue a dry run withheld: what the model asked to create.
public struct ProposedIssue: Sendable, Equatable, Codable {
    public var tool: String
    public var title: String?
    public var body: String?
    public var arguments: String
}
