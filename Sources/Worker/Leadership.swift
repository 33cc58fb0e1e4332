/// Whether this process runs the maintenance that must not run on every replica at once
/// (the lease rescuer, retention pruning). Each round asks again, so a process that stops
/// leading stops within one round, and one that starts leading picks the rounds up.
public protocol Leadership: Sendable {
    var isLeading: Bool { get async }
}

/// One node (SQLite: every process shares one file on one host): every process leads, as
/// before replicas existed. The rounds are safe to overlap there (`BEGIN IMMEDIATE`).
public struct SingleNodeLeadership: Leadership {
    public init() {}
    public var isLeading: Bool { true }
}
