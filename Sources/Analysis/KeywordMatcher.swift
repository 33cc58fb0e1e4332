/// Finds failure keywords in a line in one pass: a byte-pair table rejects most positions,
/// then the keywords sharing the first byte are compared, then word-boundary rules decide.
struct KeywordMatcher: Sendable {
    private let keywords = FailureKeyword.all
    /// Keyword slots sorted by (lowercase) first byte: slots `first[b]..<first[b+1]` start with `b`.
    private let order: [Int]
    private let first: [Int]
    /// The sorted keywords' bytes, flat, so the hot loop touches no per-keyword arrays.
    private let flat: [UInt8]
    private let flatStart: [Int]
    private let flatLength: [Int]
    /// Lowercase byte pairs that start some keyword; most positions fail this one lookup.
    private let startsKeyword: [Bool]

    init() {
        let kws = FailureKeyword.all
        let sorted = kws.indices.sorted { kws[$0].text[0] < kws[$1].text[0] }
        var first = [Int](repeating: sorted.count, count: 257)
        for (pos, k) in sorted.enumerated().reversed() {
            first[Int(kws[k].text[0])] = pos
        }
        // Empty groups point at the next group's start.
        for b in stride(from: 255, through: 0, by: -1) where first[b] == sorted.count || first[b] > first[b + 1] {
            first[b] = first[b + 1]
        }
        var flat: [UInt8] = []
        var flatStart: [Int] = []
        var flatLength: [Int] = []
        for k in sorted {
            flatStart.append(flat.count)
            flatLength.append(kws[k].text.count)
            flat += kws[k].text
        }
        var pairs = [Bool](repeating: false, count: 65536)
        for k in kws { pairs[Int(k.text[0]) << 8 | Int(k.text[1])] = true }
        self.startsKeyword = pairs
        self.order = sorted
        self.first = first
        self.flat = flat
        self.flatStart = flatStart
        self.flatLength = flatLength
    }

    /// Strongest keyword weight in `s[from...]` and the number of keyword hits.
    func scan(_ s: UnsafeBufferPointer<UInt8>, from: Int) -> (best: Float, hits: Int) {
        let n = s.count
        var best: Float = 0
        var hits = 0
        startsKeyword.withUnsafeBufferPointer { pairs in
            first.withUnsafeBufferPointer { first in
                flat.withUnsafeBufferPointer { flat in
                    flatStart.withUnsafeBufferPointer { flatStart in
                        flatLength.withUnsafeBufferPointer { flatLength in
                            var i = from
                            var next = i < n ? Int(ByteClass.lower(s[i])) : 0
                            while i < n {
                                let c = next
                                next = i + 1 < n ? Int(ByteClass.lower(s[i + 1])) : 0
                                if !pairs[c << 8 | next] {
                                    i += 1
                                    continue
                                }
                                var slot = first[c]
                                let hi = first[c + 1]
                                while slot < hi {
                                    let len = flatLength[slot], off = flatStart[slot]
                                    if i + len <= n {
                                        var j = 1
                                        while j < len, ByteClass.lower(s[i + j]) == flat[off + j] { j += 1 }
                                        if j == len, let w = boundaryWeight(order[slot], in: s, at: i) {
                                            hits += 1
                                            if w > best { best = w }
                                        }
                                    }
                                    slot += 1
                                }
                                i += 1
                            }
                        }
                    }
                }
            }
        }
        return (best, hits)
    }

    /// Weight of keyword `index` whose text matched at `i`, if word boundaries and counts allow.
    private func boundaryWeight(_ index: Int, in s: UnsafeBufferPointer<UInt8>, at i: Int) -> Float? {
        let kw = keywords[index]
        let t = kw.text
        let n = s.count
        var className = false
        if kw.wordStart, i > 0, ByteClass.isWordByte(s[i - 1]) {
            // `AssertionError`, `IOException`: a class name ending in Error/Exception counts.
            guard kw.endsClassName, s[i] == UInt8(ascii: "E") else { return nil }
            className = true
        }
        var end = i + t.count
        // `-file-line-error`, `perl-error`, `fail-fast`: part of a hyphenated name.
        if i >= 2, s[i - 1] == UInt8(ascii: "-"), ByteClass.isWordByte(s[i - 2]) { return nil }
        if end + 1 < n, s[end] == UInt8(ascii: "-"), ByteClass.isLetter(s[end + 1]) { return nil }
        if let suffixes = kw.suffixes {
            var runEnd = end
            while runEnd < n, ByteClass.isWordByte(s[runEnd]) { runEnd += 1 }
            let run = runEnd - end
            let ok = suffixes.contains { sfx in
                sfx.count == run && (0..<run).allSatisfy { ByteClass.lower(s[end + $0]) == sfx[$0] }
            }
            guard ok else { return nil }
            end = runEnd
        }
        if kw.countable, countsZero(s, wordStart: i, wordEnd: end) { return nil }
        let next = end < n ? s[end] : 0
        // `IllegalInstantException.html`, `MyError.java`: a file or member name, not a thrown error.
        if className, next == UInt8(ascii: "."), end + 1 < n, ByteClass.isLetter(s[end + 1]) { return nil }
        // `timeout=10`, `failOnError=true`: an option name, not an event.
        if next == UInt8(ascii: "="), !kw.countable { return nil }
        // `java.lang.IllegalStateException: …`, `error: …`: the message follows.
        if next == UInt8(ascii: ":"), kw.endsClassName { return className ? kw.weight + 2 : kw.weight + 1 }
        return kw.weight
    }

    /// "0 errors", "Errors: 0", "failures=0": a count of zero is a success report.
    private func countsZero(_ s: UnsafeBufferPointer<UInt8>, wordStart: Int, wordEnd: Int) -> Bool {
        if wordStart >= 2, s[wordStart - 1] == 0x20, s[wordStart - 2] == UInt8(ascii: "0"),
           wordStart < 3 || !ByteClass.isDigit(s[wordStart - 3]) {
            return true
        }
        // "Number of failures in tests: 0": the line ends in a zero count.
        var e = s.count
        while e > 0, s[e - 1] == 0x20 { e -= 1 }
        if e >= 3, e - wordEnd < 40, s[e - 1] == UInt8(ascii: "0"),
           s[e - 2] == 0x20 || s[e - 2] == UInt8(ascii: ":") || s[e - 2] == UInt8(ascii: "=") {
            return true
        }
        var j = wordEnd
        while j < s.count, s[j] == 0x20 || s[j] == UInt8(ascii: ":") || s[j] == UInt8(ascii: "=") { j += 1 }
        guard j > wordEnd, j < s.count, s[j] == UInt8(ascii: "0") else { return false }
        return j + 1 == s.count || !ByteClass.isDigit(s[j + 1])
    }
}
