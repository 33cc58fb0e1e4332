import JSON
import Testing

/// Integers stay exact as long as they fit `Int`; everything else is a `Double` that writes back
/// as the same `Double`.
@Suite struct JSONNumberTests {
    func parse(_ text: String) throws(JSONParseError) -> JSONValue { try JSONParser().parse(text) }

    func written(_ value: JSONValue) throws(JSONWriteError) -> String {
        var writer = JSONWriter()
        try writer.write(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("9223372036854775807", JSONValue.int(.max)), ("-9223372036854775808", .int(.min)),
        ("0", .int(0)), ("-0", .int(0)), ("42", .int(42)), ("-7", .int(-7)),
        ("9223372036854775808", .double(9.223372036854775808e18)), ("-9223372036854775809", .double(-9.223372036854775808e18)),
        ("12345678901234567890", .double(1.2345678901234567e19)),
        ("1.5", .double(1.5)), ("10.0", .double(10)), ("-0.0", .double(-0.0)), ("1e300", .double(1e300)),
        ("1E2", .double(100)), ("1e+2", .double(100)), ("25e-1", .double(2.5)), ("0.1", .double(0.1)),
        ("2.2250738585072014e-308", .double(2.2250738585072014e-308)), ("5e-324", .double(.leastNonzeroMagnitude)),
        ("1e-400", .double(0)), ("1.7976931348623157e308", .double(.greatestFiniteMagnitude)),
        ("0.30000000000000004", .double(0.30000000000000004)),
    ])
    func numbersParse(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test func negativeZeroKeepsItsSign() throws {
        #expect(try parse("-0.0").doubleSign == .minus)
        #expect(try written(.double(-0.0)) == "-0.0")
    }

    @Test(arguments: [
        ("01", JSONParseError.Reason.invalidNumber, 0), ("-01", .invalidNumber, 0), ("1.", .unexpectedEnd, 2),
        ("1.e5", .invalidNumber, 2), (".5", .unexpectedByte(UInt8(ascii: ".")), 0), ("+1", .unexpectedByte(UInt8(ascii: "+")), 0),
        ("-", .unexpectedEnd, 1), ("-a", .invalidNumber, 1), ("1e", .unexpectedEnd, 2), ("1e+", .unexpectedEnd, 3),
        ("0x10", .trailingContent, 1), ("1e400", .numberOutOfRange, 0), ("-1e400", .numberOutOfRange, 0),
        ("[1.5.2]", .unexpectedByte(UInt8(ascii: ".")), 4),
    ])
    func invalidNumbers(text: String, reason: JSONParseError.Reason, offset: Int) {
        #expect(throws: JSONParseError(reason, at: offset)) { try parse(text) }
    }

    @Test(arguments: [
        (JSONValue.int(.max), "9223372036854775807"), (.int(.min), "-9223372036854775808"), (.int(0), "0"),
        (.double(1.5), "1.5"), (.double(10), "10.0"), (.double(1e300), "1e+300"), (.double(0.1), "0.1"),
        (.double(1e-7), "1e-07"), (.double(123_456), "123456.0"), (.double(.leastNonzeroMagnitude), "5e-324"),
    ])
    func numbersWrite(value: JSONValue, expected: String) throws {
        #expect(try written(value) == expected)
        #expect(try parse(expected) == value)
    }

    @Test func nonFiniteNumbersCannotBeWritten() {
        for value in [Double.nan, .infinity, -.infinity] {
            #expect(throws: JSONWriteError.self) { try written(.double(value)) }
            #expect(JSONValue.array([.double(value)]).jsonText == "null")
        }
    }

    /// Shortest round-trip text: every bit pattern comes back, however it was produced.
    @Test func doublesRoundTrip() throws {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let back = try parse(try written(.double(value)))
            guard case let .double(parsed) = back else {
                Issue.record("\(value) came back as \(back)")
                continue
            }
            #expect(parsed.bitPattern == value.bitPattern, "\(value)")
        }
    }

    @Test func integralDoublesStayDoubles() throws {
        for value in [0.0, 1, -1, 1e15, 1e16, 2e22, 9_007_199_254_740_992, 0x1p60] {
            #expect(try parse(try written(.double(value))) == .double(value))
        }
    }
}

extension JSONValue {
    fileprivate var doubleSign: FloatingPointSign? { if case let .double(value) = self { value.sign } else { nil } }
}
