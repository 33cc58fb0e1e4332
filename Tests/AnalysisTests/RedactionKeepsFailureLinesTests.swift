import Foundation
import Testing
@testable import Analysis

/// Redaction must not eat failure lines: exception class names, git hashes, image digests and
/// test names are no secrets. A sample of the labeled failure lines of ../shared/datasets is
/// committed (the datasets are not in the checkout); scripts/redaction-failure-lines measures
/// all of them (1991 lines: all intact but 7 whose signed URL's `Signature=` is redacted).
@Suite("Redaction keeps failure lines")
struct RedactionKeepsFailureLinesTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/failure-lines.txt")

    @Test func labeledFailureLinesComeOutUnchanged() throws {
        let lines = try String(contentsOf: Self.fixture, encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(lines.count >= 100)
        let redactor = SecretRedactor()
        let changed = lines.filter { redactor.redact($0) != $0 }
        #expect(changed.isEmpty, "\(changed.count) changed: \(changed.prefix(5).map { redactor.redact($0) })")
        // Line by line, with the lines above as context, as the excerpt redacts.
        let byLine = RedactedLog.byLine(Array(lines.joined(separator: "\n").utf8)).split(separator: "\n").map(String.init)
        #expect(Set(lines).subtracting(byLine).isEmpty)
    }
}
