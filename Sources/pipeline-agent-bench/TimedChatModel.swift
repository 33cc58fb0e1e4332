import LLMClient

/// A chat model that times every completion (the whole HTTP exchange with the endpoint) into
/// `latency`, so the benchmark can take model time out of the per-job figures.
struct TimedChatModel: ChatModel {
    let inner: any ChatModel
    let latency: LatencyTotal

    var modelName: String { inner.modelName }

    func complete(_ request: ChatRequest) async throws(LLMError) -> ChatCompletion {
        let start = ContinuousClock.now
        do {
            let completion = try await inner.complete(request)
            latency.add(.now - start)
            return completion
        } catch {
            latency.add(.now - start, failed: true)
            throw error
        }
    }
}
