import Foundation
import JSON
@testable import LLMClient
import Testing

/// The body written by JSONWriter means exactly what the JSONSerialization body meant: same
/// keys, same values (numbers by value: the old writer printed 1.0 as 1).
@Suite struct ChatRequestBodyTests {
    static let podsLog = ToolDefinition(
        name: "pods_log", description: "Get the logs of a pod — «quoted» \"text\" with\nnewlines and / slashes",
        parametersJSON: """
            {
              "type": "object",
              "properties": {"name": {"type": "string", "pattern": "^[a-z0-9-]+$"}, "tailLines": {"type": "integer", "default": 256}},
              "required": ["name"], "additionalProperties": false, "x-ratio": 0.25, "x-big": 1e300
            }
            """)
    static let createIssue = ToolDefinition(
        name: "create_issue", description: "Créer un ticket 🐛",
        parameters: ["type": "object", "properties": ["title": ["type": "string"], "labels": ["type": "array", "items": ["type": "integer"]]]])
    static let noParameters = ToolDefinition(name: "list_pods", description: "")

    static let conversation: [ChatMessage] = [
        .system("You analyse failures.\nRules:\t1) be brief\r\n2) quote \"exactly\" \\ never invent"),
        .user("Pod «web-1» failed: exit 137 😀 \u{1}\u{1F} / path/to/file — 中文 \u{2028}"),
        .assistant(nil, toolCalls: [
            ToolCall(id: "call_1", name: "pods_log", arguments: #"{"name":"web-1","tailLines":100}"#),
            ToolCall(id: "call_2", name: "create_issue", arguments: "{\"title\":\"Fix \\\"it\\\"\\n\",\"labels\":[1,2]}"),
        ]),
        .tool(callID: "call_1", name: "pods_log", result: "line 1\nline 2\tERROR \"boom\" \\ C:\\path"),
        .tool(callID: "call_2", name: "create_issue", result: ""),
        ChatMessage(role: .user, content: "a user message with a name, which the wire form leaves out", name: "ignored"),
        .assistant("Done. ✅"),
    ]

    static let requests: [ChatRequest] = [
        ChatRequest(messages: [.user("hi")]),
        ChatRequest(model: "other-model", messages: conversation, tools: [podsLog, createIssue, noParameters],
                    toolChoice: .auto, temperature: 0.2, maxTokens: 1024),
        ChatRequest(messages: conversation, tools: [podsLog], toolChoice: ToolChoice.none, temperature: 1.0),
        ChatRequest(messages: conversation, tools: [createIssue], toolChoice: .required, temperature: 0, maxTokens: 1),
        ChatRequest(messages: [.system("s"), .user("u")], tools: [podsLog, createIssue], toolChoice: .function("create_issue")),
        // tool_choice without tools is left out, as before.
        ChatRequest(messages: [.user("no tools")], toolChoice: .required, temperature: 0.7),
        ChatRequest(messages: [ChatMessage(role: .assistant, content: nil), .user(String(repeating: "long line \"x\"\n", count: 2000))]),
    ]

    @Test(arguments: requests.indices)
    func sameMeaningAsTheJSONSerializationBody(index: Int) throws {
        let request = Self.requests[index]
        let new = try request.body(defaultModel: "default-model")
        let old = try LegacyRequestBody.body(request, defaultModel: "default-model")
        // Strict parse: the spliced schemas must leave a valid document.
        let newValue = try JSONParser().parse(new)
        let oldValue = try JSONParser().parse(old)
        #expect(newValue.sameMeaning(as: oldValue), "new: \(String(decoding: new, as: UTF8.self))\nold: \(String(decoding: old, as: UTF8.self))")
        #expect(newValue["model"] == .string(request.model ?? "default-model"))
    }

    @Test func schemasAreSplicedAsWritten() throws {
        let body = String(decoding: try Self.requests[1].body(defaultModel: "m"), as: UTF8.self)
        #expect(body.contains(Self.podsLog.parametersJSON))
        #expect(body.contains(#""parameters":{"type":"object","properties":{}}"#))
        #expect(Self.createIssue.parametersJSON == JSONValue.object(["type": "object", "properties": ["title": ["type": "string"], "labels": ["type": "array", "items": ["type": "integer"]]]]).jsonText)
    }

    @Test func anUnparsableSchemaIsAConfigurationError() throws {
        var tool = Self.podsLog
        tool.parametersJSON = #"{"type": "object""#
        let request = ChatRequest(messages: [.user("u")], tools: [Self.noParameters, tool])
        #expect {
            try request.body(defaultModel: "m")
        } throws: { error in
            guard case let .invalidConfiguration(reason) = error as? LLMError else { return false }
            return reason.hasPrefix("tool pods_log has an unparsable parameter schema: invalid JSON at byte 17")
        }
        tool.parametersJSON = #"{"type": "object"}"#
        #expect(throws: Never.self) { try ChatRequest(messages: [.user("u")], tools: [tool]).body(defaultModel: "m") }
        // Without tools the schema is never looked at, as before.
        #expect(throws: Never.self) { try ChatRequest(messages: [.user("u")]).body(defaultModel: "m") }
    }

    /// Foundation accepted a trailing comma; such a schema is normalized once, not rejected.
    @Test func aLenientSchemaIsNormalized() throws {
        let tool = ToolDefinition(name: "t", description: "d", parametersJSON: #"{"type": "object", "required": ["a",],}"#)
        let body = try JSONParser().parse(try ChatRequest(messages: [.user("u")], tools: [tool]).body(defaultModel: "m"))
        #expect(body["tools"]?.arrayValue?.first?["function"]?["parameters"] == ["type": "object", "required": ["a"]])
    }

    @Test func aNonFiniteTemperatureIsAConfigurationError() {
        #expect(throws: LLMError.self) { try ChatRequest(messages: [.user("u")], temperature: .nan).body(defaultModel: "m") }
    }

    @Test func definitionsCompareByTheirText() {
        var tool = Self.noParameters
        #expect(tool == ToolDefinition(name: "list_pods", description: ""))
        tool.parametersJSON = "{}"
        #expect(tool != Self.noParameters)
    }
}

extension JSONValue {
    /// Equal, except that numbers compare by value whatever their kind (1 and 1.0 are the same).
    func sameMeaning(as other: JSONValue) -> Bool {
        switch (self, other) {
        case let (.array(left), .array(right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.sameMeaning(as: $1) }
        case let (.object(left), .object(right)):
            left.count == right.count && left.allSatisfy { key, value in right[key].map { value.sameMeaning(as: $0) } ?? false }
        case let (.int(left), .double(right)): Double(left) == right
        case let (.double(left), .int(right)): left == Double(right)
        default: self == other
        }
    }
}
