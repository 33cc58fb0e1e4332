import Analysis
import ArgumentParser
import Foundation
import Queue

/// `pipeline-agent-bench excerpt`: LogExcerpt (scan, valuation, selection, redaction) in-process,
/// over the logs of a dataset folder or over the worker benchmark's pod logs, as the worker
/// asks for it: the failure lines of the fingerprint and an excerpt at each budget, from one
/// scan. Prints the CPU time per log, free of process start-up.
struct ExcerptBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "excerpt",
        abstract: "Measure LogExcerpt: excerpts of every log, N times over, in one process."
    )

    @Option(help: "Folder searched recursively for *.log files; without it, the worker benchmark's pod logs.")
    var dataset: String?

    @Option(help: "Pod logs when no --dataset is given.")
    var pods = 200

    @Option(help: "Log lines per pod before its failure lines (as `worker --log-lines`).")
    var logLines = 200

    @Option(help: "Passes over all logs.")
    var iterations = 20

    @Option(help: "Comma-separated token budgets excerpted from each log in one call, with its failure lines (the worker's: evidence).")
    var budgets = "\(LogExcerpt.defaultBudgetTokens)"

    func validate() throws {
        guard iterations > 0, pods > 0, logLines >= 0 else { throw ValidationError("--iterations and --pods must be positive") }
        guard !budgetList.isEmpty else { throw ValidationError("--budgets is a comma-separated list of positive integers") }
    }

    private var budgetList: [Int] {
        let parts = budgets.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.allSatisfy { ($0 ?? 0) > 0 } ? parts.compactMap { $0 } : []
    }

    func run() throws {
        #if DEBUG
        print("warning: debug build; measure with `swift build -c release --product pipeline-agent-bench`")
        #endif
        let logs = try dataset.map(Self.datasetLogs) ?? (0..<pods).map { Array(FailureFixture(count: pods, logLines: logLines).log($0).utf8) }
        guard !logs.isEmpty else { throw ValidationError("no *.log files under \(dataset ?? "")") }
        let budgets = budgetList
        let redactor = SecretRedactor()
        var outputBytes = 0
        let clock = ContinuousClock()
        let cpuBefore = ProcessUsage.cpuTime()
        let wall = clock.measure {
            for _ in 0..<iterations {
                for log in logs {
                    let analysed = LogExcerpt.excerptsAndFailureLines(log: log, budgetsTokens: budgets, redactor: redactor)
                    for excerpt in analysed.excerpts {
                        outputBytes &+= excerpt.text.utf8.count
                    }
                    for line in analysed.failureLines.lines {
                        outputBytes &+= line.utf8.count
                    }
                }
            }
        }
        let cpuAfter = ProcessUsage.cpuTime()
        let cpu = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system).seconds
        let runs = Double(iterations * logs.count)
        let inputMB = Double(logs.reduce(0) { $0 + $1.count }) / 1e6
        print(String(format: "excerpt benchmark: %d logs (%.1f MB), budgets %@ tokens, %d iterations",
                     logs.count, inputMB, budgets.map(String.init).joined(separator: ","), iterations))
        print(String(format: "per log: %.3f ms CPU, %.3f ms wall (output %d bytes per pass)",
                     cpu * 1000 / runs, wall.seconds * 1000 / runs, outputBytes / iterations))
    }

    private static func datasetLogs(_ folder: String) throws -> [[UInt8]] {
        let root = URL(fileURLWithPath: folder)
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        let files = walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "log" }.sorted { $0.path < $1.path }
        return try files.map { [UInt8](try Data(contentsOf: $0)) }
    }
}
