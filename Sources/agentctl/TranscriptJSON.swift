import Agent
import Foundation
import LLMClient

/// `agentctl transcript --json`: the conversation as an OpenAI message list (replayable, or an
/// eval case) plus per-entry metadata the message format has no room for.
struct TranscriptJSON: Encodable {
    struct Message: Encodable {
        struct Call: Encodable {
            struct Function: Encodable {
                let name: String
                let arguments: String
            }
            let id: String
            let type = "function"
            let function: Function
        }
        let role: String
        let content: String?
        let toolCalls: [Call]?
        let toolCallID: String?
        let name: String?

        enum CodingKeys: String, CodingKey {
            case role, content, name
            case toolCalls = "tool_calls"
            case toolCallID = "tool_call_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            try container.encode(content, forKey: .content) // null stays visible, as the API sends it
            try container.encodeIfPresent(toolCalls, forKey: .toolCalls)
            try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
            try container.encodeIfPresent(name, forKey: .name)
        }
    }

    struct Metadata: Encodable {
        let seq: Int
        let role: String
        let model: String?
        let tokensIn: Int?
        let tokensOut: Int?
        let latencyMs: Int?
        let createdAt: Date
        let toolName: String?
        let toolArguments: String?
        let toolResult: String?

        enum CodingKeys: String, CodingKey {
            case seq, role, model
            case tokensIn = "tokens_in", tokensOut = "tokens_out", latencyMs = "latency_ms", createdAt = "created_at"
            case toolName = "tool_name", toolArguments = "tool_arguments", toolResult = "tool_result"
        }
    }

    let jobID: Int64?
    let attempt: Int?
    let model: String?
    let tokensIn: Int
    let tokensOut: Int
    let messages: [Message]
    let entries: [Metadata]

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", attempt, model, tokensIn = "tokens_in", tokensOut = "tokens_out", messages, entries
    }

    init(jobID: Int64?, attempt: Int?, entries: [TranscriptEntry]) {
        self.jobID = jobID
        self.attempt = attempt
        model = entries.last { $0.model != nil }?.model
        tokensIn = entries.compactMap(\.tokensIn).reduce(0, +)
        tokensOut = entries.compactMap(\.tokensOut).reduce(0, +)
        messages = entries.map { entry in
            Message(
                role: entry.role.rawValue, content: entry.content,
                toolCalls: entry.toolCalls.isEmpty ? nil : entry.toolCalls.map {
                    Message.Call(id: $0.id, function: .init(name: $0.name, arguments: $0.arguments))
                },
                toolCallID: entry.toolCallID, name: entry.role == .tool ? entry.toolName : nil)
        }
        self.entries = entries.map { entry in
            Metadata(
                seq: entry.seq, role: entry.role.rawValue, model: entry.model, tokensIn: entry.tokensIn,
                tokensOut: entry.tokensOut, latencyMs: entry.latencyMilliseconds, createdAt: entry.createdAt,
                toolName: entry.toolName, toolArguments: entry.toolArguments, toolResult: entry.toolResult)
        }
    }
}
