/// A whole log redacted the two ways its text leaves the process: line by line, as the
/// excerpt and the fingerprint see it (`RedactedLines`, with the lines above a line as its
/// context), and as one text, as a tool result reaches the model. `agentctl redact` prints
/// them, so redaction can be measured against a secret scanner on any log.
public enum RedactedLog {
    /// Each line of `log`, cleaned (`LineCleaner`) and redacted, joined by line ends.
    public static func byLine(_ log: [UInt8], redactor: SecretRedactor = SecretRedactor()) -> String {
        let lines = LogLines(log)
        let scan = LogScan(lines)
        var texts = RedactedLines(lines: lines, redactor: redactor)
        texts.keepsNewLines = false
        // PEM key blocks are masked by line (as `ExcerptSelection` does), not by pattern.
        return (0..<lines.count).map { i in
            scan.shape[i].contains(.privateKey) ? SecretRedactor.marker("private_key") : texts.text(i, maxBytes: Int.max).text
        }.joined(separator: "\n")
    }

    /// `log` redacted as one text.
    public static func whole(_ log: [UInt8], redactor: SecretRedactor = SecretRedactor()) -> String {
        redactor.redact(String(decoding: log, as: UTF8.self))
    }
}
