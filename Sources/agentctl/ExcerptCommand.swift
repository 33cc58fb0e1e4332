import Analysis
import ArgumentParser
import Foundation

/// Why `agentctl excerpt` could not produce an excerpt.
enum ExcerptCommandError: Error, CustomStringConvertible {
    case fileNotFound(String)
    case unreadable(String, String)
    case invalidBudget(String)

    var description: String {
        switch self {
        case .fileNotFound(let path): "excerpt: no such file: \(path)"
        case .unreadable(let path, let reason): "excerpt: cannot read \(path): \(reason)"
        case .invalidBudget(let value): "excerpt: invalid token budget: \(value) (want a positive integer)"
        }
    }
}

/// `agentctl excerpt FILE [--budget-tokens N] [--explain]`: prints the redacted failure excerpt
/// of a log; `--explain` puts under each line why it was chosen.
struct ExcerptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "excerpt",
        abstract: "Print the lines of a log file that explain its failure, redacted, within a token budget."
    )

    @Argument(help: "Log file to excerpt.")
    var file: String

    @Option(name: .customLong("budget-tokens"), help: "Token budget (tokens = ceil(bytes/4)); default EXCERPT_BUDGET_TOKENS or 2000.")
    var budgetTokens: Int?

    @Flag(help: "Under each excerpt line, print why it was chosen (its rule, or its score and value).")
    var explain = false

    func run() async throws {
        let budget = try resolvedBudget()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            throw ExcerptCommandError.fileNotFound(file)
        }
        if isDirectory.boolValue { throw ExcerptCommandError.unreadable(file, "is a directory") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ExcerptCommandError.unreadable(file, error.localizedDescription)
        }
        guard explain else {
            let excerpt = LogExcerpt(log: [UInt8](data), budgetTokens: budget)
            FileHandle.standardOutput.write(Data(excerpt.text.utf8))
            return
        }
        let excerpt = LogExcerpt.explained(log: [UInt8](data), budgetTokens: budget)
        FileHandle.standardOutput.write(Data(Self.annotated(excerpt).utf8))
    }

    /// Each excerpt line followed by `    ^ reason` when it has one (`…` gap lines have none).
    static func annotated(_ excerpt: LogExcerpt) -> String {
        var out = ""
        for line in excerpt.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            out += line + "\n"
            guard line.hasPrefix("L"),
                  let number = Int(line.dropFirst().prefix { $0.isNumber }),
                  let reason = excerpt.reasons[number] else { continue }
            out += "    ^ " + reason + "\n"
        }
        return out
    }

    private func resolvedBudget() throws -> Int {
        if let budgetTokens {
            guard budgetTokens > 0 else { throw ExcerptCommandError.invalidBudget(String(budgetTokens)) }
            return budgetTokens
        }
        guard let env = ProcessInfo.processInfo.environment["EXCERPT_BUDGET_TOKENS"], !env.isEmpty else {
            return LogExcerpt.defaultBudgetTokens
        }
        guard let value = Int(env), value > 0 else { throw ExcerptCommandError.invalidBudget(env) }
        return value
    }
}
