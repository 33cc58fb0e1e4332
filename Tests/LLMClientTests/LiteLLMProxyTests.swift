import Foundation
import HTTPClient
import LLMClient
import Testing
import TestSupport

/// The client against the real LiteLLM proxy (PyPI, offline) in front of the scripted backend.
///
/// What LiteLLM 1.106 does with backend answers, as these tests pin down:
/// - errors keep their status (429, 500, 503, 401, 404, 408, 409) with the message wrapped
///   ("litellm.RateLimitError: … - <backend message>"); the backend's `Retry-After` comes back
///   only as `llm_provider-retry-after` (and `-ms` as `llm_provider-retry-after-ms`);
/// - a context-window error becomes 400 `ContextWindowExceededError`;
/// - a backend slower than the deployment timeout becomes 408 `litellm.Timeout`;
/// - an unparsable backend body becomes 500 `InternalServerError` (retryable by status);
/// - a wrong key without a LiteLLM database is 400 `No connected db.` (no_db_connection),
///   not 401; a backend 401 comes through as 401.
@Suite(.serialized) struct LiteLLMProxyTests {
    let stack: LiteLLMStack

    init() async throws {
        stack = try await LiteLLMStack.shared()
    }

    func client(key: String = LiteLLMStack.masterKey, timeout: Duration = .seconds(20), model: ScriptedModel) -> OpenAIChatClient {
        OpenAIChatClient(configuration: LLMConfiguration(
            baseURL: stack.proxyURL, apiKey: key, model: model.name, connectTimeout: .seconds(5), requestTimeout: timeout))
    }

    func failure(_ steps: [[String: Any]], key: String = LiteLLMStack.masterKey, timeout: Duration = .seconds(20)) async throws -> LLMError {
        let model = stack.model()
        try await model.script(steps)
        let llm = client(key: key, timeout: timeout, model: model)
        let answer: ChatCompletion
        do throws(LLMError) {
            answer = try await llm.complete(ChatRequest(messages: [.user("hi")]))
        } catch {
            return error
        }
        Issue.record("expected an error, got \(answer)")
        throw TestSupportError("no error")
    }

    static let podsLog = ToolDefinition(
        name: "pods_log", description: "Get the logs of a pod",
        parametersJSON: #"{"type":"object","properties":{"name":{"type":"string"},"tailLines":{"type":"integer","default":256}},"required":["name"]}"#)

    @Test func nativeToolCallsRoundTrip() async throws {
        let model = stack.model()
        try await model.script([
            ScriptedModel.toolCall("pods_log", ["name": "pod-1", "tailLines": 100], id: "call_a"),
            ScriptedModel.text("The unit tests failed."),
        ])
        let llm = client(model: model)
        var messages: [ChatMessage] = [.system("You analyse failures."), .user("Pod pod-1 failed.")]
        let first = try await llm.complete(ChatRequest(
            messages: messages, tools: [Self.podsLog], toolChoice: .auto, temperature: 0.1, maxTokens: 300))
        let call = try #require(first.message.toolCalls.first)
        #expect(first.message.toolCalls.count == 1)
        #expect(call.id == "call_a" && call.name == "pods_log")
        let arguments = try #require(try JSONSerialization.jsonObject(with: Data(call.arguments.utf8)) as? [String: Any])
        #expect(arguments["name"] as? String == "pod-1" && arguments["tailLines"] as? Int == 100)
        #expect(first.finishReason == "tool_calls")
        #expect((first.usage?.promptTokens ?? 0) > 0)
        #expect(first.usage?.completionTokens == 12)
        #expect(first.model == model.name)

        messages.append(first.message)
        messages.append(.tool(callID: "call_a", name: "pods_log", result: "FAIL example.com/app/config"))
        let second = try await llm.complete(ChatRequest(messages: messages, tools: [Self.podsLog]))
        #expect(second.message.content == "The unit tests failed.")
        #expect(second.message.toolCalls.isEmpty)

        // What reached the backend through the proxy: schema, choice, sampling and the tool turn.
        let requests = try await model.requests()
        try #require(requests.count == 2)
        let tools = try #require(requests[0]["tools"] as? [[String: Any]])
        let function = try #require(tools.first?["function"] as? [String: Any])
        #expect(function["name"] as? String == "pods_log")
        let parameters = try #require(function["parameters"] as? [String: Any])
        #expect(parameters["required"] as? [String] == ["name"])
        #expect(requests[0]["tool_choice"] as? String == "auto")
        #expect(requests[0]["temperature"] as? Double == 0.1)
        #expect(requests[0]["max_tokens"] as? Int == 300)
        let history = try #require(requests[1]["messages"] as? [[String: Any]])
        #expect(history.map { $0["role"] as? String } == ["system", "user", "assistant", "tool"])
        #expect(history[3]["tool_call_id"] as? String == "call_a")
        let echoed = try #require((history[2]["tool_calls"] as? [[String: Any]])?.first?["function"] as? [String: Any])
        #expect(echoed["name"] as? String == "pods_log")
    }

    @Test func textWrittenToolCallIsRecognised() async throws {
        let model = stack.model()
        try await model.script([ScriptedModel.text(#"<|python_tag|>{"name": "pods_log", "parameters": {"name": "pod-1"}}"#)])
        let answer = try await client(model: model).complete(ChatRequest(messages: [.user("go")], tools: [Self.podsLog]))
        #expect(answer.message.toolCalls.isEmpty)
        let (calls, written) = answer.toolCalls(knownTools: ["pods_log"])
        #expect(written)
        #expect(calls.map(\.name) == ["pods_log"])
        #expect(calls.first?.arguments == #"{"name":"pod-1"}"#)
    }

    @Test func rateLimitIsRetryableWithLiteLLMsRetryHint() async throws {
        let error = try await failure([["status": 429, "error": "Rate limit reached for requests", "headers": ["Retry-After": "7"]]])
        #expect(error.errorClass == .retryable)
        #expect(error.retryAfter == .seconds(7))
        guard case let .status(code, message, _) = error else { Issue.record("\(error)"); return }
        #expect(code == 429)
        #expect(message.contains("Rate limit reached for requests"))

        let precise = try await failure([["status": 429, "error": "slow down", "headers": ["retry-after-ms": "1500"]]])
        #expect(precise.retryAfter == .milliseconds(1500))
    }

    @Test func serverErrorsAreRetryable() async throws {
        let crashed = try await failure([["status": 500, "error": "backend exploded"]])
        #expect(crashed.errorClass == .retryable)
        #expect("\(crashed)".contains("backend exploded"))
        let unavailable = try await failure([["status": 503, "error": "overloaded", "headers": ["Retry-After": "3"]]])
        #expect(unavailable.errorClass == .retryable)
        #expect(unavailable.retryAfter == .seconds(3))
        for code in [408, 409] {
            let error = try await failure([["status": code, "error": "transient \(code)"]])
            #expect(error.errorClass == .retryable, "\(error)")
        }
    }

    @Test func rejectedRequestsArePermanent() async throws {
        let backendKey = try await failure([["status": 401, "error": "Incorrect API key provided"]])
        #expect(backendKey.errorClass == .permanent)
        guard case let .status(code, message, _) = backendKey else { Issue.record("\(backendKey)"); return }
        #expect(code == 401)
        #expect(message.contains("Incorrect API key provided"))
        let notFound = try await failure([["status": 404, "error": "model does not exist"]])
        #expect(notFound.errorClass == .permanent)
        #expect("\(notFound)".contains("model does not exist"))
        let badRequest = try await failure([["status": 400, "error": "messages must not be empty"]])
        #expect(badRequest.errorClass == .permanent)
    }

    @Test func wrongProxyKeyIsPermanent() async throws {
        let error = try await failure([ScriptedModel.text("never reached")], key: "sk-wrong-key")
        #expect(error.errorClass == .permanent)
        guard case let .status(code, message, _) = error else { Issue.record("\(error)"); return }
        // LiteLLM without a database cannot look up other keys: 400, not 401.
        #expect([400, 401].contains(code))
        #expect(!message.isEmpty)
    }

    /// The window the proxy reports for a model it knows (`model_info.max_input_tokens`); an
    /// endpoint without `/model/info` (the bare backend) reports none.
    @Test func theProxyReportsAModelsContextWindow() async throws {
        let known = client(model: stack.model(LiteLLMStack.smallWindowModel))
        #expect(await known.reportedContextTokens() == 4096)
        let bare = OpenAIChatClient(configuration: LLMConfiguration(baseURL: stack.backend.baseURL, model: "x"))
        #expect(await bare.reportedContextTokens() == nil)
    }

    @Test func theWindowAContextErrorNames() {
        let litellm = LLMError.contextLengthExceeded(code: 400, message: "litellm.ContextWindowExceededError: litellm.BadRequestError: "
            + "ContextWindowExceededError: OpenAIException - This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.")
        #expect(litellm.reportedContextTokens == 4096)
        let llamaCpp = LLMError.contextLengthExceeded(code: 400, message: #"{"type":"exceed_context_size_error","n_prompt_tokens":4758,"n_ctx":4096}"#)
        #expect(llamaCpp.reportedContextTokens == 4096)
        #expect(LLMError.contextLengthExceeded(code: 400, message: "prompt is too long").reportedContextTokens == nil)
    }

    @Test func contextLengthIsPermanent() async throws {
        let error = try await failure([[
            "status": 400, "code": "context_length_exceeded",
            "error": "This model's maximum context length is 8192 tokens. However, your messages resulted in 9100 tokens.",
        ]])
        guard case let .contextLengthExceeded(code, message) = error else { Issue.record("\(error)"); return }
        #expect(code == 400)
        #expect(message.contains("maximum context length is 8192 tokens"))
        #expect(error.errorClass == .permanent)
    }

    @Test func hangPastTheClientTimeoutIsRetryable() async throws {
        let started = ContinuousClock.now
        let error = try await failure([["delay": 2.5, "text": "too late"]], timeout: .seconds(1))
        guard case .timeout = error else { Issue.record("\(error)"); return }
        #expect(error.errorClass == .retryable)
        // The answer would have come at 2.5 s, so the timeout fired before it; this bound only
        // catches a hang (a loaded suite keeps this task waiting for a thread for seconds).
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func cancellingTheCallerAbortsTheRequest() async throws {
        let model = stack.model()
        try await model.script([["delay": 2.5, "text": "late"]])
        let llm = client(model: model)
        let started = ContinuousClock.now
        let call = Task { try await llm.complete(ChatRequest(messages: [.user("hi")])) }
        try await Task.sleep(for: .milliseconds(300))
        call.cancel()
        let result = await call.result
        guard case let .failure(error) = result, let failure = error as? LLMError, case .cancelled = failure else {
            Issue.record("expected a cancellation, got \(result)")
            return
        }
        #expect(failure.errorClass == .retryable)
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func hangPastTheProxyTimeoutIsRetryable() async throws {
        let error = try await failure([["delay": Double(LiteLLMStack.upstreamTimeoutSeconds) + 1.5, "text": "too late"]])
        guard case let .status(code, message, _) = error else { Issue.record("\(error)"); return }
        #expect(code == 408)
        #expect(message.contains("Timeout"))
        #expect(error.errorClass == .retryable)
    }

    @Test func garbageFromTheBackendBecomesARetryableProxyError() async throws {
        let error = try await failure([["raw": "<html>502 bad gateway</html>"]])
        guard case let .status(code, message, _) = error else { Issue.record("\(error)"); return }
        #expect(code == 500)
        #expect(message.contains("InternalServerError"))
        #expect(error.errorClass == .retryable)
    }

    /// Without the proxy in between, a 2xx body that is no completion is invalid output.
    @Test func garbageTwoHundredIsInvalidOutput() async throws {
        let model = stack.model()
        let direct = OpenAIChatClient(configuration: LLMConfiguration(baseURL: stack.backend.baseURL, model: model.name))
        for body in ["<html>oops</html>", #"{"choices": []}"#, #"{"choices": [{"message": {"tool_calls": [{"function": {}}]}}]}"#] {
            try await model.script([["raw": body]])
            do {
                _ = try await direct.complete(ChatRequest(messages: [.user("hi")]))
                Issue.record("accepted \(body)")
            } catch {
                #expect(error.errorClass == .invalidOutput, "\(error)")
                guard case let .invalidOutput(_, excerpt) = error else { continue }
                #expect(excerpt == body)
            }
        }
    }

    @Test func unreachableEndpointIsRetryable() async throws {
        let port = try TestPeer.freePort()
        let llm = OpenAIChatClient(configuration: LLMConfiguration(baseURL: "http://127.0.0.1:\(port)", model: "x"))
        do {
            _ = try await llm.complete(ChatRequest(messages: [.user("hi")]))
            Issue.record("expected a failure")
        } catch {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
            #expect(error.errorClass == .retryable)
        }
    }
}
