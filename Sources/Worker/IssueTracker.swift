/// An issue in the configured repository.
public struct FiledIssue: Sendable, Equatable, Codable {
    public var url: String
    public var number: Int?
    public var title: String

    public init(url: String, number: Int?, title: String) {
        self.url = url
        self.number = number
        self.title = title
    }
}

/// The issue operations the worker performs itself, without the model: occurrence comments,
/// finding an issue created before a crash, creating an issue from the model's final text.
public protocol IssueTracker: Sendable {
    func createIssue(title: String, body: String) async throws -> FiledIssue
    func comment(onIssue number: Int, body: String) async throws
    /// An open issue whose body contains `marker`, if there is one.
    func findOpenIssue(containing marker: String) async throws -> FiledIssue?
    /// Whether the issue is open; nil when it no longer exists.
    func isOpen(issue number: Int) async throws -> Bool?
    /// Whether a comment on the issue contains `marker`.
    func hasComment(onIssue number: Int, containing marker: String) async throws -> Bool
}
