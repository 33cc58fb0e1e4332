import Foundation

/// The namespaces whose failures may be reported (`AGENT_NAMESPACES`: comma-separated glob
/// patterns, `ci-*,team-a`). Without it a report could name any pod of the cluster, and that
/// pod's log would go to the model and into a Gitea issue. Checked at ingest (403, no job) and
/// again by the worker (a job let in by an older setting fails permanently).
public struct NamespaceAllowlist: Sendable, Equatable, CustomStringConvertible {
    /// Glob patterns: `*` any run of characters, `?` one character; everything else literal.
    public let patterns: [String]

    /// nil for an empty or blank setting (everything allowed).
    public init?(_ setting: String) {
        let patterns = setting.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !patterns.isEmpty else { return nil }
        self.patterns = patterns
    }

    public func allows(_ namespace: String) -> Bool {
        let name = Array(namespace.utf8)
        return patterns.contains { Self.matches(Array($0.utf8)[...], name[...]) }
    }

    public var description: String { patterns.joined(separator: ",") }

    /// Iterative glob match with one backtrack point per `*` (linear in practice).
    static func matches(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex, n = name.startIndex
        var star: Int?, starName = name.startIndex
        while n < name.endIndex {
            if p < pattern.endIndex, pattern[p] == UInt8(ascii: "?") || pattern[p] == name[n] {
                p += 1; n += 1
            } else if p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") {
                star = p; starName = n; p += 1
            } else if let s = star {
                p = s + 1; starName += 1; n = starName
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }
}

extension NamespaceAllowlist {
    /// The answer for a namespace outside the list, for ingest and the worker alike.
    public func refusal(_ namespace: String) -> String {
        "namespace '\(namespace)' is not in AGENT_NAMESPACES (\(description)); reports for it are not accepted"
    }
}
