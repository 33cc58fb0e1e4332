import Analysis
import ArgumentParser
import Foundation

/// Why `agentctl redact` could not redact a file.
enum RedactCommandError: Error, CustomStringConvertible {
    case unreadable(String, String)

    var description: String {
        switch self {
        case .unreadable(let path, let reason): "redact: cannot read \(path): \(reason)"
        }
    }
}

/// `agentctl redact FILE [--whole]`: prints a log with its secrets redacted, as the worker
/// would send it on. Lets an operator check a log (and the tests measure redaction against a
/// secret scanner) before anything leaves the process.
struct RedactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redact",
        abstract: "Print a log file with its secrets redacted (line by line, as excerpts are; or as one text with --whole)."
    )

    @Argument(help: "Log file to redact ('-' for standard input).")
    var file: String

    @Flag(name: .customLong("whole"), help: "Redact the file as one text, as a tool result is, instead of line by line.")
    var whole = false

    func run() async throws {
        let data: Data
        do {
            data = file == "-"
                ? FileHandle.standardInput.readDataToEndOfFile()
                : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw RedactCommandError.unreadable(file, error.localizedDescription)
        }
        let bytes = [UInt8](data)
        var text = whole ? RedactedLog.whole(bytes) : RedactedLog.byLine(bytes)
        if !text.hasSuffix("\n") { text += "\n" }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
