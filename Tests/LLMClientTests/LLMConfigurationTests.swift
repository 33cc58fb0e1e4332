import LLMClient
import Testing

@Suite struct LLMConfigurationTests {
    @Test(arguments: [
        ("http://litellm:4000", "http://litellm:4000/v1/chat/completions"),
        ("http://litellm:4000/", "http://litellm:4000/v1/chat/completions"),
        ("http://litellm:4000/v1", "http://litellm:4000/v1/chat/completions"),
        ("http://litellm:4000/v1/", "http://litellm:4000/v1/chat/completions"),
        ("https://llm.example/proxy/v1/chat/completions", "https://llm.example/proxy/v1/chat/completions"),
    ])
    func chatCompletionsURLWithOrWithoutV1(base: String, expected: String) {
        #expect(LLMConfiguration(baseURL: base).chatCompletionsURL == expected)
    }

    @Test func readsEnvironmentWithDefaults() throws {
        let minimal = try LLMConfiguration.fromEnvironment(["LITELLM_URL": "http://litellm:4000"])
        #expect(minimal.model == "openai/Llama-4-Scout-17B-16E-W4A16")
        #expect(minimal.apiKey == nil)
        #expect(minimal.requestTimeout == .seconds(120))
        let full = try LLMConfiguration.fromEnvironment([
            "LITELLM_URL": "http://litellm:4000/v1", "LITELLM_API_KEY": "sk-1", "LITELLM_MODEL": "gpt-x",
            "LITELLM_TIMEOUT_SECONDS": "2.5", "LITELLM_CONNECT_TIMEOUT_SECONDS": "1",
        ])
        #expect(full.apiKey == "sk-1")
        #expect(full.model == "gpt-x")
        #expect(full.requestTimeout == .milliseconds(2500))
        #expect(full.connectTimeout == .seconds(1))
    }

    @Test func rejectsMissingOrMalformedSettings() {
        #expect(throws: LLMError.invalidConfiguration("LITELLM_URL is not set")) {
            try LLMConfiguration.fromEnvironment([:])
        }
        #expect(throws: LLMError.self) { try LLMConfiguration.fromEnvironment(["LITELLM_URL": "litellm:4000"]) }
        #expect(throws: LLMError.self) {
            try LLMConfiguration.fromEnvironment(["LITELLM_URL": "http://x", "LITELLM_TIMEOUT_SECONDS": "soon"])
        }
    }
}
