import Foundation
import HTTPClient
import Testing
import TestSupport

/// TLS verification is on by default; a configured CA bundle makes a private CA trusted.
@Suite(.serialized) struct TLSTests {
    /// A throwaway self-signed certificate for 127.0.0.1, made with the openssl CLI.
    static func makeCertificate() throws -> (cert: String, key: String) {
        let directory = NSTemporaryDirectory() + "tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let cert = directory + "/cert.pem", key = directory + "/key.pem"
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else {
            throw TestPeer.StartFailure(description: "openssl could not create a test certificate")
        }
        return (cert, key)
    }

    @Test func untrustedCertificateIsRejectedAndCABundleTrustsIt() async throws {
        let (cert, key) = try Self.makeCertificate()
        let peer = try await TestPeer(script: "http_peer.py", arguments: ["--tls-cert", cert, "--tls-key", key])
        defer { peer.stop() }
        let url = "https://127.0.0.1:\(peer.port)/echo"

        await #expect {
            try await HTTPClient().send(HTTPRequest(url: url))
        } throws: { error in
            if case .tls = error as? HTTPClientError { return true }
            return false
        }

        var configuration = HTTPClientConfiguration()
        configuration.caBundlePath = cert
        let response = try await HTTPClient(configuration: configuration).send(HTTPRequest(url: url))
        #expect(response.status == 200)
    }
}
