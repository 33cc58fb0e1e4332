import Foundation
import HTTPClient
@testable import LLMClient
import Testing

/// Answers as different OpenAI-compatible servers shape them, and retry hints in every spelling.
@Suite struct CompletionDecodingTests {
    func decode(_ json: String) throws -> ChatCompletion {
        try CompletionDecoder.completion(from: Data(json.utf8), latency: .milliseconds(5))
    }

    @Test func contentPartsAndObjectArgumentsAreAccepted() throws {
        let answer = try decode(#"""
            {"choices": [{"message": {"role": "assistant", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
             "tool_calls": [{"id": "", "type": "function", "function": {"name": "pods_get", "arguments": {"name": "p"}}}]},
             "finish_reason": "tool_calls"}], "usage": {"prompt_tokens": 7, "completion_tokens": 3}}
            """#)
        #expect(answer.message.content == "ab")
        #expect(answer.message.toolCalls == [ToolCall(id: "call_0", name: "pods_get", arguments: #"{"name":"p"}"#)])
        #expect(answer.usage == TokenUsage(promptTokens: 7, completionTokens: 3))
        #expect(answer.usage?.totalTokens == 10)
    }

    @Test func missingUsageAndNullContentAreFine() throws {
        let answer = try decode(#"{"choices": [{"message": {"role": "assistant", "content": null}}]}"#)
        #expect(answer.message.content == nil && answer.usage == nil && answer.message.toolCalls.isEmpty)
    }

    @Test func errorObjectInATwoHundredIsInvalidOutput() {
        #expect(throws: LLMError.self) { try decode(#"{"error": {"message": "upstream failed"}}"#) }
    }

    @Test func serverMessagesAreFoundWhereverTheyAre() {
        #expect(CompletionDecoder.errorMessage(from: Data(#"{"error": {"message": "m1"}}"#.utf8)) == "m1")
        #expect(CompletionDecoder.errorMessage(from: Data(#"{"error": "m2"}"#.utf8)) == "m2")
        #expect(CompletionDecoder.errorMessage(from: Data(#"{"detail": "m3"}"#.utf8)) == "m3")
        #expect(CompletionDecoder.errorMessage(from: Data("plain text".utf8)) == "plain text")
        #expect(CompletionDecoder.errorMessage(from: Data()) == "(empty body)")
    }

    @Test func retryAfterInEverySpelling() {
        #expect(RetryAfter.parse(["Retry-After": "7"]) == .seconds(7))
        #expect(RetryAfter.parse(["llm_provider-retry-after": "2.5"]) == .milliseconds(2500))
        #expect(RetryAfter.parse(["retry-after-ms": "1500", "Retry-After": "9"]) == .milliseconds(1500))
        #expect(RetryAfter.parse(["llm_provider-retry-after-ms": "300"]) == .milliseconds(300))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let date = now.addingTimeInterval(30)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        #expect(RetryAfter.parse(["Retry-After": formatter.string(from: date)], now: now) == .seconds(30))
        #expect(RetryAfter.parse(["Retry-After": "soon"]) == nil)
        #expect(RetryAfter.parse([:]) == nil)
    }

    @Test func absurdRetryAfterValuesNeitherTrapNorParkForever() {
        for text in ["1e30", "inf", "9223372036854775807", "1e300"] {
            #expect(RetryAfter.parse(["Retry-After": text]) == RetryAfter.longest, "\(text)")
            #expect(RetryAfter.parse(["retry-after-ms": text]) == RetryAfter.longest, "\(text)")
        }
        #expect(RetryAfter.parse(["Retry-After": "nan"]) == nil)
        #expect(RetryAfter.parse(["Retry-After": "-5"]) == nil)
        #expect(RetryAfter.parse(["retry-after-ms": "-1", "Retry-After": "4"]) == .seconds(4))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryAfter.parse(["Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"], now: now) == RetryAfter.longest)
    }

    @Test func errorClasses() {
        #expect(LLMError.status(code: 429, message: "", retryAfter: nil).errorClass == .retryable)
        #expect(LLMError.status(code: 502, message: "", retryAfter: nil).errorClass == .retryable)
        for code in [400, 401, 403, 404, 422] {
            #expect(LLMError.status(code: code, message: "", retryAfter: nil).errorClass == .permanent)
        }
        #expect(LLMError.unreachable(url: "u", .connectionRefused(url: "u")).errorClass == .retryable)
        #expect(LLMError.unreachable(url: "u", .tls(url: "u", detail: "bad cert")).errorClass == .permanent)
        #expect(LLMError.cancelled.errorClass == .retryable)
    }
}
