import Foundation

/// Whether a run of token characters (`sk_live_…`, `dckr_pat_…`, `SG.xxx.yyy`, a bare API key)
/// reads as a random credential rather than a name. Secret scanners list hundreds of vendor
/// prefixes; what they share is a long random body, so this judges the body instead of the
/// prefix and catches kinds nobody listed.
///
/// The run is split at `_`, `.` and `-`; a segment of at least 16 characters is random if its
/// character counts look drawn from an alphabet, not written: mixed case with enough capitals
/// (identifiers such as `BeanCreationException` or `TestTokenRefresh1` have one per word),
/// and digits, or at least 32 letters and digits of one case (`oy2…`). Hex is what git hashes,
/// image digests and container ids are made of, so a hex segment counts only after a
/// prefix (`shpat_<hex>`, `PMAK-<hex>`), never on its own, and after `-`/`.` not at the lengths
/// of a commit id or a digest.
enum RedactionRandomToken {
    static let minimumSegment = 16

    static let accepts: @Sendable (Substring) -> Bool = { token in
        guard !token.hasPrefix("[REDACTED") else { return false }
        // Base64 padding is matched along but says nothing.
        var utf8 = Array(token.utf8)
        while utf8.last == UInt8(ascii: "=") { utf8.removeLast() }
        // A commit id or a digest in a name (`main-<commit>`) makes it no token as a whole.
        guard !holdsCommitOrDigest(utf8) else { return segmentIsRandom(utf8) }
        // The body after a prefix (`sq0csp-`, `dckr_pat_`) may hold separators of its own.
        if let first = utf8.firstIndex(where: isSeparator), utf8.count - first - 1 >= 20,
           isRandom(utf8[(first + 1)...], after: utf8[first], separatorsInside: true) { return true }
        // The whole run, separators and all (`GR1348941idQ2iZ_gppCorL4txx0u`).
        if utf8.count >= 24, isRandom(utf8[...], after: nil, separatorsInside: true) { return true }
        return segmentIsRandom(utf8)
    }

    /// Some segment of 40 or 64 hex digits (a git commit id, a sha256 digest).
    private static func holdsCommitOrDigest(_ utf8: [UInt8]) -> Bool {
        var start = 0
        for i in 0...utf8.count where i == utf8.count || isSeparator(utf8[i]) {
            let n = i - start
            if n == 40 || n == 64, utf8[start..<i].allSatisfy({ ByteClass.isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }) {
                return true
            }
            start = i + 1
        }
        return false
    }

    /// Some segment between separators is random on its own.
    private static func segmentIsRandom(_ utf8: [UInt8]) -> Bool {
        var start = 0
        var afterSeparator: UInt8?
        var i = 0
        while i <= utf8.count {
            let end = i == utf8.count || isSeparator(utf8[i])
            if end {
                if i - start >= minimumSegment, isRandom(utf8[start..<i], after: afterSeparator) { return true }
                if i < utf8.count { afterSeparator = utf8[i] }
                start = i + 1
            }
            i += 1
        }
        return false
    }

    /// The byte-level precheck: some run of token bytes (not preceded by one, nor by `+/~`)
    /// that `accepts` takes. Exact, so the rule's regex runs only on a text it will change.
    static let mayMatch: RedactionPrecheck.Check = { s in
        var i = 0
        let n = s.count
        while i < n {
            guard isTokenByte(s[i]) else { i += 1; continue }
            let start = i
            while i < n, isTokenByte(s[i]) { i += 1 }
            if i - start >= minimumSegment, start == 0 || !isExcludedBefore(s[start - 1]) {
                if accepts(Substring(decoding: UnsafeBufferPointer(rebasing: s[start..<i]), as: UTF8.self)) { return true }
            }
        }
        return false
    }

    /// The rule's pattern: a run of `[A-Za-z0-9_.-]`, not inside a path or base64 text.
    static let pattern = #"(?<![A-Za-z0-9_.+/~-])[A-Za-z0-9_.-]{16,}+={0,2}"#

    private static func isTokenByte(_ b: UInt8) -> Bool {
        ByteClass.isLetter(b) || ByteClass.isDigit(b) || isSeparator(b)
    }

    private static func isExcludedBefore(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "~")
    }

    private static func isSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    /// `after`: the separator before the segment, nil for the run's first segment.
    /// `separatorsInside`: `_`/`-`/`.` may occur in `s` (a whole body); they count for the
    /// entropy but not as letters or digits.
    static func isRandom(_ s: ArraySlice<UInt8>, after separator: UInt8?, separatorsInside: Bool = false) -> Bool {
        var lower = 0, upper = 0, digits = 0, hexLetters = 0, separators = 0
        var counts = [Int](repeating: 0, count: 128)
        for b in s {
            guard b < 128 else { return false }
            counts[Int(b)] += 1
            if b >= 0x61 && b <= 0x7A { lower += 1; if b <= 0x66 { hexLetters += 1 } }
            else if b >= 0x41 && b <= 0x5A { upper += 1; if b <= 0x46 { hexLetters += 1 } }
            else if b >= 0x30 && b <= 0x39 { digits += 1 }
            else { separators += 1 }
        }
        if separators > 0, !separatorsInside { return false }
        let n = s.count - separators
        let letters = lower + upper
        let isHex = hexLetters == letters && (lower == 0 || upper == 0)
        if isHex {
            // After `_` any hex (`shpat_…`, `dop_v1_…`); after `-` or `.` not the lengths of
            // a commit id or a sha256 digest (`main-<commit>`, `app.<digest>`).
            // Never at the lengths of an MD5, a commit id or a sha256 digest
            // (`github_network_<md5>`, `app_<commit>.tar`): ids, not keys.
            let hexAllowed = separator != nil && n != 32 && n != 40 && n != 64
            return hexAllowed && separators == 0 && n >= 24 && digits >= 4 && letters >= 4 && entropy(counts, n) >= 3.2
        }
        // 16 random characters of 62 average 3.7 bits each; longer ones more.
        guard entropy(counts, s.count) >= (n < 20 ? 3.4 : 3.6) else { return false }
        // Across separators only random mixed case counts: names of files, packages and
        // branches (`jackson-annotations-2.13.3.jar`) are one case with digits.
        if separatorsInside {
            guard lower > 0, upper > 0, digits >= 2 else { return false }
            let capitals = Double(upper) / Double(letters)
            return capitals >= 0.25 && capitals <= 0.8
        }
        if lower > 0, upper > 0 {
            // Random mixed case: about half the letters are capitals, where an identifier has
            // one per word; fewer capitals pass with plenty of digits, which names lack.
            let capitals = Double(upper) / Double(letters)
            guard capitals <= 0.8 else { return false }
            guard digits >= 1 else { return false }
            if capitals >= 0.25 { return true }
            // Fewer capitals by chance: then digits show it (an identifier has one, `Java6…`).
            if capitals >= 0.2, n >= 24 { return digits >= 2 }
            return false
        }
        // One case and digits (`oy2…`, `NRAK-…`): both plentiful.
        // At least 32 long: build and worker ids (`0c8981krwwq7y63uen488q3v2`) are shorter.
        let digitShare = 0.1
        return n >= 32 && Double(digits) >= digitShare * Double(n) && Double(letters) >= 0.3 * Double(n)
    }

    /// Shannon entropy in bits per character.
    private static func entropy(_ counts: [Int], _ n: Int) -> Double {
        let total = Double(n)
        return counts.reduce(0.0) { acc, k in
            guard k > 0 else { return acc }
            let p = Double(k) / total
            return acc - p * log2(p)
        }
    }

    // MARK: - Quoted strings

    /// A quoted string of base64 or URL-safe characters whose Shannon entropy is at least 4.5
    /// bits per character: detect-secrets' Base64HighEntropyString test, which no name reaches.
    static let quotedPattern = #"(?<=["'])[A-Za-z0-9+/=_-]{20,}+(?=["'])"#

    static let quotedAccepts: @Sendable (Substring) -> Bool = { v in
        // A path (`HOME='/home/runner/work/_temp/<uuid>'`) is no key, however varied.
        guard !v.hasPrefix("[REDACTED"), !v.hasPrefix("/") else { return false }
        var counts = [Int](repeating: 0, count: 128)
        for b in v.utf8 where b < 128 { counts[Int(b)] += 1 }
        return entropy(counts, v.utf8.count) >= 4.5
    }

    /// Exact precheck of `quotedPattern` with `quotedAccepts`.
    static let quotedMayMatch: RedactionPrecheck.Check = { s in
        var i = 0
        let n = s.count
        while i < n {
            guard s[i] == UInt8(ascii: "\"") || s[i] == UInt8(ascii: "'") else { i += 1; continue }
            let start = i + 1
            var j = start
            while j < n, isQuotedByte(s[j]) { j += 1 }
            if j - start >= 20, j < n, s[j] == UInt8(ascii: "\"") || s[j] == UInt8(ascii: "'"),
               quotedAccepts(Substring(decoding: UnsafeBufferPointer(rebasing: s[start..<j]), as: UTF8.self)) { return true }
            i = j > start ? j : i + 1
        }
        return false
    }

    private static func isQuotedByte(_ b: UInt8) -> Bool {
        ByteClass.isLetter(b) || ByteClass.isDigit(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
            || b == UInt8(ascii: "=") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }
}
