import Foundation
import JSON
import Testing

/// The new parser and writer against Foundation's `JSONSerialization`: the same documents must
/// mean the same values either way (numbers compared by value: Foundation writes 1.0 as 1).
/// Random strings never start with U+FEFF: Foundation drops it there.
@Suite struct FoundationComparisonTests {
    @Test func parsersAgreeOnTheCorpus() throws {
        for text in JSONCorpus.texts {
            let ours = try JSONParser().parse(text)
            let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            #expect(ours.matches(foundation: theirs), "\(text)")
        }
    }

    @Test func foundationReadsWhatWeWrite() throws {
        for value in JSONCorpus.randomValues(count: 400, seed: 1) {
            for pretty in [false, true] {
                let data = try value.encoded(pretty: pretty)
                let theirs = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
                #expect(value.matches(foundation: theirs), "\(String(decoding: data, as: UTF8.self))")
            }
        }
    }

    @Test func weReadWhatFoundationWrites() throws {
        for value in JSONCorpus.randomValues(count: 400, seed: 2) {
            let data = try JSONSerialization.data(withJSONObject: value.foundationObject, options: [.fragmentsAllowed])
            let ours = try JSONValue.decode(data)
            #expect(ours.matches(foundation: value.foundationObject), "\(String(decoding: data, as: UTF8.self))")
        }
    }

    /// Where Foundation rejects a document, so do we (trailing commas aside, which both
    /// Foundation parsers accept and `JSONValue.decode` accepts on purpose).
    @Test func bothRejectBrokenDocuments() {
        for text in ["", "[1 2]", "{a:1}", "01", "1.", "\"\\x\"", "\"a\tb\"", "[1] x", "NaN", "\"\\ud800\"", "1e400", "[", "tru"] {
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) == nil, "\(text)")
            #expect((try? JSONValue.decode(Data(text.utf8))) == nil, "\(text)")
        }
    }
}

extension JSONValue {
    /// The value as `JSONSerialization` takes it.
    var foundationObject: Any {
        switch self {
        case .null: NSNull()
        case let .bool(value): value
        case let .int(value): value
        case let .double(value): value
        case let .string(value): value
        case let .array(items): items.map(\.foundationObject)
        case let .object(fields): fields.mapValues(\.foundationObject)
        }
    }

    /// Same JSON meaning as a `JSONSerialization` result; numbers by value, whatever their kind.
    func matches(foundation object: Any) -> Bool {
        switch (self, object) {
        case (.null, is NSNull): return true
        case let (.string(value), other as String): return value == other
        case let (.array(items), other as [Any]):
            return items.count == other.count && zip(items, other).allSatisfy { $0.matches(foundation: $1) }
        case let (.object(fields), other as [String: Any]):
            return fields.count == other.count && fields.allSatisfy { key, value in other[key].map { value.matches(foundation: $0) } ?? false }
        case let (_, number as NSNumber):
            let isBool = String(cString: number.objCType) == "c"
            switch self {
            case let .bool(value): return isBool && number.boolValue == value
            // Foundation reads some large integers as NSDecimalNumber, exact only in its digits.
            case let .int(value) where number is NSDecimalNumber: return number.description == String(value)
            case let .int(value): return !isBool && number.int64Value == value
            // Foundation reads some long numbers as NSDecimalNumber, whose doubleValue is off
            // in the last digits; everything else must be exact.
            case let .double(value) where number is NSDecimalNumber:
                return !isBool && abs(number.doubleValue - value) <= abs(value) * 1e-14
            case let .double(value): return !isBool && number.doubleValue == value
            default: return false
            }
        default: return false
        }
    }
}
