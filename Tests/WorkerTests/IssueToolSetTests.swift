import JSON
@testable import MCPClient
import Testing
@testable import Worker

/// Issue operations are found by capability in `tools/list`, whatever the server names them.
struct IssueToolSetTests {
    static func tool(_ name: String, _ properties: [String: String], required: [String], methods: [String]? = nil) -> MCPTool {
        var schema: [String: JSONValue] = [:]
        for (key, type) in properties { schema[key] = .object(["type": .string(type)]) }
        if let methods { schema["method"] = .object(["type": "string", "enum": .array(methods.map { .string($0) })]) }
        return MCPTool(.object([
            "name": .string(name),
            "inputSchema": .object(["type": "object", "properties": .object(schema), "required": .array(required.map { .string($0) })]),
        ]))!
    }

    static let ownerRepo = ["owner": "string", "repo": "string"]

    /// PyPI gitea-mcp 0.5.1 (gitea_mcp/tools/issues.py).
    static let pypi = [
        tool("create_issue", ownerRepo.merging(["title": "string", "body": "string", "labels": "array"]) { $1 },
             required: ["owner", "repo", "title"]),
        tool("list_issues", ownerRepo.merging(["state": "string", "page": "integer", "limit": "integer"]) { $1 },
             required: ["owner", "repo"]),
        tool("get_issue", ownerRepo.merging(["issue_number": "integer"]) { $1 }, required: ["owner", "repo", "issue_number"]),
        tool("add_comment", ownerRepo.merging(["issue_number": "integer", "body": "string"]) { $1 },
             required: ["owner", "repo", "issue_number", "body"]),
        tool("update_issue", ownerRepo.merging(["issue_number": "integer", "state": "string"]) { $1 },
             required: ["owner", "repo", "issue_number"]),
    ]

    /// Gitea's Go server (operation/issue/issue.go, mcp-go releases).
    static let goClassic = [
        tool("get_issue_by_index", ownerRepo.merging(["index": "number"]) { $1 }, required: ["owner", "repo", "index"]),
        tool("list_repo_issues", ownerRepo.merging(["state": "string", "page": "number", "pageSize": "number"]) { $1 },
             required: ["owner", "repo"]),
        tool("list_repo_issues_full", ownerRepo.merging(["state": "string", "page": "number", "pageSize": "number"]) { $1 },
             required: ["owner", "repo"]),
        tool("create_issue", ownerRepo.merging(["title": "string", "body": "string"]) { $1 }, required: ["owner", "repo", "title", "body"]),
        tool("create_issue_comment", ownerRepo.merging(["index": "number", "body": "string"]) { $1 },
             required: ["owner", "repo", "index", "body"]),
        tool("get_issue_comments_by_index", ownerRepo.merging(["index": "number"]) { $1 }, required: ["owner", "repo", "index"]),
    ]

    /// Its later releases: one tool per direction, with a method.
    static let goConsolidated = [
        tool("list_issues", ownerRepo.merging(["state": "string", "page": "number", "perPage": "number"]) { $1 },
             required: ["owner", "repo"]),
        tool("issue_read", ownerRepo.merging(["issue_number": "number"]) { $1 }, required: ["method", "owner", "repo", "issue_number"],
             methods: ["get", "get_comments", "get_labels"]),
        tool("issue_write", ownerRepo.merging(["issue_number": "number", "title": "string", "body": "string"]) { $1 },
             required: ["method", "owner", "repo"], methods: ["create", "update", "add_comment", "edit_comment"]),
    ]

    @Test func thePyPIServersToolsAreResolved() throws {
        let tools = try IssueToolSet.resolve(Self.pypi)
        #expect(tools.create == IssueOperation(tool: "create_issue"))
        #expect(tools.comment == IssueOperation(tool: "add_comment", indexParameter: "issue_number"))
        #expect(tools.read == IssueOperation(tool: "get_issue", indexParameter: "issue_number"))
        #expect(tools.list == IssueOperation(tool: "list_issues", pageSizeParameter: "limit", takesState: true, takesPage: true))
        #expect(tools.comments == nil, "comments come with get_issue")
        #expect(tools.comment.arguments(issue: 7, ["body": "x"]) == ["issue_number": .int(7), "body": "x"])
    }

    @Test func theGoServersToolsAreResolved() throws {
        let tools = try IssueToolSet.resolve(Self.goClassic)
        #expect(tools.comment == IssueOperation(tool: "create_issue_comment", indexParameter: "index"))
        #expect(tools.read?.tool == "get_issue_by_index")
        #expect(tools.comments?.tool == "get_issue_comments_by_index")
        // The compact listing is preferred to the full one; both cut bodies.
        #expect(tools.list == IssueOperation(tool: "list_repo_issues", pageSizeParameter: "pageSize", takesState: true, takesPage: true))
        #expect(tools.description.contains("comment=create_issue_comment(owner, repo, index:number)"))
    }

    @Test func methodToolsAreResolvedWithTheirMethod() throws {
        let tools = try IssueToolSet.resolve(Self.goConsolidated)
        #expect(tools.create == IssueOperation(tool: "issue_write", fixed: ["method": "create"]))
        #expect(tools.comment == IssueOperation(tool: "issue_write", fixed: ["method": "add_comment"], indexParameter: "issue_number"))
        #expect(tools.read == IssueOperation(tool: "issue_read", fixed: ["method": "get"], indexParameter: "issue_number"))
        #expect(tools.comments == IssueOperation(tool: "issue_read", fixed: ["method": "get_comments"], indexParameter: "issue_number"))
        #expect(tools.list?.pageSizeParameter == "perPage")
        #expect(tools.comment.arguments(issue: 3, ["body": "b"]) == ["method": "add_comment", "issue_number": .int(3), "body": "b"])
    }

    @Test func aServerWithoutACommentToolIsRefusedWithWhatItOffers() {
        let tools = Self.goClassic.filter { $0.name != "create_issue_comment" }
        #expect {
            try IssueToolSet.resolve(tools)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("cannot comment on an issue") && !text.contains("create an issue")
                && text.contains("get_issue_by_index") && text.contains("create_issue")
        }
        #expect(throws: IssueToolsError.self) { try IssueToolSet.resolve([]) }
    }

    @Test func aToolRequiringWhatTheWorkerCannotGiveIsNotTaken() throws {
        // A create that requires labels, a comment without any issue-number parameter.
        let tools = [
            Self.tool("create_issue", Self.ownerRepo.merging(["title": "string", "body": "string", "labels": "array"]) { $1 },
                      required: ["owner", "repo", "title", "body", "labels"]),
            Self.tool("add_comment", Self.ownerRepo.merging(["id": "integer", "body": "string"]) { $1 }, required: ["owner", "repo", "body"]),
        ]
        let found = IssueToolResolution(tools)
        #expect(found.create == nil && found.comment == nil)
        #expect(found.missingRequired.count == 2)
    }

    @Test func aStringIssueNumberIsSentAsAString() throws {
        let tools = [
            Self.tool("create_issue", Self.ownerRepo.merging(["title": "string", "body": "string"]) { $1 }, required: []),
            Self.tool("create_issue_comment", Self.ownerRepo.merging(["index": "string", "body": "string"]) { $1 }, required: []),
        ]
        let comment = try IssueToolSet.resolve(tools).comment
        #expect(comment.arguments(issue: 12)["index"] == .string("12"))
    }
}
