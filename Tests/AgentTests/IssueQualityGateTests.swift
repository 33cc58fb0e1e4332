@testable import Agent
import Testing

/// The gates every issue passes before it is filed, on the answers small models really give.
@Suite struct IssueQualityGateTests {
    static let pod = PodContext(namespace: "ci", pod: "build-and-test-run-7x9k2-unit-tests-pod", container: "step-unit-tests",
                                pipelineRun: "build-and-test-run-7x9k2", task: "unit-tests")
    static let evidence = "L40: --- FAIL: TestParseConfig (0.01s)\nL41:     config_test.go:42: expected port 8080, got 0\nL43: exit status 1"
    let gate = IssueQualityGate(pod: pod, evidence: evidence)

    @Test(arguments: [
        ("L40: --- FAIL: x", "--- FAIL: x"), ("  L41 x5: repeated", "repeated"), ("123: model", "model"), ("7 | piped", "piped"),
        ("12 x3 | both", "both"), ("L: no digits", "L: no digits"), ("40 items failed", "40 items failed"),
        ("12 xyz: not a count", "12 xyz: not a count"), ("L12:no space", "L12:no space"), ("\t99: tabbed", "tabbed"),
        ("", ""), ("L", "L"), ("55", "55"), ("é12: accent first", "é12: accent first"), ("3: é", "é"),
    ])
    func lineNumbersAreTakenOffAsTheExcerptAndModelsWriteThem(line: String, expected: String) {
        #expect(IssueQualityGate.withoutLineNumber(Substring(line)) == Substring(expected))
    }

    @Test func aGoodIssuePasses() {
        #expect(gate.problems(title: IssueFixture.title, body: IssueFixture.body) == [])
    }

    @Test func fencesJSONAndTemplateTitlesFail() {
        for title in ["```json", #"{"name": "x", "arguments": {}}"#, "Title: <pipeline or task>: <what failed, in the log's words>", "", "a\nb"] {
            #expect(!gate.problems(title: title, body: IssueFixture.body).isEmpty, "\(title)")
        }
    }

    @Test func missingSectionsAreNamed() {
        let problems = gate.problems(title: IssueFixture.title, body: "## Summary\nconfig_test.go:42: expected port 8080, got 0")
        #expect(problems.count == 1)
        #expect(problems.first?.contains("## Cluster/namespace location") == true && problems.first?.contains("## Detailed error") == true)
    }

    @Test func theDetailedErrorMustQuoteTheEvidence() {
        let invented = IssueFixture.body.replacingOccurrences(of: "config_test.go:42: expected port 8080, got 0", with: "npm ERR! missing lock file")
        #expect(gate.problems(title: IssueFixture.title, body: invented).contains { $0.contains("quotes no line of the evidence") })
        // Whitespace, a line-number prefix and list or quote marks do not matter.
        let reflowed = IssueFixture.body.replacingOccurrences(
            of: "config_test.go:42: expected port 8080, got 0", with: "> L41:   config_test.go:42:  expected port 8080, got 0")
        #expect(gate.problems(title: IssueFixture.title, body: reflowed) == [])
        // Without evidence there is nothing to quote from.
        #expect(IssueQualityGate(pod: Self.pod).problems(title: IssueFixture.title, body: invented) == [])
    }

    @Test func otherPodsAndNamespacesFail() {
        let elsewhere = IssueFixture.body.replacingOccurrences(of: "Namespace `ci`", with: "Namespace `web`")
        #expect(gate.problems(title: IssueFixture.title, body: elsewhere).contains { $0.contains("namespace web") })
        let otherPod = IssueFixture.body + "\nSee also release-pipeline-run-q4m8z-build-image-pod."
        #expect(gate.problems(title: IssueFixture.title, body: otherPod).contains { $0.contains("pod release-pipeline-run-q4m8z-build-image-pod") })
        // Prose about pods names none.
        let prose = IssueFixture.body + "\nThe pod's step failed; the pod restarted twice in this namespace."
        #expect(gate.problems(title: IssueFixture.title, body: prose) == [])
    }

    @Test func aCreateCallsArgumentsAreChecked() {
        #expect(gate.problems(arguments: #"{"title": "```json", "body": "{}"}"#).count >= 2)
        #expect(gate.problems(arguments: "not json") == ["the arguments are not a JSON object"])
    }

    @Test func finalTextsLoseTheirFenceAndTitleLabel() {
        let fenced = "```markdown\nTitle: " + IssueFixture.title + "\n" + IssueFixture.body + "\n```"
        #expect(IssueText.parse(fenced) == IssueText(title: IssueFixture.title, body: IssueFixture.body))
        // A fence that only opens the text (the quoted error inside closes it) is kept.
        #expect(IssueText.parse("```\nfoo\n```\nbar").title == "```")
        #expect(IssueText.parse("## Summary\nx").title == "")
    }
}
