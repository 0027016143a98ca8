import Foundation
import Kernels

/// The elementwise nonlinearities of the product spec.
public enum ActivationKind: Sendable, Hashable, Codable, CustomStringConvertible {
    case relu
    case leakyRelu(slope: Float)
    /// The exact GELU, x·Φ(x), as PyTorch's default.
    case gelu
    /// x·σ(x) (also called swish).
    case silu
    case tanh
    case linear

    public static let defaultLeakySlope: Float = 0.01

    public var description: String {
        switch self {
        case .relu: "relu"
        case let .leakyRelu(slope): slope == Self.defaultLeakySlope ? "leaky_relu" : "leaky_relu(\(slope))"
        case .gelu: "gelu"
        case .silu: "silu"
        case .tanh: "tanh"
        case .linear: "linear"
        }
    }

    /// Parses the names the CLI and configs use.
    public init?(name: String) {
        switch name {
        case "relu": self = .relu
        case "leaky_relu": self = .leakyRelu(slope: Self.defaultLeakySlope)
        case "gelu": self = .gelu
        case "silu": self = .silu
        case "tanh": self = .tanh
        case "linear": self = .linear
        default: return nil
        }
    }

    public static let names = ["relu", "leaky_relu", "gelu", "silu", "tanh", "linear"]

    @inline(__always)
    func apply(_ x: Float) -> Float {
        switch self {
        case .relu: x > 0 ? x : 0
        case let .leakyRelu(slope): x > 0 ? x : slope * x
        case .gelu: 0.5 * x * (1 + erff(x * 0.70710678118654752))
        case .silu: x / (1 + expf(-x))
        case .tanh: Foundation.tanh(x)
        case .linear: x
        }
    }

    /// dy/dx at input x (with output y, which is cheaper for tanh).
    @inline(__always)
    func derivative(input x: Float, output y: Float) -> Float {
        switch self {
        case .relu: x > 0 ? 1 : 0
        case let .leakyRelu(slope): x > 0 ? 1 : slope
        case .gelu: 0.5 * (1 + erff(x * 0.70710678118654752)) + x * 0.39894228040143268 * expf(-0.5 * x * x)
        case .silu:
            // σ(x)·(1 + x·(1 − σ(x))).
            { sigmoid in sigmoid * (1 + x * (1 - sigmoid)) }(1 / (1 + expf(-x)))
        case .tanh: 1 - y * y
        case .linear: 1
        }
    }
}

/// An activation as a layer. Its output is what the layer panel and the emergence measure
/// read as the post-activation signal of the weight layer before it.
public final class Activation: Layer, SignalSource {
    public let kind: ActivationKind
    private var input = Tensor.zeros([0])
    public private(set) var output = Tensor.zeros([0])

    public init(_ kind: ActivationKind) { self.kind = kind }

    public var lastOutput: Tensor { output }

    public func forward(_ input: Tensor, mode: PassMode) -> Tensor {
        self.input = input
        var result = Tensor(uninitialized: input.shape)
        result.scalars.withUnsafeMutableBufferPointer { y in
            input.scalars.withUnsafeBufferPointer { x in
                // One loop per kind, so the common ones vectorize instead of switching per element.
                switch kind {
                case .relu: VectorMath.relu(x.baseAddress!, y.baseAddress!, count: y.count)
                case .linear: for i in y.indices { y[i] = x[i] }
                default: for i in y.indices { y[i] = kind.apply(x[i]) }
                }
            }
        }
        output = result
        return result
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        var result = Tensor(uninitialized: input.shape)
        result.scalars.withUnsafeMutableBufferPointer { dx in
            input.scalars.withUnsafeBufferPointer { x in
                output.scalars.withUnsafeBufferPointer { y in
                    outputGradient.scalars.withUnsafeBufferPointer { dy in
                        switch kind {
                        case .relu:
                            VectorMath.reluBackward(x.baseAddress!, dy.baseAddress!, dx.baseAddress!, count: dx.count)
                        case .linear: for i in dx.indices { dx[i] = dy[i] }
                        default: for i in dx.indices { dx[i] = dy[i] * kind.derivative(input: x[i], output: y[i]) }
                        }
                    }
                }
            }
        }
        return result
    }
}
