import Foundation
import JSON
import Logging
import Synchronization

/// One JSON object per line on stderr (`AGENT_LOG_FORMAT=json`), for log collectors (Loki,
/// Elasticsearch, Cloud Logging) that index fields instead of parsing text:
/// `{"time", "level", "logger", "message", <metadata fields, e.g. job_id, attempt>, "source"}`.
/// Metadata is flattened into top-level fields; a metadata key that collides with one of the
/// fixed fields is written with a `meta_` prefix so it never hides them.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: LogLineOutput

    public init(label: String, output: LogLineOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    private static let fixedFields: Set<String> = ["time", "level", "logger", "message", "source"]

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }

        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.write(key: "time", string: Self.timestamp(Date()))
        writer.write(key: "level", string: event.level.rawValue)
        writer.write(key: "logger", string: label)
        writer.write(key: "message", string: event.message.description)
        for key in merged.keys.sorted() {
            writer.write(key: Self.fixedFields.contains(key) ? "meta_" + key : key)
            Self.write(merged[key]!, to: &writer)
        }
        writer.write(key: "source", string: event.source)
        writer.endObject()
        output.write(writer.bytes + [UInt8(ascii: "\n")])
    }

    /// Strings stay strings; numbers that swift-log carries as strings (`"\(jobID)"`) stay
    /// strings too, so a field's type never changes between lines.
    private static func write(_ value: Logger.Metadata.Value, to writer: inout JSONWriter) {
        switch value {
        case .string(let text): writer.write(string: text)
        case .stringConvertible(let convertible): writer.write(string: convertible.description)
        case .array(let values):
            writer.beginArray()
            for element in values { write(element, to: &writer) }
            writer.endArray()
        case .dictionary(let fields):
            writer.beginObject()
            for key in fields.keys.sorted() {
                writer.write(key: key)
                write(fields[key]!, to: &writer)
            }
            writer.endObject()
        }
    }

    /// RFC 3339 in UTC with milliseconds (`2026-12-03T09:40:10.123Z`): what collectors parse
    /// without configuration.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
        let fraction = Int(((milliseconds % 1000) + 1000) % 1000)
        if milliseconds < 0, fraction != 0 { seconds -= 1 }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }
}

/// Where log lines go: stderr in the services, memory in tests. Each line is written whole
/// under a lock, so lines from concurrent tasks never interleave.
public final class LogLineOutput: Sendable {
    private let toStandardError: Bool
    private let collected = Mutex<[UInt8]>([])

    public static let standardError = LogLineOutput(toStandardError: true)

    /// Collects lines in memory (`text`).
    public static func memory() -> LogLineOutput { LogLineOutput(toStandardError: false) }

    private init(toStandardError: Bool) {
        self.toStandardError = toStandardError
    }

    func write(_ line: [UInt8]) {
        collected.withLock { collected in
            guard toStandardError else { return collected += line }
            FileHandle.standardError.write(Data(line))
        }
    }

    /// What a memory output collected.
    public var text: String { collected.withLock { String(decoding: $0, as: UTF8.self) } }
}
