import Foundation

/// A migration file's statements, one at a time: the extended query protocol (the only one
/// postgres-nio's async API speaks) runs one statement per query. Splits on `;` outside
/// string literals, quoted names and `--` comments. Dollar-quoted bodies (functions) are
/// refused rather than cut apart.
enum SQLScript {
    static func statements(_ script: String) throws -> [String] {
        if script.contains("$$") {
            throw PostgresStoreError.invalidValue("a migration uses dollar quoting, which the statement splitter does not support")
        }
        var statements: [String] = []
        var current = ""
        var quote: Character?
        var inComment = false
        for character in script {
            if inComment {
                if character == "\n" { inComment = false; current.append(" ") }
                continue
            }
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                current.append(character)
            case "-" where current.last == "-":
                current.removeLast()
                inComment = true
            case ";":
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            default:
                current.append(character)
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }
}
