/// Kubernetes object name rules (RFC 1123), as the API server applies them.
public enum KubernetesName: Sendable {
    /// Namespaces, container names: at most 63 characters of `[a-z0-9-]`, starting and
    /// ending with an alphanumeric.
    case dns1123Label
    /// Pod names: at most 253 characters, dot-separated DNS-1123 labels.
    case dns1123Subdomain

    /// Why `name` breaks the rule, or `nil` when it is valid.
    public func violation(_ name: String) -> String? {
        switch self {
        case .dns1123Label:
            if name.isEmpty { return "must not be empty" }
            if name.utf8.count > 63 { return "must be at most 63 characters (DNS-1123 label)" }
            return Self.labelViolation(Substring(name))
        case .dns1123Subdomain:
            if name.isEmpty { return "must not be empty" }
            if name.utf8.count > 253 { return "must be at most 253 characters (DNS-1123 subdomain)" }
            for label in name.split(separator: ".", omittingEmptySubsequences: false) {
                if label.isEmpty { return "must not contain empty dot-separated parts (DNS-1123 subdomain)" }
                if let violation = Self.labelViolation(label) { return violation }
            }
            return nil
        }
    }

    private static func labelViolation(_ label: Substring) -> String? {
        let isAlphanumeric: (UInt8) -> Bool = { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) }
        guard label.utf8.allSatisfy({ isAlphanumeric($0) || $0 == 0x2d }) else {
            return "must consist of lower case alphanumeric characters or '-' (DNS-1123)"
        }
        guard let first = label.utf8.first, let last = label.utf8.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return "must start and end with an alphanumeric character (DNS-1123)"
        }
        return nil
    }
}
