import Foundation

/// Assigns every line a value: how much it is worth showing. Failure lines are worth their
/// score, weighted towards the end of the log and towards rare lines; their context inherits
/// part of that value; the tail of the log gets a small value so that spare budget (or a
/// log without any failure signal) falls back to the last lines.
struct LineValuation: Sendable {
    /// Lines scoring at least this are anchors that pull in context.
    static let anchorScore: Float = 4
    /// Non-blank lines after an anchor that may be pulled in as its detail (a stack trace).
    static let maxDetailLines = 120
    /// Share of an anchor's value given to the non-blank lines just before it, nearest first.
    static let leadLines: [Float] = [0.25, 0.16, 0.12, 0.09, 0.07]

    static func values(for scan: LogScan) -> [Float] {
        let n = scan.score.count
        var value = [Float](repeating: 0, count: n)
        guard n > 0 else { return value }
        let lastIndex = Float(max(n - 1, 1))

        for i in 0..<n where scan.score[i] > 0 {
            value[i] = weighted(scan, i, lastIndex: lastIndex)
        }
        emphasiseLastFailure(scan, &value)

        // Context: anchors pass value on to the lines around them.
        for a in 0..<n where scan.score[a] >= anchorScore && !scan.shape[a].contains(.boilerplate) {
            let av = value[a]
            var j = a + 1
            var d = 1
            var plainRun = 0
            while j < n, d <= maxDetailLines {
                if scan.shape[j].contains(.blank) { j += 1; continue }
                // The next anchor carries its own context; stopping keeps dense logs linear.
                if scan.score[j] >= anchorScore && !scan.shape[j].contains(.continuation) { break }
                let detail = scan.shape[j].contains(.continuation) && scan.indent[j] >= scan.indent[a]
                    || scan.indent[j] > scan.indent[a]
                // One plain line between detail lines (Go traces alternate function and
                // file lines) does not end the block; two do.
                plainRun = detail ? 0 : plainRun + 1
                if plainRun > 1 && d > 2 { break }
                // The first lines of a trace say the most; deep frames fade but stay above the tail.
                let decay = max(0.45, 1 - Float(d) / 60)
                let v = av * (detail || plainRun == 1 && d > 2 ? 0.6 : 0.25) * decay
                if v > value[j] { value[j] = v }
                j += 1
                d += 1
            }
            // Lines before an error set it up (the command, the code frame, the test name).
            var k = a - 1
            var back = 0
            while k >= 0, back < leadLines.count {
                if !scan.shape[k].contains(.blank) {
                    let v = av * leadLines[back]
                    if v > value[k] { value[k] = v }
                    back += 1
                }
                k -= 1
            }
        }

        // Tail: the last lines usually name the exit; a little value, decaying towards the top.
        var seen = 0
        var t = n - 1
        while t >= 0, seen < 400 {
            if !scan.shape[t].contains(.blank) {
                let v: Float = seen < 3 ? 1.0 : 0.2 * (1 - Float(seen) / 400)
                if v > value[t] { value[t] = v }
                seen += 1
            }
            t -= 1
        }
        for i in 0..<n where scan.shape[i].contains(.blank) { value[i] = 0 }
        return value
    }

    /// Score scaled by position (later is likelier the cause) and rarity (a line repeated
    /// hundreds of times is noise, not the one failure).
    private static func weighted(_ scan: LogScan, _ i: Int, lastIndex: Float) -> Float {
        let position = 0.6 + 0.4 * Float(i) / lastIndex
        let r = Float(scan.repeats[i])
        let rarity: Float = r <= 3 ? 1 : 1 / (1 + 0.25 * Float(log2(Double(r / 3))))
        return scan.score[i] * position * rarity
    }

    /// The last run of failure lines is the failing step; its first error is usually the
    /// cause and what follows a cascade, so the run is raised and its head most.
    private static func emphasiseLastFailure(_ scan: LogScan, _ value: inout [Float]) {
        let n = scan.score.count
        var last = n - 1
        while last >= 0, scan.score[last] < anchorScore || scan.shape[last].contains(.boilerplate) { last -= 1 }
        guard last >= 0 else { return }
        var head = last
        var gap = 0
        var k = last - 1
        while k >= 0, gap <= 40 {
            if scan.score[k] >= anchorScore && !scan.shape[k].contains(.boilerplate) {
                head = k
                gap = 0
            } else if scan.score[k] == 0 && !scan.shape[k].contains(.blank) && !scan.shape[k].contains(.continuation) {
                // Only plain output separates runs: weaker failure lines and traces belong to them.
                gap += 1
            }
            k -= 1
        }
        for i in head...last where scan.score[i] >= anchorScore { value[i] *= 1.5 }
        value[head] *= 1.3
    }
}
