import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Client side of Tests/peers/scripted_model.py: sets one model name's script of answers and
/// reads back the requests that reached the backend for it. Each test uses a model name of its
/// own, so tests sharing one backend and proxy do not see each other's steps.
public struct ScriptedModel: Sendable {
    public let baseURL: String
    public let name: String

    public init(baseURL: String, name: String = "test-\(UUID().uuidString.prefix(8).lowercased())") {
        self.baseURL = baseURL
        self.name = name
    }

    /// Replaces the script: each step is one answer (see scripted_model.py for the keys).
    public func script(_ steps: [[String: Any]]) async throws {
        _ = try await post("/_test/script", ["model": name, "steps": steps])
    }

    /// Replaces the script, and refuses every request larger than `contextTokens` the way
    /// OpenAI does (HTTP 400, `context_length_exceeded`), without consuming a step.
    public func script(_ steps: [[String: Any]], contextTokens: Int) async throws {
        _ = try await post("/_test/script", ["model": name, "steps": steps, "context_tokens": contextTokens])
    }

    /// Request bodies the backend received for this model, oldest first.
    public func requests() async throws -> [[String: Any]] {
        let data = try await send(URLRequest(url: URL(string: baseURL + "/_test/requests?model=" + name)!))
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    /// One native tool-call answer.
    public static func toolCall(_ name: String, _ arguments: [String: Any], id: String? = nil) -> [String: Any] {
        var call: [String: Any] = ["name": name, "arguments": arguments]
        if let id { call["id"] = id }
        return ["tool_calls": [call]]
    }

    public static func text(_ content: String) -> [String: Any] { ["text": content] }

    /// The text inside a Markdown code fence (`lang` after the opening backticks).
    public static func fenced(_ content: String, lang: String = "markdown") -> [String: Any] { ["text": content, "fence": lang] }

    /// Copies the prompt's example issue as its answer, as small models do.
    public static var copyExample: [String: Any] { ["copy_example": true] }

    /// A ```json object imitating a tool call named after the example's title.
    public static var bogusCall: [String: Any] { ["bogus_call": true] }

    private func post(_ path: String, _ body: [String: Any]) async throws -> Data {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws -> Data {
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, status == 200 else {
            throw TestSupportError("scripted model \(request.url!) answered \(response)")
        }
        return data
    }
}
