import CLI

await CommandRunner.main(Bench.self)
