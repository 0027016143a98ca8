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

    /// Against Kaiming and Xavier at every α, the control beside each, and E at step 0.
    static func emergenceComparisons(_ alphas: [String]) -> [ClaimComparison] {
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
                ClaimComparison(run, against: "kaiming", on: .initialLog10E, headline: alpha == alphas[0]),
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
        analysis: """
            Why: in a bias-free ReLU net the rescaling changes no function, only how fast each layer learns \
            (×α^(−2·idx) with SGD), which the equivalent-LR control reproduces; deep nets amplify it, since the \
            early layers' rates grow as α^(2N). With BatchNorm every hidden layer is scale-invariant, but the \
            output layer has no BatchNorm after it, so its logits start α^N times larger: this is why BatchNorm \
            runs at α ≥ 1.5 can differ from their control, which starts at Kaiming's logits. Under BatchNorm every \
            normalised unit is active by the activation criterion, so E is 0 (log10 E = −∞) for every init; the \
            BatchNorm experiment measures E by the weight criterion (mean |incoming weight| > τ) instead, which \
            the rescaling does move. The output layer's own term log10 E_l is −∞ in every net: all logits are \
            active, and E_l counts paths through inactive nodes only.
            """,
        experiments: [
            ClaimExperiment(
                name: "emergence-mlp", title: "MLP 784-256×6-10", quick: quickImages,
                comparisons: emergenceComparisons(["1.2", "1.5"]), tuning: .sgd),
            ClaimExperiment(
                name: "emergence-deep-mlp", title: "plain MLP 784-128×20-10", quick: quickImages,
                comparisons: emergenceComparisons(["1.05", "1.1"]), tuning: .sgd,
                regimes: [
                    ClaimRegime(
                        "at depth 20 Kaiming trains worse after the first epoch than at depth 6",
                        .worse(arm: "kaiming", than: "kaiming", of: "emergence-mlp", measure: .firstEpoch))
                ]),
            ClaimExperiment(
                name: "emergence-mlp-bn", title: "MLP 784-256×6-10 with BatchNorm", quick: quickImages,
                comparisons: emergenceComparisons(["1.2", "1.5", "2"]), tuning: .sgd),
            ClaimExperiment(
                name: "emergence-cnn", title: "CNN [16] [32] → 64, whole epochs", quick: quickCNN,
                comparisons: emergenceComparisons(["1.2", "1.5"]), tuning: .sgdOneEpoch),
            ClaimExperiment(
                name: "emergence-transformer", title: "transformer, pre-LN, de-en-numbers", quick: quickTranslation,
                comparisons: emergenceComparisons(["1.2", "1.5"]), tuning: .adam),
        ])

    static let alphaAndLearningRate = Claim(
        id: "alpha-lr", title: "α against the learning rate",
        source: "seed 000; the reviewers asked for the learning-rate interaction",
        statement: """
            If α's effect is a learning-rate change, then the best α > 1 over a range of learning rates is no \
            better than the best α = 1 (plain Kaiming) over the same range.
            """,
        analysis: """
            Why: if α acts as a per-layer learning rate, a grid over the learning rate finds what α finds; α \
            adds something only if its best cell beats plain Kaiming's best cell.
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
        analysis: """
            Why: both learn one scale per tensor before training; where the base init already trains, a \
            scale has little to fix and its search is pure cost (seconds to target include it). The regime they \
            address is a post-LN transformer whose first Adam steps, without warmup, push the residual stream \
            out of range: only there can a better starting scale decide the run.
            """,
        experiments: [
            ClaimExperiment(
                name: "nio-gradinit-mlp", title: "MLP 784-256×6-10, SGD", quick: quickImages,
                quickInits: [
                    "nio": "nio:base=kaiming,iterations=20", "gradinit": "gradinit:base=kaiming,iterations=20",
                ],
                comparisons: learnedComparisons(base: "kaiming"), tuning: .sgd),
            // No tuning here: the claim is about one setting (a rate at which post-LN fails
            // without warmup); a tuned rate would leave the regime.
            ClaimExperiment(
                name: "nio-gradinit-postln", title: "post-LN transformer 4+4 layers, Adam 0.01, no warmup",
                quick: quickTranslation + [(["model", "encoder_layers"], .number(2)), (["model", "decoder_layers"], .number(2))],
                quickInits: [
                    "nio": "nio:base=xavier,iterations=5", "gradinit": "gradinit:base=xavier,target=adam,iterations=5",
                ],
                comparisons: learnedComparisons(base: "xavier"),
                regimes: [
                    ClaimRegime(
                        "Xavier fails on this post-LN transformer without warmup (final token accuracy below 50 %, "
                            + "or half its runs diverge)", .fails(arm: "xavier", measure: .final, below: 0.5))
                ]),
        ])

    /// The fractional arms of an experiment and their comparisons with Kaiming.
    static func fractionalComparisons(_ runs: [String], headline: String) -> [ClaimComparison] {
        runs.flatMap { run in
            [
                ClaimComparison(run, against: "kaiming", on: .firstEpoch, headline: run == headline),
                ClaimComparison(run, against: "kaiming", on: .final, headline: run == headline),
            ]
        }
    }

    /// The regime: the fractional σ must differ from Kaiming's by 5 % in some layer.
    static let fractionalRegime = ClaimRegime(
        "its weights differ from Kaiming's (a layer's σ at least 5 % apart)", .weightsDiffer(byAtLeast: 0.05))

    static let narrowRuns = ["fractional s=0.5", "fractional s=1", "fractional s=0.5 t4", "fractional s=1 t4"]

    static func narrow(_ activation: String, _ title: String) -> ClaimExperiment {
        ClaimExperiment(
            name: "fractional-narrow-\(activation)", title: "narrow MLP 784-16×10-10, \(title)", quick: quickImages,
            comparisons: fractionalComparisons(narrowRuns, headline: "fractional s=0.5"), tuning: .sgd,
            regimes: [fractionalRegime])
    }

    static let fractionalMoment = Claim(
        id: "fractional", title: "Fractional moment-preserving initialization",
        source: "seed 003: Gurbuzbalaban and Hu 2021",
        statement: """
            Choosing σ to preserve the s-th moment of ‖x‖ (s < 2) instead of the second improves training and test \
            performance of deep fully connected networks over Kaiming, most where the nets are narrow and the \
            tails heavy. "t4" draws Student-t weights with 4 degrees of freedom at the same σ (heavy tails).
            """,
        analysis: """
            Why: the fractional σ departs from Kaiming's only where the fan-in is small: at fan-in 256 the \
            s-th moment of a ReLU layer's output concentrates, and every s gives Kaiming's σ within a fraction \
            of a percent, so the wide net cannot tell them apart. Narrow nets keep the difference, and ten \
            narrow layers compound it.
            """,
        experiments: [
            narrow("relu", "ReLU"), narrow("leaky", "leaky ReLU"), narrow("linear", "linear"),
            ClaimExperiment(
                name: "fractional-deep-mlp", title: "MLP 784-256×6-10 (wide: fan-in 256)", quick: quickImages,
                comparisons: fractionalComparisons(
                    ["fractional s=0.5", "fractional s=0.8", "fractional s=0.5 t4"], headline: "fractional s=0.8"),
                tuning: .sgd, regimes: [fractionalRegime]),
        ])

    static let updater = Claim(
        id: "updater", title: "The emergent weight updater",
        source: "seed 001 (a small network that learns to adjust the main network's weights)",
        statement: """
            A tiny network that observes each layer and learns its scale during a warm-up improves on the base \
            init, and repairs a badly scaled start (every layer × 0.3).
            """,
        analysis: """
            Why: the updater adjusts each layer's scale from what it observes during a warm-up; from a \
            healthy start there is little to adjust, from a start scaled ×0.3 the signal shrinks layer by layer \
            and a learned scale can restore it.
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
