import JSON
import MCPClient

/// One issue operation as a Gitea MCP server offers it: the tool, the arguments that select the
/// operation on a tool serving several (`method: "create"` on `issue_write`), and the names the
/// tool gives its parameters.
public struct IssueOperation: Sendable, Equatable, CustomStringConvertible {
    public var tool: String
    /// Sent with every call, e.g. `["method": "add_comment"]`.
    public var fixed: [String: JSONValue]
    /// The parameter naming the issue (`index` in Gitea's server, `issue_number` in the PyPI
    /// gitea-mcp and newer Gitea releases); nil for operations on the repository.
    public var indexParameter: String?
    /// The issue number goes as a JSON string when the schema says `string`, else as a number.
    public var indexAsString: Bool
    /// Page-size parameter of a listing (`pageSize`, `perPage`, `per_page`, `limit`), if any.
    public var pageSizeParameter: String?
    /// Whether a listing takes `state` and `page`.
    public var takesState: Bool
    public var takesPage: Bool

    public init(tool: String, fixed: [String: JSONValue] = [:], indexParameter: String? = nil, indexAsString: Bool = false,
                pageSizeParameter: String? = nil, takesState: Bool = false, takesPage: Bool = false) {
        self.tool = tool
        self.fixed = fixed
        self.indexParameter = indexParameter
        self.indexAsString = indexAsString
        self.pageSizeParameter = pageSizeParameter
        self.takesState = takesState
        self.takesPage = takesPage
    }

    /// The arguments of one call: the fixed ones, the issue number under the tool's name for it,
    /// then `extra`.
    public func arguments(issue number: Int? = nil, _ extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var arguments = fixed
        if let number, let indexParameter { arguments[indexParameter] = indexAsString ? .string(String(number)) : .int(number) }
        return arguments.merging(extra) { $1 }
    }

    /// `issue_write(method=add_comment, owner, repo, index, body)`.
    public var description: String {
        let method = fixed.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? $0.value.jsonText)" }
        var parameters = ["owner", "repo"]
        if let indexParameter { parameters.append(indexParameter + (indexAsString ? ":string" : ":number")) }
        if takesState { parameters.append("state") }
        if takesPage { parameters.append("page") }
        if let pageSizeParameter { parameters.append(pageSizeParameter) }
        return "\(tool)(\((method + parameters).joined(separator: ", ")))"
    }
}

/// The issue operations the worker performs itself, resolved by capability from a Gitea MCP
/// server's `tools/list`. Servers differ and releases rename tools: Gitea's own server
/// (gitea.com/gitea/gitea-mcp) offers `create_issue`, `create_issue_comment(index)`,
/// `get_issue_by_index`, `get_issue_comments_by_index`, `list_repo_issues`; its later releases
/// fold them into `issue_write`/`issue_read` with a `method` and `issue_number`; the PyPI
/// gitea-mcp offers `create_issue`, `add_comment(issue_number)`, `get_issue` (with the
/// comments) and `list_issues`. A tool is taken for an operation when its name is a known one
/// (or it serves the operation as a `method`), it is scoped by `owner` and `repo`, names the
/// issue by a known parameter where one is needed, and requires nothing the worker cannot give.
public struct IssueToolSet: Sendable, Equatable, CustomStringConvertible {
    /// Open an issue (title, body).
    public var create: IssueOperation
    /// Comment on an issue (body).
    public var comment: IssueOperation
    /// Read one issue with its state and whole body.
    public var read: IssueOperation?
    /// List the repository's issues (open ones, page by page).
    public var list: IssueOperation?
    /// List an issue's comments; without it, `read` is asked for them (the PyPI server's
    /// `get_issue` returns `comments_list`).
    public var comments: IssueOperation?

    /// Resolves the operations or says what is missing and what the server offers.
    public static func resolve(_ tools: [MCPTool]) throws(IssueToolsError) -> IssueToolSet {
        let found = IssueToolResolution(tools)
        guard let create = found.create, let comment = found.comment else {
            throw IssueToolsError(missing: found.missingRequired, offered: tools.map(\.name))
        }
        return IssueToolSet(create: create, comment: comment, read: found.read, list: found.list, comments: found.comments)
    }

    public var description: String {
        IssueToolResolution.describe(create: create, comment: comment, read: read, list: list, comments: comments)
    }
}

/// What a server's tools offer of each issue operation, any of them possibly missing: the
/// step before `IssueToolSet`, and what `agentctl mcp tools` shows.
public struct IssueToolResolution: Sendable, Equatable, CustomStringConvertible {
    public var create: IssueOperation?
    public var comment: IssueOperation?
    public var read: IssueOperation?
    public var list: IssueOperation?
    public var comments: IssueOperation?

    /// Names of the issue number, as servers spell it.
    static let indexNames = ["index", "issue_number", "number", "issue_index", "issueNumber", "issue"]
    static let pageSizeNames = ["pageSize", "perPage", "per_page", "limit", "page_size"]

    /// Known names per operation, preferred first, and the `method` values of multi-operation tools.
    struct Capability {
        let names: [String]
        let methods: [String]
        let needsIndex: Bool
        /// Parameters the worker sends besides owner, repo, the index and `method`.
        let sends: Set<String>
        /// Parameters the tool must take.
        let needs: Set<String>
        /// A listing: takes state, page and a page size where the tool offers them.
        var listing = false
    }

    static let createCapability = Capability(
        names: ["create_issue"], methods: ["create"], needsIndex: false, sends: ["title", "body"], needs: ["title", "body"])
    static let commentCapability = Capability(
        names: ["create_issue_comment", "add_comment", "add_issue_comment", "create_comment", "comment_issue"],
        methods: ["add_comment", "create_comment", "comment"], needsIndex: true, sends: ["body"], needs: ["body"])
    static let readCapability = Capability(
        names: ["get_issue_by_index", "get_issue", "read_issue"], methods: ["get"], needsIndex: true, sends: [], needs: [])
    static let commentsCapability = Capability(
        names: ["get_issue_comments_by_index", "list_issue_comments", "get_issue_comments"],
        methods: ["get_comments", "list_comments"], needsIndex: true, sends: [], needs: [])
    static let listCapability = Capability(
        names: ["list_repo_issues", "list_issues", "list_repo_issues_full"], methods: ["list"], needsIndex: false,
        sends: Set(["state", "page"] + pageSizeNames), needs: [], listing: true)

    public init(_ tools: [MCPTool]) {
        create = Self.find(Self.createCapability, in: tools)
        comment = Self.find(Self.commentCapability, in: tools)
        read = Self.find(Self.readCapability, in: tools)
        list = Self.find(Self.listCapability, in: tools)
        comments = Self.find(Self.commentsCapability, in: tools)
    }

    /// Whether the server looks like an issue tracker at all (for `agentctl mcp tools`).
    public var isEmpty: Bool { create == nil && comment == nil && read == nil && list == nil && comments == nil }

    /// The capabilities the worker cannot run without.
    public var missingRequired: [String] {
        [create == nil ? "create an issue (create_issue, or issue_write with method create; title and body)" : nil,
         comment == nil ? "comment on an issue (create_issue_comment, add_comment, or issue_write with method add_comment; "
            + "an issue number and body)" : nil].compactMap { $0 }
    }

    public var description: String {
        Self.describe(create: create, comment: comment, read: read, list: list, comments: comments)
    }

    static func describe(create: IssueOperation?, comment: IssueOperation?, read: IssueOperation?, list: IssueOperation?,
                         comments: IssueOperation?) -> String {
        [("create", create), ("comment", comment), ("read", read), ("list", list), ("comments", comments)]
            .map { "\($0.0)=\($0.1?.description ?? "none")" }.joined(separator: " ")
    }

    static func find(_ capability: Capability, in tools: [MCPTool]) -> IssueOperation? {
        // Dedicated tools first, in the order of the known names; then a tool serving the
        // operation as one of its methods.
        for name in capability.names {
            if let tool = tools.first(where: { $0.name == name }), let operation = operation(capability, tool, method: nil) {
                return operation
            }
        }
        for tool in tools {
            let methods = tool.inputSchema["properties"]?["method"]?["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if let method = capability.methods.first(where: methods.contains), let operation = operation(capability, tool, method: method) {
                return operation
            }
        }
        return nil
    }

    private static func operation(_ capability: Capability, _ tool: MCPTool, method: String?) -> IssueOperation? {
        let properties = tool.inputSchema["properties"]?.objectValue ?? [:]
        guard properties["owner"] != nil, properties["repo"] != nil,
              capability.needs.allSatisfy({ properties[$0] != nil }) else { return nil }
        let index = capability.needsIndex ? indexNames.first { properties[$0] != nil } : nil
        if capability.needsIndex, index == nil { return nil }
        let pageSize = capability.listing ? pageSizeNames.first { properties[$0] != nil } : nil
        // A required parameter the worker does not send would make every call fail.
        var sent = Set(["owner", "repo"]).union(capability.sends)
        if let index { sent.insert(index) }
        if method != nil { sent.insert("method") }
        let required = tool.inputSchema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard required.allSatisfy(sent.contains) else { return nil }
        let indexType = index.flatMap { properties[$0]?["type"]?.stringValue }
        return IssueOperation(
            tool: tool.name, fixed: method.map { ["method": .string($0)] } ?? [:], indexParameter: index,
            indexAsString: indexType == "string", pageSizeParameter: pageSize,
            takesState: capability.listing && properties["state"] != nil,
            takesPage: capability.listing && properties["page"] != nil)
    }
}

/// The Gitea MCP server lacks an issue operation the worker needs: it cannot comment on known
/// failures or file new ones, so it must not take jobs.
public struct IssueToolsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let missing: [String]
    public let offered: [String]

    public var description: String {
        "the Gitea MCP server cannot " + missing.joined(separator: ", nor ")
            + "; it offers: " + (offered.isEmpty ? "no tools" : offered.sorted().joined(separator: ", "))
    }
}
