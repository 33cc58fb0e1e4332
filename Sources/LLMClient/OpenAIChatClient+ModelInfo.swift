import Foundation
import HTTPClient
import JSON

extension OpenAIChatClient {
    /// The model's input window as the LiteLLM proxy reports it: `GET /model/info`, the entry
    /// for the configured model (or the `*` route), `model_info.max_input_tokens`. Nil when
    /// the endpoint is no LiteLLM proxy, does not know the model, or does not answer in 10 s:
    /// the caller then keeps its default.
    public func reportedContextTokens() async -> Int? {
        var base = configuration.baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        for suffix in ["/chat/completions", "/v1"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        var headers: HTTPHeaders = ["Accept": "application/json"]
        if let key = configuration.apiKey, !key.isEmpty { headers.set("Authorization", "Bearer \(key)") }
        let request = HTTPRequest(method: "GET", url: base + "/model/info", headers: headers, body: nil,
                                  connectTimeout: configuration.connectTimeout, timeout: .seconds(10), maxResponseBytes: 8 * 1024 * 1024)
        guard let response = try? await http.send(request), response.status == 200,
              let entries = (try? JSONValue.decode(response.body))?["data"]?.arrayValue else { return nil }
        let model = configuration.model
        let entry = entries.first { $0["model_name"]?.stringValue == model }
            ?? entries.first { $0["litellm_params"]?["model"]?.stringValue == model }
            ?? entries.first { $0["model_name"]?.stringValue == "*" }
        let info = entry?["model_info"]
        return (info?["max_input_tokens"]?.intValue ?? info?["max_tokens"]?.intValue).flatMap { $0 > 0 ? $0 : nil }
    }
}
