import CLI

await CommandRunner.main(PipelineAgent.self)
