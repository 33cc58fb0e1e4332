import CLI

// The same allocator settings as the service it measures.
MallocArenas.limitForService()

await CommandRunner.main(Bench.self)
