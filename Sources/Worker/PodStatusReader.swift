import Foundation

/// Reads container states out of a pod as `pods_get` prints it (YAML, as the Kubernetes MCP
/// server renders objects). Only what the worker needs: which containers terminated with a
/// non-zero exit, when, and how often they restarted. A small indentation-aware scan rather
/// than a YAML library: the shape is fixed by the Kubernetes API.
struct PodStatusReader {
    struct ContainerState: Equatable {
        var name: String
        var exitCode: Int?
        var reason: String?
        var finishedAt: String?
        var restartCount = 0
    }

    let containers: [ContainerState]

    init(yaml: String) {
        var containers: [ContainerState] = []
        var current: ContainerState?
        var inStatuses = false
        var statusesIndent = 0
        var entryIndent = 0
        // Keys above the current line within one entry, by indentation.
        var path: [(indent: Int, key: String)] = []

        for rawLine in yaml.split(separator: "\n", omittingEmptySubsequences: true) {
            let indent = rawLine.prefix { $0 == " " }.count
            var line = rawLine.dropFirst(indent)
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("containerStatuses:") {
                inStatuses = true
                statusesIndent = indent
                continue
            }
            guard inStatuses else { continue }
            if indent <= statusesIndent && !line.hasPrefix("- ") || indent < statusesIndent {
                inStatuses = false
                continue
            }
            var keyIndent = indent
            if line.hasPrefix("- ") {
                if let finished = current { containers.append(finished) }
                current = ContainerState(name: "")
                entryIndent = indent + 2
                path = []
                line = line.dropFirst(2)
                keyIndent = entryIndent
            }
            guard current != nil, let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            while let last = path.last, last.indent >= keyIndent { path.removeLast() }
            let parents = path.map(\.key)
            if value.isEmpty {
                path.append((keyIndent, key))
                continue
            }
            switch (parents, key) {
            case ([], "name"): current?.name = value
            case ([], "restartCount"): current?.restartCount = Int(value) ?? 0
            case (["state", "terminated"], "exitCode"): current?.exitCode = Int(value)
            case (["state", "terminated"], "reason"): current?.reason = value
            case (["state", "terminated"], "finishedAt"): current?.finishedAt = value
            default: break
            }
        }
        if let finished = current { containers.append(finished) }
        self.containers = containers.filter { !$0.name.isEmpty }
    }

    /// The state of `container`, or when the report names none, of the first failed one (else
    /// the first still running, else the first). Nil when the named container is not in the
    /// status (its state would be another's).
    func state(of container: String?) -> ContainerState? {
        guard let container else {
            return firstFailedContainer ?? containers.first { $0.exitCode == nil } ?? containers.first
        }
        return containers.first { $0.name == container }
    }

    /// The container that failed first (earliest finish among non-zero exits): in a Tekton pod,
    /// the failing step rather than the steps skipped after it.
    var firstFailedContainer: ContainerState? {
        containers.filter { ($0.exitCode ?? 0) != 0 }
            .min { ($0.finishedAt ?? "~") < ($1.finishedAt ?? "~") }
    }
}
