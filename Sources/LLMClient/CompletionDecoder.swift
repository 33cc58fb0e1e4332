import Foundation

/// Turns response bodies into completions or error messages. Lenient where servers differ
/// (content as parts, arguments as objects), strict where the agent needs structure.
enum CompletionDecoder {
    static func completion(from body: Data, latency: Duration) throws(LLMError) -> ChatCompletion {
        guard let root = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw .invalidOutput(detail: "body is not a JSON object", bodyExcerpt: excerpt(body))
        }
        if root["error"] != nil, root["choices"] == nil {
            throw .invalidOutput(detail: "error object in a 2xx answer: \(errorMessage(from: body))", bodyExcerpt: excerpt(body))
        }
        guard let choices = root["choices"] as? [[String: Any]], let first = choices.first,
              let message = first["message"] as? [String: Any] else {
            throw .invalidOutput(detail: "no choices[0].message", bodyExcerpt: excerpt(body))
        }
        var calls: [ToolCall] = []
        for (index, item) in ((message["tool_calls"] as? [[String: Any]]) ?? []).enumerated() {
            guard let function = item["function"] as? [String: Any], let name = function["name"] as? String,
                  !name.isEmpty else {
                throw .invalidOutput(detail: "tool call \(index) has no function name", bodyExcerpt: excerpt(body))
            }
            calls.append(ToolCall(
                id: (item["id"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(index)",
                name: name,
                arguments: argumentsText(function["arguments"])))
        }
        var usage: TokenUsage?
        if let counts = root["usage"] as? [String: Any] {
            usage = TokenUsage(
                promptTokens: (counts["prompt_tokens"] as? NSNumber)?.intValue ?? 0,
                completionTokens: (counts["completion_tokens"] as? NSNumber)?.intValue ?? 0)
        }
        return ChatCompletion(
            id: root["id"] as? String,
            model: root["model"] as? String,
            message: ChatMessage(role: .assistant, content: content(message["content"]), toolCalls: calls),
            finishReason: first["finish_reason"] as? String,
            usage: usage,
            latency: latency)
    }

    /// `content` may be a string, null, or a list of `{type: text, text}` parts.
    static func content(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let parts = value as? [[String: Any]] {
            return parts.compactMap { $0["text"] as? String }.joined()
        }
        return nil
    }

    /// Arguments are JSON text per the API; some servers send an object instead.
    static func argumentsText(_ value: Any?) -> String {
        switch value {
        case let text as String: text.isEmpty ? "{}" : text
        case let object? where JSONSerialization.isValidJSONObject(object):
            String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8), as: UTF8.self)
        default: "{}"
        }
    }

    /// The server's own words: `error.message`, `error` (string), `detail` or `message`, else the body.
    static func errorMessage(from body: Data) -> String {
        if let root = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] {
            if let error = root["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let error = root["error"] as? String { return error }
            if let detail = root["detail"] as? String { return detail }
            if let message = root["message"] as? String { return message }
        }
        let text = excerpt(body).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(empty body)" : text
    }

    /// Context-window errors arrive as 400 (LiteLLM: `ContextWindowExceededError`), sometimes 413/422.
    static func isContextLength(_ message: String, body: Data) -> Bool {
        let haystack = (message + " " + excerpt(body, limit: 2000)).lowercased()
        return ["context_length_exceeded", "contextwindowexceeded", "context length", "context window",
                "maximum context", "prompt is too long", "too many tokens"].contains { haystack.contains($0) }
    }

    static func excerpt(_ body: Data, limit: Int = 1000) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? text + "…" : text
    }
}
