import Foundation

/// The end-of-experiment table: per run entry (its seeds pooled), the first-epoch, final and
/// best test metric as mean ± standard deviation, the time, and where runs diverged.
public struct ExperimentSummary: Sendable {
    public struct Statistic: Sendable, Equatable {
        public let values: [Double]
        public var mean: Double { values.reduce(0, +) / Double(max(values.count, 1)) }
        /// Sample variance (n − 1); 0 for a single value.
        public var variance: Double {
            guard values.count > 1 else { return 0 }
            let m = mean
            return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)
        }
        /// Sample standard deviation (n − 1); 0 for a single value.
        public var standardDeviation: Double { variance.squareRoot() }

        public init(values: [Double]) { self.values = values }
    }

    public struct Group: Sendable {
        public let label: String
        public let initializer: String
        public let seeds: [UInt64]
        public let firstEpoch: Statistic
        public let final: Statistic
        public let best: Statistic
        public let seconds: Statistic
        public let divergedAt: [Int]
        public let failures: [String]
        public let statuses: [RunStatus]
        /// Steps and seconds to the target, over the seeds that reached it.
        public let stepsToTarget: Statistic
        public let secondsToTarget: Statistic
        /// Welch's test of the final metric against the first group's (nil for the first
        /// group, or with fewer than two seeds on either side).
        public let againstFirst: WelchTest?
    }

    public let metric: String
    public let groups: [Group]
    public let runs: [RunSnapshot]

    public init(_ snapshots: [RunSnapshot], metric: String = "test/acc") {
        self.metric = metric
        runs = snapshots
        var groupOrder: [Int] = []
        var members: [Int: [RunSnapshot]] = [:]
        for snapshot in snapshots {
            if members[snapshot.config.group] == nil { groupOrder.append(snapshot.config.group) }
            members[snapshot.config.group, default: []].append(snapshot)
        }
        let baseline = groupOrder.first.map { members[$0]!.compactMap { $0.latest[metric] } } ?? []
        groups = groupOrder.enumerated().map { index, key in
            let runs = members[key]!
            let finals = runs.compactMap { $0.latest[metric] }
            return Group(
                label: runs[0].config.label, initializer: runs[0].config.initializer.description,
                seeds: runs.map(\.config.seed),
                firstEpoch: Statistic(values: runs.compactMap(\.firstEpochTest)),
                final: Statistic(values: finals),
                best: Statistic(values: runs.compactMap(\.bestTest)),
                seconds: Statistic(values: runs.map(\.wallTime)),
                divergedAt: runs.compactMap(\.divergedAt), failures: runs.compactMap(\.failure),
                statuses: runs.map(\.status),
                stepsToTarget: Statistic(values: runs.compactMap { $0.targetReached.map { Double($0.step) } }),
                secondsToTarget: Statistic(values: runs.compactMap(\.targetReached?.seconds)),
                againstFirst: index == 0 ? nil : WelchTest(finals, baseline))
        }
    }
}
