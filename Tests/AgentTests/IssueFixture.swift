/// The issue body a well-behaved scripted model writes.
enum IssueFixture {
    static let title = "build-and-test / unit-tests: TestParseConfig expected port 8080, got 0"
    static let body = """
        ## Cluster/namespace location
        Namespace `ci`, pod `build-and-test-run-7x9k2-unit-tests-pod`, container `step-unit-tests`.
        ## Summary
        The unit tests failed: TestParseConfig got port 0.
        ## Detailed error
        ```
        config_test.go:42: expected port 8080, got 0
        ```
        ## Possible causes and solutions
        1. PORT is not set in the step's environment: set it.
        """

    /// The issue as a final answer: the title line, then the body.
    static var text: String { title + "\n\n" + body }
    /// The log line the body quotes.
    static let quotedLine = "config_test.go:42: expected port 8080, got 0"
}
