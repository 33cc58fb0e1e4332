import Foundation
import JSON
import Testing

/// parse → write → parse gives the same value, in every writing mode, and at scale.
@Suite struct JSONRoundTripTests {
    @Test func corpusRoundTrips() throws {
        let values = try JSONCorpus.texts.map { try JSONParser().parse($0) } + JSONCorpus.randomValues(count: 1000, seed: 3)
        for value in values {
            for (sortedKeys, pretty) in [(false, false), (true, false), (true, true)] {
                let data = try value.encoded(sortedKeys: sortedKeys, pretty: pretty)
                #expect(try JSONValue.decode(data) == value, "\(String(decoding: data, as: UTF8.self))")
            }
        }
    }

    @Test func sortedOutputIsStable() throws {
        for value in JSONCorpus.randomValues(count: 200, seed: 4) {
            let text = value.jsonText
            #expect(try JSONParser().parse(text).jsonText == text)
        }
    }

    @Test func aMegabyteDocumentParses() throws {
        var items: [JSONValue] = []
        var size = 0
        var generator = SeededGenerator(seed: 5)
        while size < 1 << 20 {
            let item: JSONValue = [
                "id": .int(items.count), "name": .string("pod-\(items.count)-é"), "ratio": .double(Double(items.count) / 7),
                "log": .string(String(repeating: "line \"\(items.count)\"\t\n", count: 20)),
                "tags": .array((0..<5).map { .string("t\($0)") }), "nested": JSONCorpus.value(depth: 3, using: &generator),
            ]
            size += item.jsonText.utf8.count
            items.append(item)
        }
        let document = JSONValue.array(items)
        let data = try document.encoded()
        #expect(data.count >= 1 << 20)
        #expect(try JSONValue.decode(data) == document)
        #expect(try JSONValue.decode(try document.encoded(pretty: true)) == document)
    }
}
