import JSON

/// Varied documents for round-trip and cross-checking: hand-picked tricky ones plus
/// pseudo-random values with every kind, escapes, non-ASCII text and extreme numbers.
enum JSONCorpus {
    static let texts: [String] = [
        #"{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"line 1\nline 2\t\"quoted\" \\ back\/slash"}],"isError":false}}"#,
        #"{"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"pods_log","arguments":"{\"name\":\"p\",\"tailLines\":256}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1234,"completion_tokens":56}}"#,
        #"[1, -1, 0, -0, 1.0, 1e10, 1E-10, -2.5e+3, 9223372036854775807, -9223372036854775808, 9223372036854775808, 123456789012345678901234567890, 0.1, 5e-324, 1.7976931348623157e308]"#,
        #"{"\u00e9\u4e2d\ud83d\ude00":"\u0000\u001f\u007f\u0080\u07ff\u0800\uffff","":"","\"":"\\"}"#,
        "{\"utf8\":\"é 中 😀 \u{2028} \u{FEFF} \u{10FFFF}\"}",
        "  \n\t[\r\n{ } , [ ] , \"\" , true , false , null ]  \n",
        #"{"a":{"b":{"c":{"d":{"e":[[[[[[[["deep"]]]]]]]]}}}}}"#,
        #"{"dup":1,"dup":{"x":2},"dup":[3]}"#,
        "\"top-level string\"", "42", "-3.25", "true", "null",
    ]

    static func randomValues(count: Int, seed: UInt64) -> [JSONValue] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in value(depth: 0, using: &generator) }
    }

    static func value(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let kind = Int.random(in: 0..<(depth < 5 ? 9 : 6), using: &generator)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(integer(using: &generator))
        case 3: return .double(double(using: &generator))
        case 4, 5: return .string(string(using: &generator))
        case 6: return .array((0..<Int.random(in: 0...6, using: &generator)).map { _ in value(depth: depth + 1, using: &generator) })
        default:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                fields[string(using: &generator)] = value(depth: depth + 1, using: &generator)
            }
            return .object(fields)
        }
    }

    static func integer(using generator: inout SeededGenerator) -> Int {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: Int.random(in: -100...100, using: &generator)
        case 1: [Int.max, Int.min, 0, -1, 1 << 53, -(1 << 53) - 1].randomElement(using: &generator)!
        default: Int(truncatingIfNeeded: generator.next())
        }
    }

    static func double(using generator: inout SeededGenerator) -> Double {
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: return Double(Int.random(in: -1000...1000, using: &generator)) / 8
        case 1: return [0.1, -0.0, 1e300, -1e-300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e15, 1e16, 0.5].randomElement(using: &generator)!
        default:
            while true {
                let value = Double(bitPattern: generator.next())
                if value.isFinite { return value }
            }
        }
    }

    private static let pieces: [String] = [
        "a", "Z", "0", " ", "key", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}",
        "é", "ß", "中文", "😀", "👍🏽", "\u{2028}", "x\u{FEFF}", "\u{FFFD}", "\u{10FFFF}", "e\u{301}", "{", "]", ",", ":",
    ]

    static func string(using generator: inout SeededGenerator) -> String {
        (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }
}
