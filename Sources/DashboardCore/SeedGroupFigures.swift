import EmergentCore

/// A seed group's row: each figure taken at the point every member that has begun training
/// has reached (the lowest step, the lowest completed epoch), so members at different steps
/// are never averaged together; members still queued or initializing are left out and
/// counted.
struct SeedGroupFigures {
    let step: Int
    let epoch: Int
    let losses: [Double]
    let tests: [Double]
    let bests: [Double]
    /// Members the figures cover, of all.
    let covered: Int

    init(_ members: [RunSnapshot]) {
        let started = members.filter { $0.step > 0 || $0.epoch > 0 }
        step = started.map(\.step).min() ?? 0
        epoch = started.map(\.epoch).min() ?? 0
        covered = started.count
        let finished = !started.isEmpty && started.allSatisfy { $0.status == .done }
        let step = Double(step)
        losses = started.compactMap { member in
            finished ? member.shownLoss : member.series["train/loss"]?.points.last { $0.x <= step }?.y
        }
        // A test value belongs to an epoch end: the one of the common epoch, for every member.
        let epochs = epoch
        let tested = epochs == 0 ? [] : started
        tests = tested.compactMap { member in
            member.series["test/acc"]?.points.last { $0.x <= Double(epochs * member.stepsPerEpoch) }?.y
        }
        bests = tested.compactMap { member in
            member.series["test/acc"]?.points.filter { $0.x <= Double(epochs * member.stepsPerEpoch) }.map(\.y).max()
        }
    }
}
