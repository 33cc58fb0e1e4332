import Foundation

/// Assigns every line a value: how much it is worth showing. Failure lines are worth their
/// score, weighted towards the end of the failing step, towards rare lines and towards the
/// first of a cascade; their context inherits part of that value; the end of the failing step
/// gets a small value so that spare budget (or a log without any failure signal) falls back to
/// its last lines. The runner's epilogue after the failing step is worth little.
struct LineValuation: Sendable {
    /// Lines scoring at least this are anchors that pull in context.
    static let anchorScore: Float = 4
    /// Non-blank lines after an anchor that may be pulled in as its detail (a stack trace).
    static let maxDetailLines = 120
    /// Share of an anchor's value given to the non-blank lines just before it, nearest first.
    static let leadLines: [Float] = [0.25, 0.16, 0.12, 0.09, 0.07]
    /// Share of a report header's value given to the lines of its block.
    static let blockShare: Float = 0.8
    /// Lines of one template valued in full before the cascade factor sets in.
    static let cascadeHead: Int32 = 3
    /// Value kept by failure lines in the runner's epilogue (cache upload, cleanup), at most
    /// `epilogueCap`: below the failing step's own last lines, above nothing else.
    static let epilogueFactor: Float = 0.15
    static let epilogueCap: Float = 0.05

    /// Where a line's value came from (for `agentctl excerpt --explain`).
    enum Origin: Sendable, Equatable {
        /// Its own failure signal.
        case signal
        /// Detail after anchor line `Int` (stack trace, report block).
        case detail(Int)
        /// Lead-in before anchor line `Int`.
        case lead(Int)
        /// The last lines of the failing step.
        case stepEnd
        case none
    }

    var value: [Float]
    /// `origin` coded: -1 signal, -2 step end, -3 none, `a` detail of anchor `a`,
    /// `-(a + 4)` lead of anchor `a`. One Int32 per line keeps a 50 MB log's arrays small.
    private var originCode: [Int32]

    func origin(_ i: Int) -> Origin {
        let c = originCode[i]
        switch c {
        case -1: return .signal
        case -2: return .stepEnd
        case -3: return .none
        case 0...: return .detail(Int(c))
        default: return .lead(Int(-c) - 4)
        }
    }

    static func values(for scan: LogScan) -> [Float] { LineValuation(scan).value }

    init(_ scan: LogScan) {
        let n = scan.excerptScore.count
        value = [Float](repeating: 0, count: n)
        originCode = [Int32](repeating: -3, count: n)
        guard n > 0 else { return }
        let score = scan.excerptScore
        let stepEnd = scan.step.end
        let epilogue = scan.step.epilogueStart
        let lastIndex = Float(max(stepEnd, 1))

        for i in 0..<n where score[i] > 0 {
            let w = Self.weighted(scan, i, lastIndex: lastIndex)
            value[i] = i >= epilogue ? min(Self.epilogueCap, w * Self.epilogueFactor) : w
            originCode[i] = -1
        }
        Self.emphasiseLastFailure(scan, before: epilogue, &value)

        // Context: anchors pass value on to the lines around them.
        for a in 0..<n where score[a] >= Self.anchorScore && !scan.shape[a].contains(.boilerplate) {
            let av = value[a]
            // A report header's block runs to the next header, whatever its lines look like.
            let block = scan.shape[a].contains(.reportHeader)
            var j = a + 1
            var d = 1
            var plainRun = 0
            while j < n, d <= Self.maxDetailLines {
                if scan.shape[j].contains(.blank) { j += 1; continue }
                if block && scan.shape[j].contains(.reportHeader) { break }
                // The next anchor carries its own context; stopping keeps dense logs linear.
                if !block && score[j] >= Self.anchorScore && !scan.shape[j].contains(.continuation) { break }
                let detail = block || scan.shape[j].contains(.continuation) && scan.indent[j] >= scan.indent[a]
                    || scan.indent[j] > scan.indent[a]
                // One plain line between detail lines (Go traces alternate function and
                // file lines) does not end the block; two do.
                plainRun = detail ? 0 : plainRun + 1
                if plainRun > 1 && d > 2 { break }
                // The first lines of a trace say the most; deep frames fade but stay above the tail.
                let decay = max(0.45, 1 - Float(d) / 60)
                let v = av * (block ? Self.blockShare : detail || plainRun == 1 && d > 2 ? 0.6 : 0.25) * decay
                if v > value[j] {
                    value[j] = v
                    originCode[j] = Int32(a)
                }
                j += 1
                d += 1
            }
            // Lines before an error set it up (the command, the code frame, the test name).
            var k = a - 1
            var back = 0
            while k >= 0, back < Self.leadLines.count {
                if !scan.shape[k].contains(.blank) {
                    let v = av * Self.leadLines[back]
                    if v > value[k] {
                        value[k] = v
                        originCode[k] = -Int32(a) - 4
                    }
                    back += 1
                }
                k -= 1
            }
        }

        // End of the failing step: its last lines usually name the exit; a little value,
        // decaying towards the top.
        var seen = 0
        var t = min(stepEnd, n - 1)
        while t >= 0, seen < 400 {
            if !scan.shape[t].contains(.blank) {
                let v: Float = seen < 3 ? 1.0 : 0.2 * (1 - Float(seen) / 400)
                if v > value[t] {
                    value[t] = v
                    originCode[t] = -2
                }
                seen += 1
            }
            t -= 1
        }
        // Blank lines and runner chrome (`##[endgroup]`) say nothing.
        for i in 0..<n where scan.shape[i].contains(.blank) || scan.shape[i].contains(.chrome) {
            value[i] = 0
            originCode[i] = -3
        }
    }

    /// Score scaled by position (later is likelier the cause), rarity (a line repeated
    /// hundreds of times is noise, not the one failure) and place in its cascade (the tenth
    /// `error: Module has no attribute` says less than the first).
    private static func weighted(_ scan: LogScan, _ i: Int, lastIndex: Float) -> Float {
        let position = 0.6 + 0.4 * min(1, Float(i) / lastIndex)
        let r = Float(scan.repeats[i])
        let rarity: Float = r <= 3 ? 1 : 1 / (1 + 0.25 * Float(log2(Double(r / 3))))
        let o = scan.templateOrdinal[i]
        let cascade: Float = o < cascadeHead ? 1 : 1 / (1 + 0.5 * Float(log2(Double(o) / Double(cascadeHead - 1))))
        return scan.excerptScore[i] * position * rarity * cascade
    }

    /// The last run of failure lines before the epilogue is the failing step; its first error
    /// is usually the cause and what follows a cascade, so the run is raised and its head most.
    private static func emphasiseLastFailure(_ scan: LogScan, before epilogue: Int, _ value: inout [Float]) {
        let score = scan.excerptScore
        var last = min(epilogue, score.count) - 1
        while last >= 0, score[last] < anchorScore || scan.shape[last].contains(.boilerplate) { last -= 1 }
        guard last >= 0 else { return }
        var head = last
        var gap = 0
        var k = last - 1
        while k >= 0, gap <= 40 {
            if score[k] >= anchorScore && !scan.shape[k].contains(.boilerplate) {
                head = k
                gap = 0
            } else if score[k] == 0 && !scan.shape[k].contains(.blank) && !scan.shape[k].contains(.continuation) {
                // Only plain output separates runs: weaker failure lines and traces belong to them.
                gap += 1
            }
            k -= 1
        }
        for i in head...last where score[i] >= anchorScore { value[i] *= 1.5 }
        value[head] *= 1.3
    }
}
