/// Every parameter of a model in one contiguous buffer, and every gradient in another of the
/// same layout, with a named view per tensor (`dense3.weight`). The optimizer steps over the
/// flat buffers in one loop; per-layer statistics read a view without copying.
///
/// Not Sendable: a model belongs to one run, and a run is confined to one worker at a time.
public final class ParameterStore {
    /// One named tensor inside the buffers.
    public struct View: Sendable, Hashable {
        public let name: String
        public let offset: Int
        public let shape: [Int]
        public let role: Role
        public var count: Int { shape.reduce(1, *) }
    }

    /// What a tensor is for; initializers scale weights, not biases or norm gains.
    public enum Role: String, Sendable, Hashable {
        case weight, bias, normGain, normBias, embedding
    }

    public private(set) var views: [View] = []
    public private(set) var count = 0
    public private(set) var values: UnsafeMutablePointer<Float>
    public private(set) var gradients: UnsafeMutablePointer<Float>
    private var capacity: Int

    public init() {
        capacity = 1024
        values = .allocate(capacity: capacity)
        gradients = .allocate(capacity: capacity)
    }

    deinit {
        values.deallocate()
        gradients.deallocate()
    }

    /// Adds a zero-filled tensor. Called while a model is built, before any pointer is used.
    public func register(_ name: String, shape: [Int], role: Role) -> View {
        precondition(!views.contains { $0.name == name }, "parameter '\(name)' registered twice")
        let view = View(name: name, offset: count, shape: shape, role: role)
        let needed = count + view.count
        if needed > capacity {
            var newCapacity = capacity
            while newCapacity < needed { newCapacity *= 2 }
            for keyPath in [\ParameterStore.values, \ParameterStore.gradients] {
                let grown = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
                grown.update(from: self[keyPath: keyPath], count: count)
                self[keyPath: keyPath].deallocate()
                self[keyPath: keyPath] = grown
            }
            capacity = newCapacity
        }
        (values + count).update(repeating: 0, count: view.count)
        (gradients + count).update(repeating: 0, count: view.count)
        count = needed
        views.append(view)
        return view
    }

    public func value(_ view: View) -> UnsafeMutablePointer<Float> { values + view.offset }
    public func gradient(_ view: View) -> UnsafeMutablePointer<Float> { gradients + view.offset }

    public func view(named name: String) -> View? { views.first { $0.name == name } }

    /// A copy of one tensor's values.
    public func tensor(_ view: View) -> Tensor {
        Tensor(shape: view.shape, scalars: Array(UnsafeBufferPointer(start: value(view), count: view.count)))
    }

    public func gradientTensor(_ view: View) -> Tensor {
        Tensor(shape: view.shape, scalars: Array(UnsafeBufferPointer(start: gradient(view), count: view.count)))
    }

    /// Overwrites one tensor's values.
    public func set(_ view: View, to tensor: Tensor) {
        precondition(tensor.count == view.count, "\(view.name): \(tensor.count) values for \(view.count)")
        tensor.scalars.withUnsafeBufferPointer { value(view).update(from: $0.baseAddress!, count: view.count) }
    }

    /// Multiplies one tensor's values by `factor` (the initializers' rescaling).
    public func scale(_ view: View, by factor: Double) {
        let pointer = value(view), factor = Float(factor)
        for i in 0..<view.count { pointer[i] *= factor }
    }

    public func zeroGradients() { gradients.update(repeating: 0, count: count) }
}
