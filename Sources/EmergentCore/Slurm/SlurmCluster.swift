/// Slurm's own commands, as the core asks them. The executable answers by running `sbatch`,
/// `squeue` and `scontrol`; nothing else in the core talks to the cluster.
public protocol SlurmCluster {
    /// Whether jobs can be submitted here (sbatch is installed).
    var canSubmit: Bool { get }
    /// Submits the script at `script` as the array `array` (sbatch's `--array` value: the
    /// tasks and any `%N`); returns the job id, or throws sbatch's refusal.
    func submit(script: String, array: String) throws(SweepError) -> Int
    /// The tasks of `jobs` still queued or running, by task index, and why the answer may be
    /// partial (squeue missing or failing).
    func queue(jobs: [Int]) -> (states: [Int: SlurmQueue.TaskState], problem: String?)
    /// What the controller still remembers of an ended task (nil once it has forgotten).
    func ended(job: Int, task: Int) -> (state: String, exitCode: String?, log: String?)?
}
