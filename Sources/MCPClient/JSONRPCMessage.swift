import Foundation
import JSON

/// An incoming JSON-RPC 2.0 message, classified by its members.
enum JSONRPCMessage: Sendable {
    case response(id: JSONValue, result: JSONValue)
    case errorResponse(id: JSONValue, code: Int, message: String)
    case request(id: JSONValue, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)

    init?(_ value: JSONValue) {
        guard case let .object(fields) = value else { return nil }
        if let method = fields["method"]?.stringValue {
            if let id = fields["id"], id != .null {
                self = .request(id: id, method: method, params: fields["params"])
            } else {
                self = .notification(method: method, params: fields["params"])
            }
        } else if let id = fields["id"] {
            if let error = fields["error"] {
                self = .errorResponse(
                    id: id, code: error["code"]?.intValue ?? 0,
                    message: error["message"]?.stringValue ?? "unknown error")
            } else if let result = fields["result"] {
                self = .response(id: id, result: result)
            } else {
                return nil
            }
        } else {
            return nil
        }
    }

    /// Our ids are integers; tolerate servers that echo them as strings.
    static func integerID(_ id: JSONValue) -> Int? {
        id.intValue ?? id.stringValue.flatMap { Int($0) }
    }

    static func makeRequest(id: Int, method: String, params: JSONValue?) -> JSONValue {
        var fields: [String: JSONValue] = ["jsonrpc": "2.0", "id": .int(id), "method": .string(method)]
        if let params { fields["params"] = params }
        return .object(fields)
    }

    static func makeNotification(method: String, params: JSONValue?) -> JSONValue {
        var fields: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { fields["params"] = params }
        return .object(fields)
    }

    /// Messages of one body: a single object or (protocol 2025-03-26) a batch array.
    static func unpack(_ value: JSONValue) -> [JSONValue] {
        if case let .array(items) = value { return items }
        return [value]
    }
}

extension JSONRPCMessage {
    /// Parses one HTTP body or SSE `data` into JSON-RPC messages; anything else is malformed.
    static func decode(_ data: Data, server: String) throws(MCPError) -> [JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue.decode(data)
        } catch {
            throw .malformedMessage(server: server, detail: "not JSON: \(excerpt(data))")
        }
        let messages = unpack(value)
        for message in messages where JSONRPCMessage(message) == nil {
            throw .malformedMessage(server: server, detail: "not a JSON-RPC message: \(excerpt(data))")
        }
        return messages
    }

    private static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        return data.count > 200 ? text + "…" : text
    }
}
