/// The Gitea repository every issue goes to, whatever repository the model names.
public struct IssueRepository: Sendable, Equatable, Codable {
    public var owner: String
    public var repo: String

    public init(owner: String, repo: String) {
        self.owner = owner
        self.repo = repo
    }

    /// `GITEA_OWNER`/`GITEA_REPO`, falling back to the original prototype's
    /// `MCP_GITEA_USER`/`MCP_GITEA_REPO`. Nil when either part is missing.
    public static func fromEnvironment(_ environment: [String: String]) -> IssueRepository? {
        func value(_ names: String...) -> String? {
            names.lazy.compactMap { environment[$0]?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        }
        guard let owner = value("GITEA_OWNER", "MCP_GITEA_USER"), let repo = value("GITEA_REPO", "MCP_GITEA_REPO") else {
            return nil
        }
        return IssueRepository(owner: owner, repo: repo)
    }

    public var fullName: String { "\(owner)/\(repo)" }
}
