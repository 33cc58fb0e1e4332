import Foundation

/// Recognises tool calls that a model without native tool calling wrote into its text.
///
/// Where the text is unmistakably a call — the whole message is JSON, or it follows Llama's
/// `<|python_tag|>` or Mistral's `[TOOL_CALLS]`, or sits in `<tool_call>` tags — any tool name is accepted (an unknown one
/// is then refused by the agent, visibly). JSON in a Markdown fence or inside prose counts
/// only when it names a known tool, so an analysis that quotes a JSON log line or a config
/// snippet never turns into a call.
///
/// Shapes understood: `{"name", "arguments"|"parameters"|"args"|"input"}`,
/// `{"tool"|"tool_name", "parameters"|"arguments"}`, `{"function": {"name", "arguments"}}`,
/// `{"function": "name", "arguments"}`, `{"tool_calls": [...]}` and arrays of any of these;
/// arguments as an object or as a JSON string holding an object.
public struct TextToolCallParser: Sendable {
    public var knownTools: Set<String>

    public init(knownTools: Set<String>) {
        self.knownTools = knownTools
    }

    public func parse(_ text: String) -> [ToolCall] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Llama's `<|python_tag|>` and Mistral's `[TOOL_CALLS]` announce calls unambiguously.
        if let range = trimmed.range(of: "<|python_tag|>") ?? trimmed.range(of: "[TOOL_CALLS]") {
            var rest = String(trimmed[range.upperBound...])
            for token in ["<|eom_id|>", "<|eot_id|>", "<|end_of_text|>"] {
                rest = rest.replacingOccurrences(of: token, with: "")
            }
            return calls(in: rest, requireKnown: false)
        }
        let tagged = blocks(in: trimmed, open: "<tool_call>", close: "</tool_call>")
        if !tagged.isEmpty {
            return tagged.flatMap { calls(in: $0, requireKnown: false) }.numbered()
        }
        if let whole = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) {
            return interpret(whole, requireKnown: false).numbered()
        }
        let fenced = fencedBlocks(in: trimmed)
        let fromFences = fenced.flatMap { calls(in: $0, requireKnown: true) }
        if !fromFences.isEmpty { return fromFences.numbered() }
        return calls(in: trimmed, requireKnown: true)
    }

    /// Names of calls the text imitates for tools that do not exist: JSON objects shaped like
    /// a call (a name and arguments, or a `function`/`tool_calls` wrapper) anywhere in the text,
    /// whose name is no known tool — a small model's "call" named after an issue title, say.
    /// The agent answers these with an error instead of taking the text as its final answer.
    public func unknownToolNames(in text: String) -> [String] {
        var names: [String] = []
        func visit(_ value: Any) {
            if let list = value as? [Any] { return list.forEach(visit) }
            guard let object = value as? [String: Any] else { return }
            if let wrapped = object["tool_calls"] as? [Any] { return wrapped.forEach(visit) }
            if let function = object["function"] as? [String: Any] { return visit(function) }
            let nameKeys = ["name", "tool", "tool_name", "function"]
            guard let name = nameKeys.lazy.compactMap({ object[$0] as? String }).first,
                  ["arguments", "parameters", "args", "input"].contains(where: { object[$0] != nil }),
                  !knownTools.contains(name) else { return }
            if !names.contains(name) { names.append(name) }
        }
        JSONFragmentScanner.values(in: text).forEach(visit)
        return names
    }

    private func calls(in text: String, requireKnown: Bool) -> [ToolCall] {
        JSONFragmentScanner.values(in: text).flatMap { interpret($0, requireKnown: requireKnown) }.numbered()
    }

    private func interpret(_ value: Any, requireKnown: Bool) -> [ToolCall] {
        if let list = value as? [Any] { return list.flatMap { interpret($0, requireKnown: requireKnown) } }
        guard let object = value as? [String: Any] else { return [] }
        if let wrapped = object["tool_calls"] as? [Any] { return wrapped.flatMap { interpret($0, requireKnown: requireKnown) } }
        if let function = object["function"] as? [String: Any] { return interpret(function, requireKnown: requireKnown) }
        let nameKeys = ["name", "tool", "tool_name", "function"]
        guard let name = nameKeys.lazy.compactMap({ object[$0] as? String }).first,
              Self.isToolName(name) else { return [] }
        let known = knownTools.contains(name)
        if requireKnown, !known { return [] }
        let argumentKeys = ["arguments", "parameters", "args", "input"]
        guard let key = argumentKeys.first(where: { object[$0] != nil }) else {
            // `{"name": "events_list"}` alone is a call only for a tool we know takes it.
            return known ? [ToolCall(id: "", name: name, arguments: "{}")] : []
        }
        guard let arguments = Self.argumentsObject(object[key]) else { return [] }
        let text = (try? JSONSerialization.data(withJSONObject: arguments, options: [.sortedKeys, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [ToolCall(id: "", name: name, arguments: text)]
    }

    private static func argumentsObject(_ value: Any?) -> [String: Any]? {
        if let object = value as? [String: Any] { return object }
        if let text = value as? String {
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return [:] }
            return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
        }
        return nil
    }

    /// Function names as the API allows them: letters, digits, `_`, `-`, `.`; no spaces.
    private static func isToolName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
    }

    private func fencedBlocks(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "```") {
            let afterOpen = rest[open.upperBound...]
            guard let lineEnd = afterOpen.firstIndex(of: "\n") else { break }
            let body = afterOpen[afterOpen.index(after: lineEnd)...]
            guard let close = body.range(of: "```") else { break }
            found.append(String(body[..<close.lowerBound]))
            rest = body[close.upperBound...]
        }
        return found
    }

    private func blocks(in text: String, open: String, close: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: open) {
            let body = rest[start.upperBound...]
            let end = body.range(of: close)
            found.append(String(body[..<(end?.lowerBound ?? body.endIndex)]))
            guard let end else { break }
            rest = body[end.upperBound...]
        }
        return found
    }
}

private extension Array where Element == ToolCall {
    /// Gives written calls ids of their own (the text has none), so results can answer them.
    func numbered() -> [ToolCall] {
        enumerated().map { index, call in ToolCall(id: "text_call_\(index + 1)", name: call.name, arguments: call.arguments) }
    }
}
