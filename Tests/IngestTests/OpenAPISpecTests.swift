import Foundation
import HTTPClient
import Queue
import Testing
@testable import Ingest

/// Keeps `openapi.yaml` and the router in step. The full check against a running server is
/// `scripts/openapi-check` (schemathesis); this one is cheap and runs with `swift test`.
@Suite struct OpenAPISpecTests {
    /// `paths:` of the spec as path → methods, read line by line: the file's own layout
    /// (two-space indent, one key per line) is all this needs, so no YAML parser.
    static func specOperations() throws -> [String: Set<String>] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appending(path: "openapi.yaml"), encoding: .utf8)
        var operations: [String: Set<String>] = [:]
        var inPaths = false
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty {
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
                operations[current!] = []
            } else if let path = current, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch", "head", "options", "trace"].contains(String(key)) {
                    operations[path]!.insert(key.uppercased())
                }
            }
        }
        return operations
    }

    /// The router's routes as OpenAPI paths (`:id` → `{id}`) → methods.
    static func routerOperations() -> [String: Set<String>] {
        let server = IngestServer(queue: UnavailableQueue(), configuration: IngestConfiguration(token: "t", cloudEventsToken: "c"), readiness: {})
        var operations: [String: Set<String>] = [:]
        for route in server.router().routes {
            let path = "\(route.path)".split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            operations["/" + path.joined(separator: "/"), default: []].insert(route.method.rawValue)
        }
        return operations
    }

    @Test func everyRouteIsInTheSpecAndEveryOperationIsServed() throws {
        let spec = try Self.specOperations()
        let router = Self.routerOperations()
        #expect(Set(spec.keys) == Set(router.keys))
        for (path, methods) in spec {
            #expect(!methods.isEmpty, "\(path) has no operation in openapi.yaml")
            // Listing routes calls no handler, so any queue does. The router also registers the 405 answers, so it serves a superset.
            #expect(methods.isSubset(of: router[path] ?? []), "\(path): \(methods) not all routed")
        }
    }

    /// A chunked body has no Content-Length, so the limit trips while reading; that used to
    /// surface as NIO's own error and a 500.
    @Test func chunkedBodyOverTheLimitIs413() async throws {
        let ingest = try await IngestFixture()
        let padding = String(repeating: "x", count: 200 * 1024)
        let response = try await ingest.post(
            "/report-failure", json: #"{"namespace": "ci", "pod_name": "p", "pad": "\#(padding)"}"#,
            headers: ["Content-Type": "application/json", "Transfer-Encoding": "chunked"])
        #expect(response.status == 413 && response.errorCode == "body_too_large")
    }

    @Test func traceIsMethodNotAllowed() async throws {
        let ingest = try await IngestFixture()
        let response = try await ingest.client.send(HTTPRequest(method: "TRACE", url: ingest.url("/healthz")))
        #expect(response.status == 405 && response.headers["allow"] == "GET")
    }
}
