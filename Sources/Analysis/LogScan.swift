/// Per-line facts gathered in one pass over the whole log; everything later works on these
/// arrays instead of the text, which keeps a 50 MB log fast.
struct LogScan: Sendable {
    struct Shape: OptionSet, Sendable {
        let rawValue: UInt8
        static let blank = Shape(rawValue: 1)
        /// Looks like the continuation of the line above (stack frame, indented detail).
        static let continuation = Shape(rawValue: 2)
        static let boilerplate = Shape(rawValue: 4)
        /// Inside a PEM private key block (BEGIN and END lines included).
        static let privateKey = Shape(rawValue: 8)
        /// Runner chrome that says nothing (`##[endgroup]`).
        static let chrome = Shape(rawValue: 16)
        /// Opens a test report block that runs to the next such header (`RunnerReport`).
        static let reportHeader = Shape(rawValue: 32)
    }

    /// Failure signal of the line's own words (`FailureSignal`); the fingerprint's lines are
    /// chosen by it, so it stays as it is when the excerpt learns new shapes.
    var score: [Float]
    /// What the excerpt goes by: `score`, also read through caret-notation escapes, and the
    /// report shapes of test runners (`RunnerReport`).
    var excerptScore: [Float]
    /// For a line with an excerpt score: how many lines of its template (`LineTemplate`) with
    /// an excerpt score came before it (0 = the first of its kind).
    var templateOrdinal: [Int32]
    /// For a line with an excerpt score: its template's slot + 1 (0 = none), so that the
    /// selection can tell lines of one template apart from the rest (`ExcerptSelection`).
    var template: [Int32]
    /// The failing step's end and the runner's epilogue.
    var step: FailingStep
    var shape: [Shape]
    /// Leading blank columns, capped at 255.
    var indent: [UInt8]
    /// How often a line's digit-free form occurs among the scored lines (1 = unique).
    var repeats: [Int32]

    init(_ lines: LogLines) {
        let n = lines.count
        score = [Float](repeating: 0, count: n)
        shape = [Shape](repeating: [], count: n)
        indent = [UInt8](repeating: 0, count: n)
        repeats = [Int32](repeating: 1, count: n)
        excerptScore = [Float](repeating: 0, count: n)
        templateOrdinal = [Int32](repeating: 0, count: n)
        template = [Int32](repeating: 0, count: n)
        step = FailingStep(markers: [], lineCount: n)
        // Template counts in a direct-mapped table (a few templates in a million may share a
        // slot and count as one): a dictionary update per failure line costs a 50 MB log of
        // failure lines a third of its time.
        var slots = 1024
        while slots < n * 4, slots < 1 << 20 { slots <<= 1 }
        var templates = [Int32](repeating: 0, count: slots)
        let slotMask = UInt64(slots - 1)
        var markers: [(line: Int, marker: FailingStep.Marker)] = []
        var uncaret: [UInt8] = []
        let signal = FailureSignal()
        var scratch: [UInt8] = []
        scratch.reserveCapacity(4096)
        var hashes = [UInt64](repeating: 0, count: n)
        var counts: [UInt64: Int32] = [:]
        // Lines left in a PEM block; a block without END (a cut log) masks at most this many.
        let longestKeyBlock = 120
        var keyLinesLeft = 0
        var orphanEnds: [Int] = []
        /// A list of failed tests has begun (`RunnerReport.opensFailureSection`): numbered
        /// headers after it open report blocks.
        var inFailureSection = false
        lines.bytes.withUnsafeBufferPointer { all in
            for i in 0..<n {
                let raw = UnsafeBufferPointer(rebasing: all[lines.starts[i]..<lines.ends[i]])
                LineCleaner.withCleaned(raw, scratch: &scratch) { s in
                    var lead = 0
                    while lead < s.count, s[lead] == 0x20 || s[lead] == 0x09 { lead += 1 }
                    indent[i] = UInt8(min(lead, 255))
                    if lead == s.count {
                        shape[i].insert(.blank)
                        return
                    }
                    let sig = signal.signal(s)
                    if sig.opensPrivateKey { keyLinesLeft = longestKeyBlock }
                    if keyLinesLeft > 0 {
                        shape[i].insert(.privateKey)
                        keyLinesLeft -= 1
                    }
                    if sig.closesPrivateKey {
                        // An END with no block open: the log was cut inside the key.
                        if keyLinesLeft == 0, !sig.opensPrivateKey, !shape[i].contains(.privateKey) { orphanEnds.append(i) }
                        keyLinesLeft = 0
                    }
                    if sig.boilerplate { shape[i].insert(.boilerplate) }
                    if Self.looksLikeContinuation(UnsafeBufferPointer(rebasing: s[lead...]), indented: lead > 0) {
                        shape[i].insert(.continuation)
                    }
                    score[i] = sig.score
                    let body = UnsafeBufferPointer(rebasing: s[lead...])
                    let marker = FailingStep.marker(body)
                    if marker != .none { markers.append((i, marker)) }
                    if ByteClass.hasPrefix(body, "##[endgroup]") { shape[i].insert(.chrome) }
                    if let sbt = RunnerReport.sbtIndent(body) { indent[i] = UInt8(min(lead + sbt, 255)) }
                    if RunnerReport.opensFailureSection(body) { inFailureSection = true }
                    var excerpt = max(sig.score, RunnerReport.score(body))
                    if RunnerReport.isBlockHeader(body) {
                        shape[i].insert(.reportHeader)
                    } else if inFailureSection, RunnerReport.isNumberedHeader(RunnerReport.withoutSbtTag(body)) {
                        shape[i].insert(.reportHeader)
                        excerpt = max(excerpt, 5)
                    }
                    if sig.score > 0, RunnerReport.countsFailures(body) { excerpt = max(excerpt, RunnerReport.summaryScore) }
                    if LineCleaner.hasCaretEscape(s) {
                        uncaret.removeAll(keepingCapacity: true)
                        LineCleaner.stripCaretEscapes(s, into: &uncaret)
                        excerpt = uncaret.withUnsafeBufferPointer { u in
                            var t = 0
                            while t < u.count, u[t] == 0x20 || u[t] == 0x09 { t += 1 }
                            return max(excerpt, signal.signal(u).score, RunnerReport.score(UnsafeBufferPointer(rebasing: u[t...])))
                        }
                    }
                    excerptScore[i] = excerpt
                    if excerpt > 0 {
                        // Report headers of one kind form one cascade: the first failed tests
                        // are told in full, the rest by their headers.
                        let t = shape[i].contains(.reportHeader)
                            ? (ByteClass.isDigit(body[0]) ? UInt64(UInt8(ascii: ")")) : UInt64(body[0])) : LineTemplate.hash(body)
                        let slot = Int(truncatingIfNeeded: (t ^ (t >> 29)) & slotMask)
                        let seen = templates[slot]
                        templateOrdinal[i] = seen
                        template[i] = Int32(slot + 1)
                        templates[slot] = seen &+ 1
                    }
                    if sig.score > 0 {
                        let h = Self.digitFreeHash(s)
                        hashes[i] = h
                        counts[h, default: 0] += 1
                    }
                }
            }
        }
        for i in 0..<n where score[i] > 0 { repeats[i] = counts[hashes[i]] ?? 1 }
        step = FailingStep(markers: markers, lineCount: n)
        for end in orphanEnds { maskKeyBody(above: end, lines, longestKeyBlock, scratch: &scratch) }
    }

    /// Masks an END line whose BEGIN is not in the log and the base64 lines right above it
    /// (at most `limit`), up to the first line that is blank or not base64.
    private mutating func maskKeyBody(above end: Int, _ lines: LogLines, _ limit: Int, scratch: inout [UInt8]) {
        shape[end].insert(.privateKey)
        var i = end - 1
        while i >= 0, end - i <= limit, !shape[i].contains(.privateKey) {
            let isBody = lines.bytes.withUnsafeBufferPointer { all in
                LineCleaner.withCleaned(UnsafeBufferPointer(rebasing: all[lines.starts[i]..<lines.ends[i]]), scratch: &scratch) { s in
                    var lead = 0
                    while lead < s.count, s[lead] == 0x20 || s[lead] == 0x09 { lead += 1 }
                    return lead < s.count && s[lead...].allSatisfy(Self.isBase64Byte)
                }
            }
            guard isBody else { break }
            shape[i].insert(.privateKey)
            i -= 1
        }
    }

    /// `[A-Za-z0-9+/=]`
    private static func isBase64Byte(_ b: UInt8) -> Bool {
        ByteClass.isLetter(b) || ByteClass.isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
    }

    private static func looksLikeContinuation(_ t: UnsafeBufferPointer<UInt8>, indented: Bool) -> Bool {
        if indented { return true }
        // `------`, `=====`: rules that frame a block of detail belong to it.
        if t.count >= 3, t.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "*") }) {
            return true
        }
        return ByteClass.hasPrefix(t, "at ") || ByteClass.hasPrefix(t, "Caused by") || ByteClass.hasPrefix(t, "...")
            || ByteClass.hasPrefix(t, "|") || ByteClass.hasPrefix(t, "^") || ByteClass.hasPrefix(t, "[ERROR]  ")
            || ByteClass.hasPrefix(t, "E ") || ByteClass.hasPrefix(t, "> ")
    }

    /// FNV-1a over the line without digits, so lines differing only in counters or times match.
    static func digitFreeHash(_ s: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s where !ByteClass.isDigit(b) {
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return h
    }
}
