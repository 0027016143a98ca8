/// The claims `emergent report` tests, in the order the report gives them. The experiments
/// are files in `data/experiments/claims/`; what is compared, and what was claimed, is here.
public enum ClaimCatalog {
    public static let all: [Claim] = [emergence, alphaAndLearningRate, learnedScales, fractionalMoment, updater]

    /// Quick mode: the embedded Fashion-MNIST subset, two epochs, 3 seeds an arm (full mode
    /// has 10); the CNN on a fifth of it, and a one-layer transformer on a few batches.
    static let quickImages: [(path: [String], value: JSONValue)] = [
        (["dataset"], .string("fashion-mnist-small")), (["epochs"], .number(2)), (["seeds"], .number(3)),
    ]
    static let quickCNN = quickImages + [(["epoch_size"], .number(1024)), (["eval_size"], .number(300))]
    static let quickTranslation: [(path: [String], value: JSONValue)] = [
        (["epochs"], .number(2)), (["seeds"], .number(3)), (["epoch_size"], .number(512)), (["batch_size"], .number(32)),
        (["eval_size"], .number(120)), (["decode_size"], .number(10)), (["model", "encoder_layers"], .number(1)),
        (["model", "decoder_layers"], .number(1)), (["model", "feed_forward"], .number(64)),
    ]

    static let alphas = ["1.2", "1.5", "2"]

    /// Against Kaiming and Xavier at every α, the control beside each, and E at step 0.
    static func emergenceComparisons() -> [ClaimComparison] {
        alphas.flatMap { alpha -> [ClaimComparison] in
            let run = "emergence α=\(alpha)"
            return [
                ClaimComparison(run, against: "kaiming", on: .firstEpoch, headline: true),
                ClaimComparison(run, against: "kaiming", on: .final),
                ClaimComparison(run, against: "kaiming", on: .stepsToTarget),
                ClaimComparison(run, against: "xavier", on: .firstEpoch),
                ClaimComparison(run, against: "xavier", on: .final),
                ClaimComparison(run, against: "control of \(run)", on: .firstEpoch, expecting: .same, headline: true),
                ClaimComparison(run, against: "control of \(run)", on: .final, expecting: .same),
                ClaimComparison(run, against: "kaiming", on: .initialLog10E, headline: alpha == "1.2"),
            ]
        }
    }

    static let emergence = Claim(
        id: "emergence", title: "Emergence-promoting initialization",
        source: "seed 000 (emergence-promoting initialization; ICLR 2025 submission, rejected)",
        statement: """
            Rescaling the weights of depth index idx by α^idx (the first half of the layers down, the second half \
            up) raises the network's emergence and gives "substantial improvements in both model accuracy and \
            training speed, with and without batch normalization", shown after the first epoch against Kaiming and \
            Xavier. Our analysis: for bias-free ReLU layers the rescaling is exactly a per-layer learning-rate \
            change (α^(−2·idx) with SGD), so the equivalent-LR control should train the same; with BatchNorm the \
            forward pass does not change at all; and with an absolute activity threshold E at step 0 goes down, \
            not up.
            """,
        experiments: [
            ClaimExperiment(
                name: "emergence-mlp", title: "MLP 784-256×6-10", quick: quickImages,
                comparisons: emergenceComparisons(), tuning: .sgd),
            ClaimExperiment(
                name: "emergence-mlp-bn", title: "MLP 784-256×6-10 with BatchNorm", quick: quickImages,
                comparisons: emergenceComparisons(), tuning: .sgd),
            ClaimExperiment(
                name: "emergence-cnn", title: "CNN [32] [64] → 128", quick: quickCNN,
                comparisons: emergenceComparisons(), tuning: .sgd),
            ClaimExperiment(
                name: "emergence-transformer", title: "transformer, pre-LN, de-en-numbers", quick: quickTranslation,
                comparisons: emergenceComparisons(), tuning: .adam),
        ])

    static let alphaAndLearningRate = Claim(
        id: "alpha-lr", title: "α against the learning rate",
        source: "seed 000; the reviewers asked for the learning-rate interaction",
        statement: """
            If α's effect is a learning-rate change, then the best α > 1 over a range of learning rates is no \
            better than the best α = 1 (plain Kaiming) over the same range.
            """,
        experiments: [
            ClaimExperiment(
                name: "alpha-lr", title: "MLP 784-256×6-10, α × SGD learning rate", quick: quickImages,
                sweep: ClaimSweep(
                    axes: ["alpha=1,1.1,1.2,1.5", "lr=0.01,0.02,0.05,0.1"],
                    quickAxes: ["alpha=1,1.2,1.5", "lr=0.02,0.05,0.1"]))
        ])

    static func learnedComparisons(base: String) -> [ClaimComparison] {
        ["nio", "gradinit"].flatMap { scheme in
            [
                ClaimComparison(scheme, against: base, on: .firstEpoch, headline: true),
                ClaimComparison(scheme, against: base, on: .final),
                ClaimComparison(scheme, against: base, on: .secondsToTarget, headline: true),
            ]
        }
    }

    static let learnedScales = Claim(
        id: "nio-gradinit", title: "NIO (GradCosine) and GradInit",
        source: "seed 002 and its relatives: Yang et al. 2022 (NIO), Zhu et al. 2021 (GradInit)",
        statement: """
            Learning one scale per tensor before training (NIO: aligned sub-batch gradients under a norm bound; \
            GradInit: the lowest loss after one optimizer step) speeds up convergence and improves accuracy over \
            the base init, and makes a post-LN transformer trainable without warmup. The search's cost counts: \
            seconds to target include it.
            """,
        experiments: [
            ClaimExperiment(
                name: "nio-gradinit-mlp", title: "MLP 784-256×6-10, SGD", quick: quickImages,
                quickInits: [
                    "nio": "nio:base=kaiming,iterations=20", "gradinit": "gradinit:base=kaiming,iterations=20",
                ],
                comparisons: learnedComparisons(base: "kaiming"), tuning: .sgd),
            ClaimExperiment(
                name: "nio-gradinit-postln", title: "post-LN transformer, Adam, no warmup", quick: quickTranslation,
                quickInits: [
                    "nio": "nio:base=xavier,iterations=5", "gradinit": "gradinit:base=xavier,target=adam,iterations=5",
                ],
                comparisons: learnedComparisons(base: "xavier"), tuning: .adam),
        ])

    static let fractionalRuns = ["0.5", "0.8", "1", "2"].flatMap { ["fractional s=\($0)", "fractional s=\($0) t4"] }

    static let fractionalMoment = Claim(
        id: "fractional", title: "Fractional moment-preserving initialization",
        source: "seed 003: Gurbuzbalaban and Hu 2021",
        statement: """
            Choosing σ to preserve the s-th moment of ‖x‖ (s < 2) instead of the second improves training and test \
            performance of deep fully connected networks over Kaiming. s = 2 is Kaiming's variance, as a check; \
            "t4" draws Student-t weights with 4 degrees of freedom at the same σ (heavy-tailed, our extension).
            """,
        experiments: [
            ClaimExperiment(
                name: "fractional-deep-mlp", title: "MLP 784-256×6-10 (the deepest preset)", quick: quickImages,
                comparisons: fractionalRuns.flatMap { run in
                    [
                        ClaimComparison(run, against: "kaiming", on: .firstEpoch, headline: run == "fractional s=0.8"),
                        ClaimComparison(run, against: "kaiming", on: .final, headline: run == "fractional s=0.8"),
                    ]
                }, tuning: .sgd)
        ])

    static let updater = Claim(
        id: "updater", title: "The emergent weight updater",
        source: "seed 001 (a small network that learns to adjust the main network's weights)",
        statement: """
            A tiny network that observes each layer and learns its scale during a warm-up improves on the base \
            init, and repairs a badly scaled start (every layer × 0.3).
            """,
        experiments: [
            ClaimExperiment(
                name: "updater", title: "MLP 784-256×6-10, healthy and ×0.3 starts", quick: quickImages,
                comparisons: [
                    ClaimComparison("updater", against: "kaiming", on: .firstEpoch, headline: true),
                    ClaimComparison("updater", against: "kaiming", on: .final),
                    ClaimComparison("updater from ×0.3", against: "kaiming ×0.3", on: .firstEpoch, headline: true),
                    ClaimComparison("updater from ×0.3", against: "kaiming ×0.3", on: .final, headline: true),
                    ClaimComparison("updater from ×0.3", against: "kaiming", on: .final, expecting: .same),
                ], tuning: .sgd)
        ])
}
