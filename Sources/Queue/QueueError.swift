/// Why a queue operation was refused.
public enum QueueError: Error, CustomStringConvertible, Equatable, Sendable {
    case notFound(jobID: Int64)
    /// The caller's lease is no longer the job's lease (expired and rescued, cancelled, or
    /// taken by another worker): its result must not be written (fencing).
    case leaseLost(jobID: Int64, state: JobState)
    case invalidTransition(jobID: Int64, from: JobState, action: String)
    case invalidInput(field: String, message: String)
    /// Another active job already covers the same pod.
    case conflict(jobID: Int64, activeJobID: Int64)

    public var description: String {
        switch self {
        case .notFound(let id):
            return "job \(id) not found"
        case .leaseLost(let id, let state):
            return "job \(id): lease lost (job is now \(state.rawValue)); result not recorded"
        case .invalidTransition(let id, let from, let action):
            return "job \(id) is \(from.rawValue); cannot \(action) it"
        case .invalidInput(let field, let message):
            return "\(field): \(message)"
        case .conflict(let id, let active):
            return "job \(id): job \(active) is already active for the same pod"
        }
    }
}
