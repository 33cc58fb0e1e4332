/// Whether and which tool the model must call.
public enum ToolChoice: Sendable, Equatable {
    case auto, none, required
    case function(String)

    var wireValue: Any {
        switch self {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case let .function(name): ["type": "function", "function": ["name": name]]
        }
    }
}
