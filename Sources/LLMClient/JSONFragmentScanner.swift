import Foundation

/// Finds JSON objects and arrays embedded in free text: each `{` or `[` whose balanced end
/// (strings and escapes respected) encloses text that parses as JSON.
enum JSONFragmentScanner {
    /// Parsed top-level values in order of appearance; a value nested in an earlier one is skipped.
    static func values(in text: String) -> [Any] {
        let bytes = Array(text.utf8)
        var found: [Any] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else {
                index += 1
                continue
            }
            if let end = balancedEnd(bytes, from: index),
               let value = try? JSONSerialization.jsonObject(with: Data(bytes[index...end])) {
                found.append(value)
                index = end + 1
            } else {
                index += 1
            }
        }
        return found
    }

    /// Index of the bracket closing the one at `start`, or nil when the text ends first.
    private static func balancedEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var stack: [UInt8] = []
        var inString = false
        var escaped = false
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false }
                else if byte == UInt8(ascii: "\\") { escaped = true }
                else if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}"))
                case UInt8(ascii: "["): stack.append(UInt8(ascii: "]"))
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard stack.last == byte else { return nil }
                    stack.removeLast()
                    if stack.isEmpty { return index }
                default: break
                }
            }
            index += 1
        }
        return nil
    }
}
