import Foundation
import JSON
import LLMClient

/// Payloads shaped like the worker's: a second agent step (prompt, log excerpt, one tool call
/// and its result, five MCP tools), a completion answering it, and a `tools/list` result.
enum JSONBenchmarkSamples {
    static let logLines = (0..<120).map { index in
        "2025-01-0\(index % 9 + 1)T10:\(index % 60):00Z INFO step-unit-tests [\(index)] GET /api/v1/items?page=\(index) "
            + "\"status\": 200\tlatency=\(index)ms path=C:\\build\\out — ✓"
    }.joined(separator: "\n")

    static let schemas: [(String, String, JSONValue)] = [
        ("pods_log", "Get the logs of a pod's container; `tailLines` limits the output to the last lines.",
         ["type": "object", "properties": ["namespace": ["type": "string", "description": "Namespace of the pod"],
                                           "name": ["type": "string", "description": "Name of the pod"],
                                           "container": ["type": "string", "description": "Container, default the first"],
                                           "tailLines": ["type": "integer", "default": 256, "minimum": 1]],
          "required": ["name"], "additionalProperties": false]),
        ("pods_get", "Get a pod's status, conditions and container states.",
         ["type": "object", "properties": ["namespace": ["type": "string"], "name": ["type": "string"]], "required": ["name"]]),
        ("events_list", "List the events of a namespace, newest first.",
         ["type": "object", "properties": ["namespace": ["type": "string"], "limit": ["type": "integer", "default": 50]]]),
        ("search_issues", "Search the repository's issues by text.",
         ["type": "object", "properties": ["owner": ["type": "string"], "repo": ["type": "string"], "query": ["type": "string"],
                                           "state": ["type": "string", "enum": ["open", "closed", "all"]]],
          "required": ["owner", "repo", "query"]]),
        ("create_issue", "Create an issue; the body is Markdown.",
         ["type": "object", "properties": ["owner": ["type": "string"], "repo": ["type": "string"], "title": ["type": "string", "maxLength": 255],
                                           "body": ["type": "string"], "labels": ["type": "array", "items": ["type": "integer"]]],
          "required": ["owner", "repo", "title", "body"]]),
    ]

    static let request = ChatRequest(
        messages: [
            .system(String(repeating: "You analyse failed Tekton pipeline runs. Quote the log lines that matter, \"exactly\".\n", count: 16)),
            .user("Pod `unit-tests-pod-17` in namespace `ci` failed (exit 1). Log excerpt:\n```\n\(logLines)\n```"),
            .assistant(nil, toolCalls: [ToolCall(id: "call_1", name: "pods_get", arguments: #"{"namespace":"ci","name":"unit-tests-pod-17"}"#)]),
            .tool(callID: "call_1", name: "pods_get", result: String(logLines.prefix(3000))),
        ],
        tools: schemas.map { ToolDefinition(name: $0.0, description: $0.1, parameters: $0.2) },
        toolChoice: .auto, temperature: 0.2, maxTokens: 1500)

    static let completion: Data = {
        let text = "Checkout unit test fails: upstream backend unavailable\n\n## Detailed error\n"
            + String(repeating: "The checkout service answered 503 because its upstream \"backend\" was unavailable.\n", count: 12)
        let value: JSONValue = [
            "id": "chatcmpl-123", "object": "chat.completion", "created": 1_736_000_000, "model": "pipeline-bench",
            "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": .string(text)]]],
            "usage": ["prompt_tokens": 3512, "completion_tokens": 240, "total_tokens": 3752],
        ]
        return (try? value.encoded()) ?? Data()
    }()

    static let toolsList: Data = {
        let tools: [JSONValue] = schemas.map { name, description, schema in
            ["name": .string(name), "description": .string(description), "inputSchema": schema,
             "annotations": ["readOnlyHint": .bool(name != "create_issue"), "title": .string(name)]]
        }
        let value: JSONValue = ["jsonrpc": "2.0", "id": 2, "result": ["tools": .array(tools)]]
        return (try? value.encoded()) ?? Data()
    }()
}
