import Foundation
import JSON
import Testing

/// RFC 8259 conformance: what must parse, to what, and what must fail, where.
@Suite struct JSONParserTests {
    func parse(_ text: String, trailingCommas: Bool = false) throws(JSONParseError) -> JSONValue {
        try JSONParser(allowsTrailingCommas: trailingCommas).parse(text)
    }

    func failure(_ text: String) -> JSONParseError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    func failure(bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONParser().parse(Data(bytes))
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)),
        ("0", .int(0)), ("-12", .int(-12)), (#""""#, .string("")), ("[]", .array([])), ("{}", .object([:])),
        (" \t\r\n[ 1 , \"a\" , null ]\n", .array([.int(1), .string("a"), .null])),
        (#"{"a":{"b":[true,false,{}]},"c":[]}"#, .object(["a": .object(["b": .array([.bool(true), .bool(false), .object([:])])]), "c": .array([])])),
        (#"{"a":1,"a":2}"#, .object(["a": .int(2)])),
        ("\u{FEFF}[1]", .array([.int(1)])),
    ])
    func validDocuments(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""\" \\ \/ \b \f \n \r \t""#) == .string("\" \\ / \u{8} \u{C} \n \r \t"))
        #expect(try parse(#""\u0041\u00e9\u4E2D\u0000""#) == .string("Aé中\u{0}"))
        #expect(try parse(#""\ud83d\ude00 x""#) == .string("😀 x"))
        #expect(try parse(#""\uD834\uDD1E""#) == .string("𝄞"))
        #expect(try parse(#""plain ascii then \n escape""#) == .string("plain ascii then \n escape"))
    }

    @Test func rawUTF8IsKept() throws {
        #expect(try parse(#""é 中 😀 \u2028 ok""#) == .string("é 中 😀 \u{2028} ok"))
        #expect(try parse("\"\u{7F}\u{FFFF}\u{10FFFF}\"") == .string("\u{7F}\u{FFFF}\u{10FFFF}"))
    }

    /// Unpaired surrogates are not Unicode scalars; they are rejected rather than replaced.
    @Test(arguments: [
        (#""\ud800""#, 1), (#""ab\ud800x""#, 3), (#""\udc00""#, 1), (#""\ud800\u0041""#, 1),
        (#""\ud800\ud800""#, 1), (#""\ude00\ud83d""#, 1), (#""\ud800\n""#, 1),
    ])
    func loneSurrogates(text: String, offset: Int) {
        #expect(failure(text) == JSONParseError(.loneSurrogate, at: offset))
    }

    @Test func invalidUTF8IsRejectedWhereItStarts() {
        let quote = UInt8(ascii: "\"")
        let cases: [[UInt8]] = [
            [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xC3], [0xE4, 0xB8], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC3, 0x28],
        ]
        for sequence in cases {
            #expect(failure(bytes: [quote, 0x61] + sequence + [quote]) == JSONParseError(.invalidUTF8, at: 2), "\(sequence)")
        }
        #expect(failure(bytes: [0xFF]) == JSONParseError(.unexpectedByte(0xFF), at: 0))
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd, 0), ("   ", .unexpectedEnd, 3),
        ("[1,]", .unexpectedByte(UInt8(ascii: "]")), 3), (#"{"a":1,}"#, .unexpectedByte(UInt8(ascii: "}")), 7),
        ("[1 2]", .unexpectedByte(UInt8(ascii: "2")), 3), ("[,]", .unexpectedByte(UInt8(ascii: ",")), 1),
        ("[1,,2]", .unexpectedByte(UInt8(ascii: ",")), 3), (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1")), 5),
        ("{a:1}", .unexpectedByte(UInt8(ascii: "a")), 1), ("{1:1}", .unexpectedByte(UInt8(ascii: "1")), 1),
        ("[1] x", .trailingContent, 4), ("1 2", .trailingContent, 2), ("{}}", .trailingContent, 2),
        ("tru", .unexpectedEnd, 3), ("nul", .unexpectedEnd, 3), ("trUe", .unexpectedByte(UInt8(ascii: "U")), 2),
        ("NaN", .unexpectedByte(UInt8(ascii: "N")), 0), ("Infinity", .unexpectedByte(UInt8(ascii: "I")), 0),
        ("'a'", .unexpectedByte(UInt8(ascii: "'")), 0), ("[1]//c", .trailingContent, 3), ("/*c*/1", .unexpectedByte(UInt8(ascii: "/")), 0),
        ("[", .unexpectedEnd, 1), ("[1", .unexpectedEnd, 2), (#"{"a":"#, .unexpectedEnd, 5), (#""abc"#, .unexpectedEnd, 4),
        (#""\x""#, .invalidEscape, 1), (#""\u12G4""#, .invalidEscape, 5), (#""\u12""#, .invalidEscape, 5),
        ("\"a\tb\"", .unescapedControlCharacter, 2), ("\"a\nb\"", .unescapedControlCharacter, 2),
        ("\u{C}1", .unexpectedByte(0x0C), 0), ("\u{A0}1", .unexpectedByte(0xC2), 0),
    ])
    func invalidDocuments(text: String, reason: JSONParseError.Reason, offset: Int) {
        #expect(failure(text) == JSONParseError(reason, at: offset))
    }

    @Test func trailingCommasOnlyWhenAllowed() throws {
        #expect(try parse("[1,]", trailingCommas: true) == [1])
        #expect(try parse(#"{"a":[1, ] , }"#, trailingCommas: true) == ["a": [1]])
        #expect(throws: JSONParseError.self) { try parse("[1,,]", trailingCommas: true) }
        #expect(throws: JSONParseError.self) { try parse("[,]", trailingCommas: true) }
        // JSONValue.decode keeps Foundation's leniency for model-written arguments.
        #expect(try JSONValue.decode(Data(#"{"name": "p",}"#.utf8)) == ["name": "p"])
    }

    @Test func nestingIsLimited() throws {
        let limit = JSONParser.defaultMaxDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try parse(deepest) != .null)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(failure(tooDeep) == JSONParseError(.tooDeep(limit: limit), at: limit))
        let objects = String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        #expect(failure(objects)?.reason == .tooDeep(limit: limit))
        // Hostile input stops at the limit instead of recursing a million times.
        #expect(failure(String(repeating: "[", count: 1_000_000))?.reason == .tooDeep(limit: limit))
        #expect(throws: JSONParseError.self) { try JSONParser(maxDepth: 2).parse("[[[1]]]") }
    }

    @Test func errorsDescribeTheirPlace() {
        #expect(failure("[1 2]")?.description == "invalid JSON at byte 3: unexpected '2'")
        #expect(failure("")?.description == "invalid JSON at byte 0: unexpected end of input")
    }

    @Test func dataAndStringInputsAgree() throws {
        let text = #"{"k":["é",1.5,-3,null]}"#
        #expect(try JSONParser().parse(Data(text.utf8)) == JSONParser().parse(text))
        #expect(try JSONValue.decode(Data(text.utf8)) == JSONParser().parse(text))
    }
}
