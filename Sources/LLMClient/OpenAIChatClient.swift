import Foundation
import HTTPClient

/// Chat completions over the OpenAI wire protocol (LiteLLM, vLLM, OpenAI) on the libcurl client.
/// Does not retry: the worker owns retries, using `LLMError.errorClass` and `retryAfter`.
public final class OpenAIChatClient: ChatModel {
    public let configuration: LLMConfiguration
    let http: HTTPClient

    public var modelName: String { configuration.model }

    public init(configuration: LLMConfiguration, http: HTTPClient? = nil) {
        self.configuration = configuration
        var httpConfiguration = HTTPClientConfiguration()
        httpConfiguration.connectTimeout = configuration.connectTimeout
        httpConfiguration.timeout = configuration.requestTimeout
        httpConfiguration.maxResponseBytes = configuration.maxResponseBytes
        self.http = http ?? HTTPClient(configuration: httpConfiguration)
    }

    public func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        let url = configuration.chatCompletionsURL
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        if let key = configuration.apiKey, !key.isEmpty { headers.set("Authorization", "Bearer \(key)") }
        let outgoing = HTTPRequest(
            method: "POST", url: url, headers: headers, body: try request.body(defaultModel: configuration.model),
            connectTimeout: configuration.connectTimeout, timeout: configuration.requestTimeout,
            maxResponseBytes: configuration.maxResponseBytes)
        let started = ContinuousClock.now
        let response: HTTPResponse
        do {
            response = try await http.send(outgoing)
        } catch let error as HTTPClientError {
            throw Self.classify(error, url: url)
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .unreachable(url: url, .transport(url: url, curlCode: -1, detail: String(describing: error)))
        }
        let latency = ContinuousClock.now - started
        guard (200..<300).contains(response.status) else {
            let message = CompletionDecoder.errorMessage(from: response.body)
            if response.status < 500, CompletionDecoder.isContextLength(message, body: response.body) {
                throw .contextLengthExceeded(code: response.status, message: message)
            }
            throw .status(code: response.status, message: message, retryAfter: RetryAfter.parse(response.headers))
        }
        return try CompletionDecoder.completion(from: response.body, latency: latency)
    }

    static func classify(_ error: HTTPClientError, url: String) -> LLMError {
        switch error {
        case let .timeout(_, after): .timeout(url: url, after: after)
        case .cancelled: .cancelled
        case let .responseTooLarge(_, limit):
            .invalidOutput(detail: "answer larger than \(limit) bytes", bodyExcerpt: "")
        case let .invalidRequest(_, reason): .invalidConfiguration(reason)
        default: .unreachable(url: url, error)
        }
    }
}
