/// The catalogue: every initialization scheme with a one-line summary of what it does.
extension InitializerSpec {
    public enum Scheme: String, Sendable, CaseIterable {
        case kaiming, xavier, framework = "default", orthogonal, zero, fractional, emergence, lsuv, fixup, tfixup,
            gradinit, nio, metainit, updater, weights

        public var summary: String {
            switch self {
            case .kaiming: "He et al. 2015: std = gain/√fan, gain from the activation (GELU: fixed point 1.5335)"
            case .xavier: "Glorot and Bengio 2010: variance gain²·2/(fan_in + fan_out)"
            case .framework: "PyTorch's default for Linear/Conv: uniform ±1/√fan_in"
            case .orthogonal: "Saxe et al. 2014: Haar-orthogonal weights × gain; convs flattened or delta-orthogonal"
            case .zero: "Zhao et al. 2022 (ZerO): identity or Hadamard matrices, deterministic; convs on the centre tap"
            case .fractional:
                "Gurbuzbalaban and Hu 2021: σ that preserves the s-th moment of ‖x‖, exact; Student-t extension"
            case .emergence:
                "emergence-promoting: base scheme, then weights of depth index idx × α^idx (symmetric indices)"
            case .lsuv:
                "Mishkin and Matas 2016: orthogonal, then each layer rescaled to unit output variance on the probe"
            case .fixup: "Zhang et al. 2019: zero the classifier and each residual branch's last layer, He elsewhere"
            case .tfixup: "Huang et al. 2020 (T-Fixup): Xavier, embeddings N(0, d^-1/2), blocks scaled by depth"
            case .gradinit: "Zhu et al. 2021: per-tensor scales so one SGD step lowers the loss most, ‖g‖ ≤ γ (learned)"
            case .nio:
                "Yang et al. 2022 (GradCosine): per-tensor scales aligning sub-batch gradients, norm bounded (learned)"
            case .metainit:
                "Dauphin and Schoenholz 2019: weight norms that lower the gradient quotient, data-free (learned)"
            case .weights:
                "a weights file as it is: emergent initialize, export --weights, or the PyTorch companion's save()"
            case .updater:
                "emergent weight updater: a tiny MLP learns per-layer log-scales from ⟨∂L/∂W, W⟩ during warm-up (learned)"
            }
        }
    }
}
