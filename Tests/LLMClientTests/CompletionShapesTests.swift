import Foundation
@testable import LLMClient
import Testing

/// Odd but seen shapes, read as the JSONSerialization-based decoder read them.
@Suite struct CompletionShapesTests {
    func decode(_ json: String) throws(LLMError) -> ChatCompletion {
        try CompletionDecoder.completion(from: Data(json.utf8), latency: .zero)
    }

    func detail(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            if case let .invalidOutput(detail, _) = error { return detail }
            return "\(error)"
        }
    }

    /// The one visible difference: `/` is no longer written as `\/` (same JSON meaning).
    @Test func structuredArgumentsBecomeSortedJSONText() throws {
        let answer = try decode(#"""
            {"choices": [{"message": {"tool_calls": [
              {"id": "a", "function": {"name": "f", "arguments": {"path": "a/b", "z": 1, "a": [1.5, null]}}},
              {"id": "b", "function": {"name": "g", "arguments": [1, 2]}},
              {"id": "c", "function": {"name": "h", "arguments": 7}},
              {"function": {"name": "i", "arguments": ""}}]}}]}
            """#)
        #expect(answer.message.toolCalls.map(\.arguments) == [#"{"a":[1.5,null],"path":"a/b","z":1}"#, "[1,2]", "{}", "{}"])
        #expect(answer.message.toolCalls.map(\.id) == ["a", "b", "c", "call_3"])
    }

    /// A list with anything but objects was not a `[[String: Any]]`, so it counted as absent.
    @Test func listsWithNonObjectsAreIgnored() throws {
        let answer = try decode(#"{"choices": [{"message": {"content": [{"text": "a"}, "b"], "tool_calls": [{"function": {"name": "f"}}, 3]}}]}"#)
        #expect(answer.message.content == nil)
        #expect(answer.message.toolCalls.isEmpty)
        #expect(detail(#"{"choices": [{"message": {}}, 1]}"#) == "no choices[0].message")
    }

    @Test func tokenCountsReadLikeNSNumber() throws {
        let answer = try decode(#"{"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": 7.9, "completion_tokens": "3"}}"#)
        #expect(answer.usage == TokenUsage(promptTokens: 7, completionTokens: 0))
    }

    @Test func errorsAndNonObjects() {
        #expect(detail("[1]") == "body is not a JSON object")
        #expect(detail("not json") == "body is not a JSON object")
        #expect(detail(#"{"error": null}"#) == "error object in a 2xx answer: {\"error\": null}")
        #expect(detail(#"{"error": "quota", "id": "x"}"#) == "error object in a 2xx answer: quota")
        #expect(detail(#"{"choices": [{"message": {"tool_calls": [{"function": {"name": ""}}]}}]}"#) == "tool call 0 has no function name")
    }

    @Test func fieldsOfTheWrongKindAreLeftOut() throws {
        let answer = try decode(#"{"id": 5, "model": "m", "choices": [{"finish_reason": null, "message": {"content": 3}}]}"#)
        #expect(answer.id == nil && answer.model == "m" && answer.finishReason == nil && answer.message.content == nil)
    }
}
