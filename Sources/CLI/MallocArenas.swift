import CMalloc
import Glibc

/// The number of glibc malloc arenas of a service process.
///
/// glibc gives a thread that finds the arenas locked a new one, up to 8 per core, and memory
/// freed into one arena is not reused by the others. The worker's transfer buffers are
/// allocated on the HTTP loop thread and freed on the concurrency pool, so with many arenas
/// its heap grows with free but unusable memory: about 7 MB of the peak with 200 jobs in
/// flight (`pipeline-agent-bench worker`). Our processes have a handful of busy threads, for
/// which two arenas cost no measurable CPU.
public enum MallocArenas {
    public static let serviceLimit: Int32 = 2

    /// Caps the arenas, unless the operator set `MALLOC_ARENA_MAX` or the `glibc.malloc.arena_max`
    /// tunable (glibc has applied those). Call first thing in `main`, before other threads allocate.
    public static func limitForService() {
        if getenv("MALLOC_ARENA_MAX") != nil { return }
        if let tunables = getenv("GLIBC_TUNABLES"), String(cString: tunables).contains("glibc.malloc.arena_max") { return }
        _ = cmalloc_limit_arenas(serviceLimit)
    }
}
