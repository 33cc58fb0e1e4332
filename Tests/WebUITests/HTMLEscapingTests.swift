import Testing
@testable import WebUI

/// Every stored value is text: markup in logs, model answers or pod names never becomes markup.
@Suite struct HTMLEscapingTests {
    @Test func escapesEveryCharacterThatCouldOpenATagOrLeaveAnAttribute() {
        #expect(HTMLWriter.escape(#"<script>alert(1)</script></textarea>"#) == "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;")
        #expect(HTMLWriter.escape(#"a" onmouseover='x' & b"#) == "a&quot; onmouseover=&#39;x&#39; &amp; b")
        #expect(HTMLWriter.escape("plain ✓ text") == "plain ✓ text")
        #expect(HTMLWriter.escape("") == "")
    }

    @Test func redactionMarkersAndExcerptLineNumbersAreMarkedUpAroundEscapedText() {
        var html = HTMLWriter()
        html.annotated("L12: token=[REDACTED:github-token] <b>\nL40 x3: FAIL & exit\nLx: not a line number\nL7:no space\nL9:\nplain\n")
        let text = String(decoding: html.bytes, as: UTF8.self)
        #expect(text == """
            <span class="ln">L12</span>token=<mark class="redacted" title="a secret was removed here before storage">\
            [REDACTED:github-token]</mark> &lt;b&gt;
            <span class="ln">L40 x3</span>FAIL &amp; exit
            Lx: not a line number
            L7:no space
            <span class="ln">L9</span>
            plain

            """)
    }

    @Test func aMarkerWithoutItsClosingBracketStaysText() {
        var html = HTMLWriter()
        html.annotated("[REDACTED:<img src=x>")
        #expect(String(decoding: html.bytes, as: UTF8.self) == "[REDACTED:&lt;img src=x&gt;")
    }

    @Test func onlyHTTPLinksBecomeLinks() {
        var html = HTMLWriter()
        html.externalLink("javascript:alert(1)")
        html.externalLink("https://gitea.example/team/app/issues/1")
        let text = String(decoding: html.bytes, as: UTF8.self)
        #expect(text == #"javascript:alert(1)<a href="https://gitea.example/team/app/issues/1" rel="noopener noreferrer">https://gitea.example/team/app/issues/1</a>"#)
    }
}
