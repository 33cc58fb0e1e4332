import Foundation
import Testing
import TestSupport

/// `pipeline-agent-bench quality` with the scripted model as CI runs it: a model that only
/// copies the prompt's template still ends in correct issues (the fallback), every check met.
@Suite struct QualityBenchmarkTests {
    @Test(arguments: ["copy", "bogus"]) func aCopyingModelStillGetsCorrectIssues(mode: String) async throws {
        let root = TestPeer.peersDirectory.deletingLastPathComponent().deletingLastPathComponent()
        let run = try await ChildProcess.run(
            try BuildProducts.executable("pipeline-agent-bench"),
            ["quality", "--cases", root.appending(path: "examples/quality-cases").path, "--endpoint", mode,
             "--peers-dir", TestPeer.peersDirectory.path],
            timeout: .seconds(240))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("6 of 6 issues pass every check"), "\(run.stdout)")
        let rows = run.stdout.split(separator: "\n").filter { $0.contains(" yes ") || $0.contains(" NO ") }
        #expect(rows.count == 6 && rows.allSatisfy { $0.contains("fallback") })
    }
}
