import Foundation
import JSON
import Testing

/// Escaping per RFC 8259, key order, pretty printing, and the piece-by-piece API.
@Suite struct JSONWriterTests {
    func text(_ value: JSONValue, sortedKeys: Bool = true, pretty: Bool = false) throws(JSONWriteError) -> String {
        String(decoding: try value.encoded(sortedKeys: sortedKeys, pretty: pretty), as: UTF8.self)
    }

    @Test func onlyWhatMustBeEscapedIs() throws {
        #expect(try text(.string("quote \" backslash \\ slash / tab \t newline \n")) == #""quote \" backslash \\ slash / tab \t newline \n""#)
        #expect(try text(.string("\u{8}\u{C}\r\u{0}\u{1}\u{1F}\u{7F}")) == #""\b\f\r\u0000\u0001\u001f"# + "\u{7F}\"")
        #expect(try text(.string("é 中 😀 \u{2028}")) == "\"é 中 😀 \u{2028}\"")
        #expect(try text(["a/b": "c\"d"]) == #"{"a/b":"c\"d"}"#)
    }

    @Test func everyControlCharacterRoundTrips() throws {
        let all = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
        let written = try text(.string(all))
        #expect(written.utf8.allSatisfy { $0 >= 0x20 })
        #expect(try JSONParser().parse(written) == .string(all))
    }

    @Test func compactAndSorted() throws {
        let value: JSONValue = ["b": [1, 2.5, nil, true], "a": ["z": "", "y": [:]], "c": []]
        #expect(try text(value) == #"{"a":{"y":{},"z":""},"b":[1,2.5,null,true],"c":[]}"#)
        #expect(value.jsonText == #"{"a":{"y":{},"z":""},"b":[1,2.5,null,true],"c":[]}"#)
        #expect(try JSONParser().parse(try text(value, sortedKeys: false)) == value)
    }

    @Test func prettyLooksLikeJSONEncoder() throws {
        let value: JSONValue = ["b": [1, ["k": false]], "a": [], "c": [:]]
        #expect(try text(value, pretty: true) == """
            {
              "a" : [],
              "b" : [
                1,
                {
                  "k" : false
                }
              ],
              "c" : {}
            }
            """)
        #expect(try text(.int(3), pretty: true) == "3")
    }

    @Test func piecesAndRawText() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.write(key: "model")
        writer.write(string: "m")
        writer.write(key: "schema")
        writer.write(raw: try RawJSON(validating: #"{"type": "object"}"#))
        writer.write(key: "list")
        writer.beginArray()
        writer.write(int: 1)
        try writer.write(double: 0.5)
        writer.write(bool: false)
        writer.writeNull()
        writer.beginArray()
        writer.endArray()
        writer.endArray()
        writer.endObject()
        let written = String(decoding: writer.bytes, as: UTF8.self)
        #expect(written == #"{"model":"m","schema":{"type": "object"},"list":[1,0.5,false,null,[]]}"#)
        #expect(throws: JSONWriteError.nonFiniteNumber("nan")) { try writer.write(double: .nan) }
    }

    @Test func rawJSONIsCheckedStrictly() throws {
        #expect(throws: JSONParseError.self) { try RawJSON(validating: "{\"a\":1,}") }
        #expect(throws: JSONParseError.self) { try RawJSON(validating: "") }
        #expect(try RawJSON(["b": 1, "a": [true]], sortedKeys: true).text == #"{"a":[true],"b":1}"#)
        #expect(throws: JSONWriteError.self) { try RawJSON(.double(.infinity)) }
    }
}
