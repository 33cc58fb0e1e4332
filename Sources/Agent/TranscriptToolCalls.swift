import Foundation
import LLMClient

/// How an assistant entry's tool calls are stored: a JSON array of `{"id","name","arguments"}`
/// text, the same in every database, so a stored transcript replays as an OpenAI message list.
public enum TranscriptToolCalls {
    public static func encode(_ calls: [ToolCall]) -> String? {
        guard !calls.isEmpty, let data = try? JSONEncoder().encode(calls) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Unreadable text (never written by this code) reads as no calls: the entry's content
    /// still shows what the model said.
    public static func decode(_ text: String?) -> [ToolCall] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([ToolCall].self, from: Data(text.utf8))) ?? []
    }
}
