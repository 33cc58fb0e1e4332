import Foundation

/// A migration file's statements, one at a time: the extended query protocol (the only one
/// postgres-nio's async API speaks) runs one statement per query. Splits on `;` outside
/// string literals, quoted names, dollar-quoted bodies (`$$ … $$`, `$body$ … $body$`: a
/// function's statements stay in its one `CREATE FUNCTION`) and `--` comments.
enum SQLScript {
    static func statements(_ script: String) throws -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?
        /// The tag that closes the dollar-quoted body being read (`$$` or `$name$`).
        var dollarTag: String?
        var inComment = false
        var rest = Substring(script)
        while let character = rest.first {
            if inComment {
                rest.removeFirst()
                if character == "\n" { inComment = false; current.append(" ") }
                continue
            }
            if let tag = dollarTag {
                if rest.hasPrefix(tag) {
                    current.append(tag)
                    rest.removeFirst(tag.count)
                    dollarTag = nil
                } else {
                    current.append(character)
                    rest.removeFirst()
                }
                continue
            }
            rest.removeFirst()
            if quote == nil, character == "$", let tag = Self.dollarTag(opening: rest, after: current) {
                current.append(tag)
                rest.removeFirst(tag.count - 1)
                dollarTag = tag
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
        if let dollarTag {
            throw PostgresStoreError.invalidValue("a migration's dollar-quoted body opened with \(dollarTag) is never closed")
        }
        if quote != nil {
            throw PostgresStoreError.invalidValue("a migration has a quote that is never closed")
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }

    /// The whole tag (`$$` or `$name$`) when the `$` just read opens a dollar quote; `rest` is
    /// what follows that `$`. Not one when the `$` ends a name (`a$b`) or starts a parameter
    /// (`$1`): a tag is `$`, an optional name that does not start with a digit, `$`.
    private static func dollarTag(opening rest: Substring, after current: String) -> String? {
        if let previous = current.last, previous.isLetter || previous.isNumber || previous == "_" || previous == "$" {
            return nil
        }
        var name = ""
        for character in rest {
            if character == "$" { return "$" + name + "$" }
            let allowed = character == "_" || (character.isASCII && (character.isLetter || (character.isNumber && !name.isEmpty)))
            guard allowed else { return nil }
            name.append(character)
        }
        return nil
    }
}
