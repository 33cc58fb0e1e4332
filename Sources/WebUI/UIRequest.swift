import Foundation
import Hummingbird

/// Query parameters as the pages read them: blank means absent.
struct UIQuery: Sendable {
    let parameters: [String: String]

    init(_ parameters: [String: String] = [:]) {
        self.parameters = parameters
    }

    init(_ request: Request) {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where parameters[String(name)] == nil {
            parameters[String(name)] = String(value)
        }
        self.parameters = parameters
    }

    func string(_ name: String) -> String? {
        guard let value = parameters[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// A positive integer parameter; a malformed one is the reader's mistake (400), not ignored.
    func positiveInteger(_ name: String) throws -> Int64? {
        guard let text = string(name) else { return nil }
        return try Self.positiveInteger(text, name: name)
    }

    static func positiveInteger(_ text: String, name: String) throws -> Int64 {
        guard let value = Int64(text), value > 0 else { throw UIError.badRequest("\(name) must be a positive whole number") }
        return value
    }
}
