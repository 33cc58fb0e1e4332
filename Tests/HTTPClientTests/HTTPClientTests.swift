import Foundation
import HTTPClient
import Testing
import TestSupport

@Suite(.serialized) struct HTTPClientTests {
    let client = HTTPClient()

    private func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    @Test func sendsMethodHeadersAndBody() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let response = try await client.send(HTTPRequest(
            method: "PUT", url: peer.baseURL + "/echo",
            headers: ["X-Test": "yes", "Content-Type": "text/plain"], body: Data("payload".utf8)
        ))
        #expect(response.status == 200)
        #expect(response.headers["x-peer"] == "http-peer")
        #expect(response.headers["CONTENT-TYPE"] == "application/json")
        let echo = try json(response)
        #expect(echo["method"] as? String == "PUT")
        #expect(echo["body"] as? String == "payload")
        #expect((echo["headers"] as? [String: String])?["x-test"] == "yes")
    }

    @Test func reusesTheConnection() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let first = try json(try await client.send(HTTPRequest(url: peer.baseURL + "/echo")))
        let second = try json(try await client.send(HTTPRequest(url: peer.baseURL + "/echo")))
        #expect(first["clientPort"] as? Int == second["clientPort"] as? Int)
    }

    @Test(arguments: [301, 302, 303, 307, 308])
    func redirectKeepsPostAndBody(status: Int) async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let response = try await client.send(HTTPRequest(
            method: "POST", url: peer.baseURL + "/redirect/\(status)", body: Data("{\"a\":1}".utf8)
        ))
        let echo = try json(response)
        #expect(echo["method"] as? String == "POST")
        #expect(echo["body"] as? String == "{\"a\":1}")
    }

    @Test func statusErrorCarriesBodyExcerpt() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let response = try await client.send(HTTPRequest(url: peer.baseURL + "/status/503"))
        #expect(throws: HTTPClientError.status(code: 503, url: peer.baseURL + "/status/503",
                                               bodyExcerpt: "failure body 503")) {
            try response.requireSuccess()
        }
    }

    @Test func refusedConnectionFailsFast() async throws {
        let port = try TestPeer.freePort()
        let url = "http://127.0.0.1:\(port)/"
        let started = ContinuousClock.now
        await #expect(throws: HTTPClientError.connectionRefused(url: url)) {
            try await client.send(HTTPRequest(url: url, connectTimeout: .seconds(60)))
        }
        // The error says refused, not a connect timeout; the bound only has to stay far below the
        // 60 s timeout and far above the seconds a loaded suite keeps a task waiting for a thread.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func silentListenerHitsConnectTimeout() async throws {
        let peer = try await TestPeer(script: "blackhole_peer.py", readyWhenLogged: "filled")
        defer { peer.stop() }
        let url = peer.baseURL + "/"
        let started = ContinuousClock.now
        await #expect(throws: HTTPClientError.connectTimeout(url: url, after: .seconds(1))) {
            try await client.send(HTTPRequest(url: url, connectTimeout: .seconds(1), timeout: .seconds(10)))
        }
        let elapsed = ContinuousClock.now - started
        // The error says which timeout fired; the upper bound only catches a hang.
        #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(30))
    }

    @Test func unknownHostIsDNSFailure() async throws {
        await #expect {
            try await client.send(HTTPRequest(url: "http://no-such-host.invalid/", connectTimeout: .seconds(5)))
        } throws: { error in
            if case .dnsFailure = error as? HTTPClientError { return true }
            return false
        }
    }

    @Test func totalTimeoutIsTyped() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let url = peer.baseURL + "/slow/60"
        let started = ContinuousClock.now
        await #expect(throws: HTTPClientError.timeout(url: url, after: .milliseconds(500))) {
            try await client.send(HTTPRequest(url: url, timeout: .milliseconds(500)))
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func responseOverLimitIsTypedAndUnderLimitIsWhole() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let big = peer.baseURL + "/bytes/\(10 * 1024 * 1024)"
        await #expect(throws: HTTPClientError.responseTooLarge(url: big, limit: 4 * 1024 * 1024)) {
            try await client.send(HTTPRequest(url: big))
        }
        let fits = try await client.send(HTTPRequest(url: peer.baseURL + "/bytes/\(3 * 1024 * 1024)"))
        #expect(fits.body.count == 3 * 1024 * 1024)
    }

    @Test func eventStreamArrivesIncrementally() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let started = ContinuousClock.now
        // The second event comes 30 s after the first: a loaded suite can keep this task waiting
        // for a thread for seconds, never that long.
        let response = try await client.stream(HTTPRequest(url: peer.baseURL + "/sse/30", timeout: .zero))
        var iterator = response.events().makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first == SSEEvent(type: "first", data: "a"))
        #expect(ContinuousClock.now - started < .seconds(20), "first event must not wait for the stream's end")
        let second = try await iterator.next()
        #expect(second == SSEEvent(type: "message", data: "b\nc", lastEventID: "7"))
        #expect(try await iterator.next() == nil)
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let client = self.client
        let task = Task {
            try await client.send(HTTPRequest(url: peer.baseURL + "/hang", timeout: .seconds(50)))
        }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(throws: (any Error).self) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(30), "the request's own timeout is 50 s")
    }
}

@Suite(.serialized) struct HTTPLineStreamTests {
    @Test func linesArriveAsTheyAreWritten() async throws {
        let peer = try await TestPeer(script: "http_peer.py")
        defer { peer.stop() }
        let response = try await HTTPClient().stream(HTTPRequest(url: peer.baseURL + "/sse/0.2", timeout: .zero))
        var lines: [String] = []
        for try await line in response.lines() { lines.append(line) }
        #expect(lines == [": comment", "event: first", "data: a", "", "data: b", "data: c", "id: 7", ""])
    }
}
