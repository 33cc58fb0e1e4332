@testable import HTTPClient
import Testing

/// Header lines are parsed on libcurl's bytes, line break included.
struct HTTPHeaderLineTests {
    private func parse(_ text: String) -> HTTPHeaderLine {
        Array(text.utf8).withUnsafeBytes { HTTPHeaderLine($0) }
    }

    @Test func statusLines() {
        #expect(parse("HTTP/1.1 200 OK\r\n") == .status(200))
        #expect(parse("HTTP/2 404 \r\n") == .status(404))
        #expect(parse("HTTP/1.1   301   Moved Permanently\r\n") == .status(301))
        #expect(parse("HTTP/1.0 100\n") == .status(100))
        #expect(parse("HTTP/1.1 abc\r\n") == .status(0))
        #expect(parse("HTTP/1.1 2x0 OK\r\n") == .status(0))
        #expect(parse("HTTP/1.1\r\n") == .status(0))
        #expect(parse("HTTP/1.1 99999999999999999999 OK\r\n") == .status(0))
    }

    @Test func endOfBlock() {
        #expect(parse("\r\n") == .end)
        #expect(parse("\n") == .end)
        #expect(parse(" \t\r\n") == .end)
    }

    @Test func fields() {
        #expect(parse("Content-Type: application/json\r\n") == .field(name: "Content-Type", value: "application/json"))
        #expect(parse("X-Spaced: \t  value with  inner spaces \t\r\n") == .field(name: "X-Spaced", value: "value with  inner spaces"))
        #expect(parse("X-Empty:\r\n") == .field(name: "X-Empty", value: ""))
        #expect(parse("X-Empty:   \r\n") == .field(name: "X-Empty", value: ""))
        #expect(parse("Location: http://127.0.0.1:8080/a\r\n") == .field(name: "Location", value: "http://127.0.0.1:8080/a"))
        #expect(parse("X-Text: grüße 🚀\r\n") == .field(name: "X-Text", value: "grüße 🚀"))
        #expect(parse("X-No-Line-Break:v") == .field(name: "X-No-Line-Break", value: "v"))
    }

    @Test func linesWithoutColonAreIgnored() {
        #expect(parse("garbage\r\n") == .other)
    }
}
