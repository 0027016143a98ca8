/// The graph the emergence measure counts paths in: layers of nodes, each active or not,
/// and connections from lower to higher layers (emergence.md §1.2, §1.6).
public struct EmergenceGraph: Sendable {
    public struct NodeLayer: Sendable {
        public let name: String
        public let active: [Bool]
        public var count: Int { active.count }
        public var activeCount: Int { active.filter { $0 }.count }

        public init(name: String, active: [Bool]) {
            self.name = name
            self.active = active
        }
    }

    /// Edges between two node layers, `from` < `to` (layer indices).
    public struct Connection: Sendable {
        public enum Kind: Sendable {
            /// Every node of `from` to every node of `to` (dense layers, channel-level convs,
            /// attention as a complete map).
            case complete
            /// Node i to node i (residual identity edges; equal widths).
            case identity
            /// Explicit edges: `edges[i]` lists the `to` nodes that `from` node i reaches.
            case explicit([[Int]])
        }

        public let from: Int
        public let to: Int
        public let kind: Kind

        public init(from: Int, to: Int, kind: Kind) {
            self.from = from
            self.to = to
            self.kind = kind
        }
    }

    public let layers: [NodeLayer]
    public let connections: [Connection]

    public init(layers: [NodeLayer], connections: [Connection]) {
        for connection in connections {
            precondition(
                connection.from < connection.to && connection.to < layers.count,
                "connection \(connection.from)→\(connection.to) must go forward between existing layers")
            if case .identity = connection.kind {
                precondition(
                    layers[connection.from].count == layers[connection.to].count, "identity edges need equal widths")
            }
        }
        self.layers = layers
        self.connections = connections
    }

    /// Consecutive layers completely connected: an MLP or a channel-level CNN.
    public static func layered(_ layers: [NodeLayer]) -> EmergenceGraph {
        EmergenceGraph(
            layers: layers,
            connections: (0..<max(layers.count - 1, 0)).map {
                Connection(from: $0, to: $0 + 1, kind: .complete)
            })
    }

    /// Whether every connection is complete and between consecutive layers, so the closed
    /// form applies.
    public var isLayered: Bool {
        connections.count == layers.count - 1
            && connections.enumerated().allSatisfy { index, connection in
                guard case .complete = connection.kind else { return false }
                return connection.from == index && connection.to == index + 1
            }
    }
}
