import Testing
@testable import Analysis

@Suite("LogExcerpt")
struct LogExcerptTests {
    /// `count` lines of ordinary build chatter, numbered from `from`.
    private func noise(_ count: Int, from: Int = 1) -> [String] {
        (from..<(from + count)).map { "[INFO] Compiling module \($0 % 17) of the build, step \($0)" }
    }

    private func lines(of excerpt: String) -> [Substring] {
        excerpt.split(separator: "\n")
    }

    @Test func findsErrorFarFromTheEnd() {
        var log = noise(999)
        log.append("error: cannot open configuration file settings.toml")
        log += noise(4000, from: 1001)
        let excerpt = LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: 300).text
        #expect(excerpt.contains("L1000: error: cannot open configuration file settings.toml"))
    }

    @Test func prefersTheErrorOverTheTail() {
        var log = noise(200)
        log.append("FATAL: database migration 42 failed: relation \"users\" already exists")
        log += noise(300, from: 202)
        let excerpt = LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: 100).text
        #expect(excerpt.contains("relation \"users\" already exists"))
        #expect(excerpt.utf8.count <= 400)
    }

    @Test func collapsesRepeatedLinesWithACount() {
        var log = noise(10)
        log += Array(repeating: "dial tcp 10.0.0.1:5432: connect: connection refused", count: 50)
        log += noise(10, from: 61)
        let excerpt = LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: 2000).text
        let shown = lines(of: excerpt).filter { $0.contains("connection refused") }
        #expect(shown.count == 1)
        #expect(shown.first?.hasPrefix("L11 x50: ") == true)
    }

    @Test(arguments: [1, 10, 50, 200, 500, 2000])
    func neverExceedsTheBudget(budget: Int) {
        var log: [String] = []
        for i in 1...3000 {
            switch i % 7 {
            case 0: log.append("ERROR: step \(i) failed with exit code \(i % 5 + 1) " + String(repeating: "x", count: i % 300))
            case 3: log.append("    at com.example.Service.call(Service.java:\(i))")
            default: log.append("line \(i) " + String(repeating: "ab", count: i % 90))
            }
        }
        let excerpt = LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: budget).text
        #expect(excerpt.utf8.count <= budget * 4)
    }

    @Test func countsCRLFAndBareCRAsLineEnds() {
        let log = "first\r\nsecond\rerror: third line broke\r\nfourth\n"
        let excerpt = LogExcerpt(log: log, budgetTokens: 200).text
        #expect(excerpt.contains("L3: error: third line broke"))
        #expect(!excerpt.contains("\r"))
    }

    @Test func stripsANSIEscapesAndActionsTimestamps() {
        let log = [
            "2022-04-12T19:22:54.9573194Z \u{1B}[36;1mrun tests\u{1B}[0m",
            "2022-04-12T19:22:55.0000000Z \u{1B}[1;31mERROR\u{1B}[m: tests failed",
        ].joined(separator: "\n")
        let excerpt = LogExcerpt(log: log, budgetTokens: 200).text
        #expect(excerpt.contains("L2: ERROR: tests failed"))
        #expect(!excerpt.contains("\u{1B}"))
        #expect(!excerpt.contains("2022-04-12T"))
    }

    @Test func emptyLogGivesEmptyExcerpt() {
        #expect(LogExcerpt(log: "", budgetTokens: 2000).text.isEmpty)
        #expect(LogExcerpt(log: "\n\n\r\n", budgetTokens: 2000).text.isEmpty)
    }

    @Test func logWithoutFailureSignalsFallsBackToTheTail() {
        let log = (1...500).map { "step \($0) done" }.joined(separator: "\n")
        let excerpt = LogExcerpt(log: log, budgetTokens: 100).text
        let shown = lines(of: excerpt)
        #expect(shown.last == "L500: step 500 done")
        #expect(!excerpt.contains("L1: "))
    }

    @Test func truncatesVeryLongLinesWithAMarker() {
        let log = "error: payload rejected " + String(repeating: "z", count: 100_000)
        let excerpt = LogExcerpt(log: log, budgetTokens: 500).text
        #expect(excerpt.contains("error: payload rejected"))
        #expect(excerpt.contains("…[+"))
        #expect(excerpt.utf8.count <= 2000)
    }

    @Test func keepsTheStackTraceAfterAnException() {
        var log = noise(100)
        log.append("java.lang.IllegalStateException: pool exhausted")
        log += (1...8).map { "\tat com.example.Pool.take(Pool.java:\($0))" }
        log += noise(100, from: 110)
        let excerpt = LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: 400).text
        #expect(excerpt.contains("java.lang.IllegalStateException: pool exhausted"))
        #expect(excerpt.contains("at com.example.Pool.take(Pool.java:1)"))
        #expect(excerpt.contains("at com.example.Pool.take(Pool.java:8)"))
    }

    @Test func zeroFailureSummariesAreNotFailures() {
        var log = noise(50)
        log.insert("Tests run: 120, Failures: 0, Errors: 0, Skipped: 2", at: 10)
        log.append("npm ERR! code ELIFECYCLE")
        let excerpt = LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: 30).text
        #expect(excerpt.contains("npm ERR! code ELIFECYCLE"))
        #expect(!excerpt.contains("Failures: 0"))
    }

    @Test func redactsSecretsInTheExcerpt() {
        let log = [
            "deploy: using token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEA7bq8h2lM3kq9aZ2Fv0u0x1rj7b9i0w8ZkY0Q2V9s1gk",
            "-----END RSA PRIVATE KEY-----",
            "error: authentication failed for https://deploy:hunter2@git.example.com/repo.git",
        ].joined(separator: "\n")
        let excerpt = LogExcerpt(log: log, budgetTokens: 2000).text
        #expect(!excerpt.contains("ghp_abcdef"))
        #expect(!excerpt.contains("hunter2"))
        #expect(!excerpt.contains("MIIEowIBAAKCAQEA"))
        #expect(excerpt.contains("[REDACTED:"))
        #expect(excerpt.contains("error: authentication failed for https://deploy:"))
    }

    @Test func aKeyBlockWithoutEndMasksOnlyAKeysLength() {
        var log = ["-----BEGIN PRIVATE KEY-----"]
        log += (1...30).map { _ in "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" }
        log += (1...200).map { "build step \($0) ok" }
        log.append("error: deploy failed: cluster unreachable")
        let excerpt = LogExcerpt(log: log.joined(separator: "\n"), budgetTokens: 500).text
        #expect(!excerpt.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"))
        #expect(excerpt.contains("error: deploy failed: cluster unreachable"))
    }
}
