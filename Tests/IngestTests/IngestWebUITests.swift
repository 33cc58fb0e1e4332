import Foundation
import HTTPClient
import Testing
import TestSupport

/// `AGENT_UI` and `AGENT_UI_PORT` on the real `pipeline-agent ingest`: off by default, behind
/// the ingest token when on, or on a loopback port of its own without auth.
@Suite struct IngestWebUITests {
    let directory = TemporaryDirectory()
    /// Redirects are part of what is checked: not followed.
    let client: HTTPClient = {
        var configuration = HTTPClientConfiguration()
        configuration.maxRedirects = 0
        return HTTPClient(configuration: configuration)
    }()

    func get(_ url: String) async throws -> HTTPResponse {
        try await client.send(HTTPRequest(url: url, timeout: .seconds(10)))
    }

    @Test func theUIIsOffByDefault() async throws {
        let ingest = try await IngestProcess(db: directory.path("a.sqlite"), client: client)
        defer { ingest.process.kill() }
        #expect(try await get("http://127.0.0.1:\(ingest.port)/ui/jobs").status == 404)
    }

    @Test func onItSitsBehindTheIngestToken() async throws {
        let ingest = try await IngestProcess(
            db: directory.path("b.sqlite"), client: client, environment: ["AGENT_UI": "on", "AGENT_INGEST_TOKEN": "t0ken"])
        defer { ingest.process.kill() }
        let anonymous = try await get("http://127.0.0.1:\(ingest.port)/ui/jobs")
        #expect(anonymous.status == 303 && anonymous.headers["Location"]?.hasPrefix("/ui/login") == true)
        let authorized = try await client.send(HTTPRequest(
            url: "http://127.0.0.1:\(ingest.port)/ui/jobs", headers: ["Authorization": "Bearer t0ken"], timeout: .seconds(10)))
        #expect(authorized.status == 200 && authorized.text.contains("<h1>Jobs</h1>"))
    }

    @Test func aPortOfItsOwnIsLoopbackOnlyWithoutAuthAndTheIngestPortHasNoUI() async throws {
        let uiPort = try TestPeer.freePort()
        let ingest = try await IngestProcess(
            db: directory.path("c.sqlite"), client: client,
            environment: ["AGENT_UI": "on", "AGENT_UI_PORT": String(uiPort), "AGENT_INGEST_TOKEN": "t0ken"])
        defer { ingest.process.kill() }
        let page = try await eventually("the UI port to answer", timeout: .seconds(30), every: .milliseconds(50)) {
            try? await get("http://127.0.0.1:\(uiPort)/ui/health")
        }
        #expect(page.status == 200 && page.text.contains("Queue depth") && !page.text.contains("Log out"))
        #expect(try await get("http://127.0.0.1:\(uiPort)/").headers["Location"] == "/ui/jobs")
        #expect(try await get("http://127.0.0.1:\(ingest.port)/ui/jobs").status == 404)
        // Bound to loopback only: no other local address answers.
        if let other = Self.nonLoopbackAddress() {
            await #expect(throws: (any Error).self) { _ = try await get("http://\(other):\(uiPort)/ui/jobs") }
        }
    }

    @Test func anUnknownSwitchValueStopsTheStart() async throws {
        let run = try await ChildProcess.run(
            try BuildProducts.executable("pipeline-agent"), ["ingest", "--db", directory.path("d.sqlite"), "--port", "0"],
            environment: ["AGENT_UI": "yes"], timeout: .seconds(60))
        #expect(run.status != 0)
        #expect(run.stderr.contains("AGENT_UI must be on or off, not yes"))
    }

    /// An IPv4 address of this machine other than 127.x, if it has one.
    static func nonLoopbackAddress() -> String? {
        var addresses: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&addresses) == 0, let first = addresses else { return nil }
        defer { freeifaddrs(addresses) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            guard inet_ntop(AF_INET, &ipv4, &buffer, socklen_t(INET_ADDRSTRLEN)) != nil else { continue }
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.hasPrefix("127.") { return text }
        }
        return nil
    }
}
