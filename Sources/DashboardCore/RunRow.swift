import EmergentCore

/// The runs table's rows: a run alone, or a seed group (runs of one experiment entry that
/// differ only in their seed) as one row, with its members below it when expanded.
public struct RunRow: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case single, group(expanded: Bool), member }

    public let kind: Kind
    /// Indices into the state's runs: one for a single run or a member, every member for a group.
    public let runs: [Int]
    public let group: Int

    /// Groups the snapshots by `RunConfig.group`, in the order each group first appears.
    public static func rows(_ snapshots: [RunSnapshot], expanded: Set<Int>) -> [RunRow] {
        var order: [Int] = [], members: [Int: [Int]] = [:]
        for (index, snapshot) in snapshots.enumerated() {
            let group = snapshot.config.group
            if members[group] == nil { order.append(group) }
            members[group, default: []].append(index)
        }
        return order.flatMap { group -> [RunRow] in
            let indices = members[group]!
            guard indices.count > 1 else { return [RunRow(kind: .single, runs: indices, group: group)] }
            let open = expanded.contains(group)
            return [RunRow(kind: .group(expanded: open), runs: indices, group: group)]
                + (open ? indices.map { RunRow(kind: .member, runs: [$0], group: group) } : [])
        }
    }

    public var isGroup: Bool {
        if case .group = kind { return true }
        return false
    }
}
