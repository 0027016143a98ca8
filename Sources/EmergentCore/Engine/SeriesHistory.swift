/// One metric's history with bounded memory: the most recent points at full resolution,
/// older ones folded into buckets that keep each span's minimum, maximum and mean. When the
/// buckets fill up, neighbours merge, so a run of any length costs the same memory.
///
/// A point may carry a weight below 1: a training step on a partial batch (an epoch's last,
/// smaller batch) stands for fewer samples than the others, so it counts for less in bucket
/// means, in smoothing and in the raw curve (`fullBatchValues`).
public struct SeriesHistory: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public let x: Double
        public let y: Double
        /// The samples behind the value, as a fraction of a full batch (1 for anything that is
        /// not a per-batch statistic).
        public let weight: Double

        public init(x: Double, y: Double, weight: Double = 1) {
            self.x = x
            self.y = y
            self.weight = weight
        }
    }

    /// A span of older points.
    public struct Bucket: Sendable, Equatable {
        public var firstX: Double
        public var lastX: Double
        public var minimum: Double
        public var maximum: Double
        /// The weighted sum of the finite values and their total weight.
        public var sum: Double
        public var weight: Double
        /// Finite points folded in.
        public var count: Int
        public var mean: Double { weight > 0 ? sum / weight : .nan }
    }

    public let recentCapacity: Int
    public let bucketCapacity: Int
    public private(set) var recent: [Point] = []
    public private(set) var buckets: [Bucket] = []
    /// Points per bucket for the next fold; doubles whenever neighbours merge, up to half of
    /// `recentCapacity`.
    public private(set) var bucketWidth: Int
    public private(set) var count = 0
    public private(set) var last: Point?

    public init(recentCapacity: Int = 1024, bucketCapacity: Int = 512, bucketWidth: Int = 4) {
        precondition(
            recentCapacity >= 2 * bucketWidth && bucketCapacity >= 2 && bucketWidth >= 1, "history capacities too small"
        )
        self.recentCapacity = recentCapacity
        self.bucketCapacity = bucketCapacity
        self.bucketWidth = bucketWidth
    }

    public mutating func append(x: Double, y: Double, weight: Double = 1) {
        let point = Point(x: x, y: y, weight: weight)
        recent.append(point)
        last = point
        count += 1
        guard recent.count > recentCapacity else { return }
        // Fold the oldest `bucketWidth` points into one bucket; non-finite values stay out of
        // the statistics (a diverged run's last points are drawn from `recent`).
        let folded = recent.prefix(bucketWidth)
        let finite = folded.filter(\.y.isFinite)
        buckets.append(
            Bucket(
                firstX: folded.first!.x, lastX: folded.last!.x, minimum: finite.map(\.y).min() ?? .nan,
                maximum: finite.map(\.y).max() ?? .nan, sum: finite.reduce(0) { $0 + $1.weight * $1.y },
                weight: finite.reduce(0) { $0 + $1.weight }, count: finite.count))
        recent.removeFirst(bucketWidth)
        if buckets.count > bucketCapacity { mergeNeighbours() }
    }

    private mutating func mergeNeighbours() {
        var merged: [Bucket] = []
        merged.reserveCapacity(buckets.count / 2 + 1)
        var index = 0
        while index < buckets.count {
            var bucket = buckets[index]
            if index + 1 < buckets.count {
                let next = buckets[index + 1]
                bucket.lastX = next.lastX
                bucket.minimum = Swift.min(bucket.minimum, next.minimum)
                bucket.maximum = Swift.max(bucket.maximum, next.maximum)
                if bucket.minimum.isNaN { bucket.minimum = next.minimum }
                if bucket.maximum.isNaN { bucket.maximum = next.maximum }
                bucket.sum += next.sum
                bucket.weight += next.weight
                bucket.count += next.count
            }
            merged.append(bucket)
            index += 2
        }
        buckets = merged
        // New buckets match the merged ones, up to half the recent window (older buckets may
        // then be wider than newer ones; memory stays bounded either way).
        bucketWidth = min(bucketWidth * 2, recentCapacity / 2)
    }

    /// Every point in order, each bucket as its weighted mean at its middle x (weighing what
    /// it holds): what a chart draws.
    public var points: [Point] {
        buckets.map { Point(x: ($0.firstX + $0.lastX) / 2, y: $0.mean, weight: $0.weight) } + recent
    }
}
