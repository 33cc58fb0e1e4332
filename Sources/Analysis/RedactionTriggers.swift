/// Which redaction rules a text triggers (contains one of the rule's trigger literals,
/// ASCII case-insensitively), found in one pass over its bytes. Searching each literal on its
/// own cost a pass per literal (~40 per line); here a table of the literals' first two bytes
/// rejects almost every position with one lookup.
struct RedactionTriggers: Sendable {
    /// A rule set: bit `r` stands for rule `r`.
    struct RuleSet: Sendable, Equatable {
        var bits: UInt64 = 0

        var isEmpty: Bool { bits == 0 }
        func contains(_ rule: Int) -> Bool { bits & (1 << UInt64(rule)) != 0 }
        mutating func insert(_ rule: Int) { bits |= 1 << UInt64(rule) }
        mutating func remove(_ rule: Int) { bits &= ~(1 << UInt64(rule)) }
    }

    private struct Literal: Sendable {
        let bytes: [UInt8]
        let rule: Int
    }

    /// Literals by their (lowercase) first two bytes: `pairGroup[b0 << 8 | b1]` is 1 + an index
    /// into `groups`, 0 for pairs that start no literal.
    private let pairGroup: [UInt8]
    private let groups: [[Literal]]
    /// Rules without trigger literals: always candidates (their precheck decides).
    let untriggered: RuleSet

    /// `triggers[r]` are the lowercase literals of rule `r`, each at least two bytes long.
    init(_ triggers: [[[UInt8]]]) {
        precondition(triggers.count <= 64, "a RuleSet holds 64 rules")
        var pairGroup = [UInt8](repeating: 0, count: 65536)
        var groups: [[Literal]] = []
        var untriggered = RuleSet()
        for (rule, literals) in triggers.enumerated() {
            if literals.isEmpty { untriggered.insert(rule) }
            for bytes in literals {
                precondition(bytes.count >= 2 && bytes.allSatisfy { ByteClass.lower($0) == $0 }, "trigger must be lowercase, 2+ bytes")
                let pair = Int(bytes[0]) << 8 | Int(bytes[1])
                if pairGroup[pair] == 0 {
                    groups.append([])
                    precondition(groups.count < 256, "too many trigger prefixes")
                    pairGroup[pair] = UInt8(groups.count)
                }
                groups[Int(pairGroup[pair]) - 1].append(Literal(bytes: bytes, rule: rule))
            }
        }
        self.pairGroup = pairGroup
        self.groups = groups
        self.untriggered = untriggered
    }

    /// The rules with a trigger somewhere in `s`, and the untriggered ones.
    func rules(in s: UnsafeBufferPointer<UInt8>) -> RuleSet {
        var found = untriggered
        let n = s.count
        guard n >= 2 else { return found }
        pairGroup.withUnsafeBufferPointer { pairGroup in
            var next = Int(ByteClass.lower(s[0]))
            for i in 0..<(n - 1) {
                let c = next
                next = Int(ByteClass.lower(s[i + 1]))
                let group = pairGroup[c << 8 | next]
                if group == 0 { continue }
                for literal in groups[Int(group) - 1] where !found.contains(literal.rule) {
                    if Self.matches(literal.bytes, in: s, at: i) { found.insert(literal.rule) }
                }
            }
        }
        return found
    }

    /// `literal` (lowercase) at `s[i...]`, ignoring ASCII case; its first two bytes already matched.
    private static func matches(_ literal: [UInt8], in s: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let m = literal.count
        guard i + m <= s.count else { return false }
        var j = 2
        while j < m, ByteClass.lower(s[i + j]) == literal[j] { j += 1 }
        return j == m
    }
}
