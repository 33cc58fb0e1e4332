import Foundation
import Queue
import Testing
@testable import Ingest

/// The report path's hand-written pieces must agree with what they replace.
@Suite struct HotPathEncodingTests {
    @Test(arguments: [
        ("application/json", true), ("Application/JSON", true), ("application/json; charset=utf-8", true),
        ("  application/json\t;charset=utf-8", true), ("application/json ", true),
        ("application/jsonx", false), ("application/jso", false), ("text/plain", false), ("", false),
        ("application/json-seq", false), ("xapplication/json", false), (";application/json", false),
    ])
    func mediaTypeMatchesLikeTheHeaderRule(contentType: String, matches: Bool) {
        #expect(RequestBodyReader.mediaType(of: contentType, is: "application/json") == matches)
    }

    @Test(arguments: [(Int64(1), JobState.queued, Bool?.none), (Int64(9_007_199_254_740_993), .running, true),
                      (Int64(42), .succeeded, true)])
    func acceptedTextIsTheEncodersJSON(id: Int64, state: JobState, duplicate: Bool?) throws {
        let accepted = ReportRoute.Accepted(jobID: id, status: state, duplicate: duplicate)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(accepted.jsonText == String(decoding: try encoder.encode(accepted), as: UTF8.self))
    }
}
