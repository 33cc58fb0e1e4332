import Foundation
import MCPClient
import Synchronization

/// An MCP transport that times each request from the moment it is sent until its answer is
/// delivered to the client (on the POST's own response for streamable HTTP, on the event
/// stream for SSE): the MCP latency the benchmark takes out of the per-job figures.
final class TimedMCPTransport: MCPTransport {
    let inner: any MCPTransport
    let latency: LatencyTotal
    private let sent = Mutex<[Int: ContinuousClock.Instant]>([:])

    init(inner: any MCPTransport, latency: LatencyTotal) {
        self.inner = inner
        self.latency = latency
    }

    func open(inbox: MCPInbox) async throws(MCPError) {
        let timed = MCPInbox(
            deliver: { [self] message in
                // Answers carry our id and no method; requests from the server are not ours.
                if message["method"] == nil, let id = message["id"]?.intValue,
                   let start = sent.withLock({ $0.removeValue(forKey: id) }) {
                    latency.add(.now - start, failed: message["error"] != nil)
                }
                inbox.deliver(message)
            },
            closed: inbox.closed)
        try await inner.open(inbox: timed)
    }

    func send(_ message: Data, requestID: Int?, timeout: Duration) async throws(MCPError) {
        let start = ContinuousClock.now
        if let requestID { sent.withLock { $0[requestID] = start } }
        do {
            try await inner.send(message, requestID: requestID, timeout: timeout)
        } catch {
            if let requestID, sent.withLock({ $0.removeValue(forKey: requestID) }) != nil {
                latency.add(.now - start, failed: true)
            }
            throw error
        }
    }

    func negotiated(protocolVersion: String) async { await inner.negotiated(protocolVersion: protocolVersion) }

    func close() async { await inner.close() }
}
