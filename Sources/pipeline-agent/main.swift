import CLI
import Glibc

MallocArenas.limitForService()

// A parent may start us with SIGTERM/SIGINT blocked (Foundation.Process children of Swift
// concurrency threads inherit that mask); graceful shutdown needs them delivered.
var shutdownSignals = sigset_t()
sigemptyset(&shutdownSignals)
sigaddset(&shutdownSignals, SIGTERM)
sigaddset(&shutdownSignals, SIGINT)
pthread_sigmask(SIG_UNBLOCK, &shutdownSignals, nil)

await CommandRunner.main(PipelineAgent.self)
