import Foundation

/// Where and how to reach the OpenAI-compatible chat-completions endpoint (LiteLLM in production).
public struct LLMConfiguration: Sendable, Equatable {
    /// Base URL as configured, e.g. `http://litellm:4000` or `http://litellm:4000/v1`.
    public var baseURL: String
    public var apiKey: String?
    public var model: String
    public var connectTimeout: Duration
    /// Whole exchange, model thinking included: models answer slowly.
    public var requestTimeout: Duration
    public var maxResponseBytes: Int

    public static let defaultModel = "openai/Llama-4-Scout-17B-16E-W4A16"

    public init(
        baseURL: String,
        apiKey: String? = nil,
        model: String = LLMConfiguration.defaultModel,
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(120),
        maxResponseBytes: Int = 8 * 1024 * 1024
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.model = model
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// `<base>/v1/chat/completions`, whether or not the configured URL already ends in `/v1`.
    public var chatCompletionsURL: String {
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/chat/completions") { return base }
        if !base.hasSuffix("/v1") { base += "/v1" }
        return base + "/chat/completions"
    }

    /// `LITELLM_URL` (required), `LITELLM_API_KEY`, `LITELLM_MODEL`, `LITELLM_TIMEOUT_SECONDS`
    /// (default 120) and `LITELLM_CONNECT_TIMEOUT_SECONDS` (default 10).
    public static func fromEnvironment(_ environment: [String: String]) throws(LLMError) -> LLMConfiguration {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func seconds(_ name: String, default fallback: Int) throws(LLMError) -> Duration {
            guard let text = value(name) else { return .seconds(fallback) }
            guard let number = Double(text), number > 0, number <= 3600 else {
                throw .invalidConfiguration("\(name) must be a number of seconds in (0, 3600], not \(text)")
            }
            return .milliseconds(Int(number * 1000))
        }
        guard let url = value("LITELLM_URL") else { throw .invalidConfiguration("LITELLM_URL is not set") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .invalidConfiguration("LITELLM_URL must start with http:// or https://, not \(url)")
        }
        return LLMConfiguration(
            baseURL: url,
            apiKey: value("LITELLM_API_KEY"),
            model: value("LITELLM_MODEL") ?? defaultModel,
            connectTimeout: try seconds("LITELLM_CONNECT_TIMEOUT_SECONDS", default: 10),
            requestTimeout: try seconds("LITELLM_TIMEOUT_SECONDS", default: 120))
    }
}
