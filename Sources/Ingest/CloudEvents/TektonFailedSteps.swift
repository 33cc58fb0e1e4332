/// Which steps of a failed TaskRun failed by themselves, as opposed to steps Tekton skipped
/// or terminated on the run's behalf. How Tekton marks them (pipeline `pkg/pod/status.go`,
/// `pkg/reconciler/taskrun/taskrun.go`, `cmd/entrypoint`):
///
/// - A failing step: container exit code ≠ 0, `terminated.reason` "Error" (or "OOMKilled", …).
/// - Steps after it are *skipped*: their entrypoint exits with 1 without running the command,
///   so they also show exit code 1 and reason "Error". Newer Tekton adds
///   `terminationReason: "Skipped"`; older releases have no marker, but a skip only ever follows
///   a step that stopped the task, so every later non-zero step is a skip there.
/// - `onError: continue`: the container exits 0 (`reason` "Completed") and Tekton copies the
///   real exit code into `exitCode`, with `terminationReason: "Continued"`. It did fail and its
///   log explains why, so it is reported, but it does not stop later steps.
/// - Timeout and cancellation: the controller deletes the pod and writes `exitCode: 1` with
///   the run's reason (`TaskRunTimeout`, `TaskRunCancelled`, …) into every step that had not
///   ended. Those containers did not fail; the run did.
enum TektonFailedSteps {
    static let skipped = "Skipped"
    static let continued = "Continued"
    /// Reasons the reconciler writes into step states itself (`failTaskRun`).
    static let controllerReasons: Set<String> = [
        "TaskRunTimeout", "TaskRunCancelled", "TaskRunImagePullFailed", "CreateContainerConfigError",
        "PodCreationFailed", "ExceededResourceQuota",
    ]

    /// The containers (`step-NAME`) of the failed steps, in step order, without duplicates.
    static func containers(of taskRun: TektonTaskRun) -> [String] {
        let runReason = taskRun.succeeded?.reason
        var containers: [String] = []
        var stoppedByEarlierStep = false
        for step in taskRun.status?.steps ?? [] {
            guard let terminated = step.terminated, let exitCode = terminated.exitCode, exitCode != 0 else { continue }
            if step.terminationReason == skipped { continue }
            if let reason = terminated.reason, controllerReasons.contains(reason) || reason == runReason { continue }
            if step.terminationReason == nil && stoppedByEarlierStep { continue }
            if let container = containerName(step), !containers.contains(container) {
                containers.append(container)
            }
            if !isContinued(step) { stoppedByEarlierStep = true }
        }
        return containers
    }

    /// A failure that `onError: continue` let pass; older Tekton only shows it as a container
    /// that completed normally yet carries a non-zero exit code.
    static func isContinued(_ step: TektonTaskRun.Step) -> Bool {
        if let reason = step.terminationReason { return reason == continued }
        return step.terminated?.reason == "Completed"
    }

    /// `status.steps[].container`, or Tekton's naming rule `step-<name>` when it is missing.
    static func containerName(_ step: TektonTaskRun.Step) -> String? {
        if let container = step.container, !container.isEmpty { return container }
        if let name = step.name, !name.isEmpty { return "step-" + name }
        return nil
    }
}
