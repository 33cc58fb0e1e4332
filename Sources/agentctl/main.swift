import CLI

await CommandRunner.main(AgentCtl.self)
