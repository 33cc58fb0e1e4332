import Foundation
import JSON

/// Turns response bodies into completions or error messages. Lenient where servers differ
/// (content as parts, arguments as objects), strict where the agent needs structure.
enum CompletionDecoder {
    static func completion(from body: Data, latency: Duration) throws(LLMError) -> ChatCompletion {
        guard case let .object(root)? = try? JSONValue.decode(body) else {
            throw .invalidOutput(detail: "body is not a JSON object", bodyExcerpt: excerpt(body))
        }
        if root["error"] != nil, root["choices"] == nil {
            throw .invalidOutput(detail: "error object in a 2xx answer: \(errorMessage(in: root, body: body))", bodyExcerpt: excerpt(body))
        }
        guard let choices = objects(root["choices"]), let first = choices.first,
              case let .object(message)? = first["message"] else {
            throw .invalidOutput(detail: "no choices[0].message", bodyExcerpt: excerpt(body))
        }
        var calls: [ToolCall] = []
        for (index, item) in (objects(message["tool_calls"]) ?? []).enumerated() {
            guard case let .object(function)? = item["function"], let name = function["name"]?.stringValue,
                  !name.isEmpty else {
                throw .invalidOutput(detail: "tool call \(index) has no function name", bodyExcerpt: excerpt(body))
            }
            calls.append(ToolCall(
                id: item["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(index)",
                name: name,
                arguments: argumentsText(function["arguments"])))
        }
        var usage: TokenUsage?
        if case let .object(counts)? = root["usage"] {
            usage = TokenUsage(
                promptTokens: tokenCount(counts["prompt_tokens"]),
                completionTokens: tokenCount(counts["completion_tokens"]))
        }
        return ChatCompletion(
            id: root["id"]?.stringValue,
            model: root["model"]?.stringValue,
            message: ChatMessage(role: .assistant, content: content(message["content"]), toolCalls: calls),
            finishReason: first["finish_reason"]?.stringValue,
            usage: usage,
            latency: latency)
    }

    /// `content` may be a string, null, or a list of `{type: text, text}` parts.
    static func content(_ value: JSONValue?) -> String? {
        if case let .string(text)? = value { return text }
        if let parts = objects(value) {
            return parts.compactMap { $0["text"]?.stringValue }.joined()
        }
        return nil
    }

    /// Arguments are JSON text per the API; some servers send an object (or array) instead.
    static func argumentsText(_ value: JSONValue?) -> String {
        switch value {
        case let .string(text)?: text.isEmpty ? "{}" : text
        case let structured? where structured.objectValue != nil || structured.arrayValue != nil: structured.jsonText
        default: "{}"
        }
    }

    /// The server's own words: `error.message`, `error` (string), `detail` or `message`, else the body.
    static func errorMessage(from body: Data) -> String {
        if case let .object(root)? = try? JSONValue.decode(body) { return errorMessage(in: root, body: body) }
        return bodyText(body)
    }

    private static func errorMessage(in root: [String: JSONValue], body: Data) -> String {
        if let message = root["error"]?["message"]?.stringValue { return message }
        if let error = root["error"]?.stringValue { return error }
        if let detail = root["detail"]?.stringValue { return detail }
        if let message = root["message"]?.stringValue { return message }
        return bodyText(body)
    }

    private static func bodyText(_ body: Data) -> String {
        let text = excerpt(body).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : text
    }

    /// An array whose items are all objects, else nil: what a `[[String: Any]]` cast accepted.
    private static func objects(_ value: JSONValue?) -> [[String: JSONValue]]? {
        guard case let .array(items)? = value else { return nil }
        var objects: [[String: JSONValue]] = []
        objects.reserveCapacity(items.count)
        for item in items {
            guard case let .object(fields) = item else { return nil }
            objects.append(fields)
        }
        return objects
    }

    /// Counts as NSNumber read them: integers as they are, other numbers truncated, else 0.
    private static func tokenCount(_ value: JSONValue?) -> Int {
        switch value {
        case let .int(count)?: count
        case let .double(count)? where count.magnitude < 1e18: Int(count)
        default: 0
        }
    }

    /// Context-window errors arrive as 400 (LiteLLM: `ContextWindowExceededError`), sometimes 413/422.
    static func isContextLength(_ message: String, body: Data) -> Bool {
        let haystack = (message + " " + excerpt(body, limit: 2000)).lowercased()
        return ["context_length_exceeded", "contextwindowexceeded", "context length", "context window",
                "maximum context", "prompt is too long", "too many tokens",
                "context size", "exceed_context_size"].contains { haystack.contains($0) }
    }

    static func excerpt(_ body: Data, limit: Int = 1000) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? text + "…" : text
    }
}
