import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's memory (from /proc/self/status) and CPU time (getrusage), Linux only.
enum ProcessUsage {
    /// A numeric `/proc/self/status` field, e.g. `VmRSS`, `VmHWM` (kB), `Threads`; nil where there is none.
    static func statusKilobytes(_ field: String) -> Int? { statusNumber(field) }

    static func statusNumber(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }

    /// Resets the peak resident set size (VmHWM) to the current one (`echo 5 > clear_refs`,
    /// Linux 4.0+). False when the kernel refused.
    static func resetPeakResidentSize() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// User and system CPU time of all threads of the process so far.
    static func cpuTime() -> (user: Duration, system: Duration) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return (duration(usage.ru_utime), duration(usage.ru_stime))
    }

    /// User plus system CPU time of another process so far (/proc/PID/stat), nil once it is gone.
    static func cpuTime(pid: Int32) -> Duration? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return nil }
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / max(ticks, 1))
    }
}
