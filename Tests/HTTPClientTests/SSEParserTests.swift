import Foundation
import HTTPClient
import Testing

@Suite struct SSEParserTests {
    private func parse(_ chunks: [String], limit: Int = .max) throws -> [SSEEvent] {
        var parser = SSEParser(maxEventBytes: limit)
        return try chunks.flatMap { try parser.feed(Array($0.utf8)) }
    }

    @Test func joinsDataLinesAndNamesEvents() throws {
        let events = try parse(["event: endpoint\ndata: /messages?id=1\n\ndata: a\ndata: b\n\n"])
        #expect(events == [
            SSEEvent(type: "endpoint", data: "/messages?id=1"),
            SSEEvent(type: "message", data: "a\nb"),
        ])
    }

    @Test func acceptsCRLFAndCRAndSplitsAcrossChunks() throws {
        let events = try parse(["data: one\r", "\ndata: two\r\r", "data: three\r", "\n", "\r\n"])
        #expect(events.map(\.data) == ["one\ntwo", "three"])
    }

    @Test func ignoresCommentsAndUnknownFieldsAndEmptyEvents() throws {
        let events = try parse([": keep-alive\n\nfoo: bar\nevent: x\n\ndata\n\n"])
        // "event: x" alone has no data: not dispatched; a bare "data" line is an empty data line.
        #expect(events == [SSEEvent(type: "message", data: "")])
    }

    @Test func keepsLastEventIDAndRetry() throws {
        let events = try parse(["id: 5\nretry: 300\ndata: a\n\nretry: x1\ndata: b\n\nid: bad\u{0}\ndata: c\n\n"])
        #expect(events.map(\.lastEventID) == ["5", "5", "5"])
        #expect(events.map(\.retry) == [300, nil, nil])
    }

    @Test func stripsOneLeadingSpaceOnlyAndByteOrderMark() throws {
        let events = try parse(["\u{FEFF}data:  two spaces\n\ndata:none\n\n"])
        #expect(events.map(\.data) == [" two spaces", "none"])
    }

    @Test func discardsUnterminatedEventAtEnd() throws {
        #expect(try parse(["data: complete\n\ndata: partial\n"]).map(\.data) == ["complete"])
    }

    @Test func rejectsEventOverLimit() {
        #expect(throws: SSEParserError.eventTooLarge(limit: 10)) {
            try parse(["data: 0123456789abcdef\n\n"], limit: 10)
        }
    }
}
