import Foundation
import JSON
import MCPClient
import Queue
import Store
import TestSupport

/// One end-to-end test's world: its peers and fixture pods, a fresh database, its own Gitea
/// repository and its own scripted model name.
struct Scenario {
    let peers: EndToEndPeers
    let repository = EndToEndPeers.uniqueRepository()
    let model: ScriptedModel
    let databasePath: String

    /// `database`: `AGENT_DB` (a postgres:// URL); a fresh SQLite file when nil.
    init(pods: [String: String], gitea: GiteaMCPServerKind = .pypi, giteaWithout: [String] = [], database: String? = nil) async throws {
        peers = try await EndToEndPeers(pods: pods, gitea: gitea, giteaWithout: giteaWithout)
        model = peers.llm.model("e2e-\(UUID().uuidString.prefix(8).lowercased())")
        databasePath = database ?? peers.directory.path("agent.sqlite")
    }

    func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        peers.environment(database: databasePath, repository: repository, model: model, overrides: overrides)
    }

    /// The database the agent writes (open it once the agent has created and migrated it).
    func openQueue() throws -> SQLiteJobQueue {
        SQLiteJobQueue(database: try Database.open(path: databasePath))
    }

    /// The marker the worker puts in the issue of a fingerprint.
    static func marker(_ fingerprint: String) -> String { "<!-- pipeline-agent:fingerprint=\(fingerprint) -->" }

    /// Requests the scripted model received that began a conversation (a model run), i.e. with
    /// no assistant turn in their history.
    func modelRuns() async throws -> [[String: Any]] {
        try await model.requests().filter { request in
            !((request["messages"] as? [[String: Any]]) ?? []).contains { $0["role"] as? String == "assistant" }
        }
    }

    /// Every request the scripted model received, as one JSON text.
    func modelRequestText() async throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: try await model.requests()), as: UTF8.self)
    }

    /// The job id from a `Location: /jobs/ID` header.
    static func jobID(_ location: String?) throws -> Int64 {
        guard let location, let id = Int64(location.split(separator: "/").last ?? "") else {
            throw TestSupportError("no job location in \(location ?? "nil")")
        }
        return id
    }
}

extension JSONValue {
    /// The tool calls of a transcript's assistant messages, by function name.
    var toolCallNames: [String] {
        (self["messages"]?.arrayValue ?? []).flatMap { message in
            (message["tool_calls"]?.arrayValue ?? []).compactMap { $0["function"]?["name"]?.stringValue }
        }
    }
}
