//! The registry's rows: every builtin that is not a gate, with its arguments, defaults, shape rule, doc and an example.
//!
//! The facts follow LANGUAGE.md §3, §4.2, §5 and §8. An example is a snippet in the context its
//! kind gives it (`Kind::program` builds the program a test compiles it in).

use super::{Arg, ArgDefault::*, Constant, Entry, Keyword, TrainField};

const fn required(name: &'static str) -> Arg {
    Arg { name, default: Required, named: false }
}

const fn number(name: &'static str, value: f64) -> Arg {
    Arg { name, default: Number(value), named: false }
}

/// An option written `name = value` after the positional arguments.
const fn option(name: &'static str, value: &'static str) -> Arg {
    Arg { name, default: Word(value), named: true }
}

const fn entry(name: &'static str, args: &'static [Arg], doc: &'static str, example: &'static str) -> Entry {
    Entry { name, args, shape: "", doc, example }
}

pub const TEMPLATES: &[Entry] = &[
    Entry {
        name: "angle_embedding",
        args: &[required("features"), option("rotation", "X")],
        shape: "features: [k], k ≤ n",
        doc: "`R(features[i])` on wire i for each feature, R = rx, ry or rz as `rotation` is X, Y or Z",
        example: "angle_embedding(x, rotation = Y)",
    },
    Entry {
        name: "amplitude_embedding",
        args: &[required("features"), option("normalize", "false"), option("pad", "none")],
        shape: "features: [2^n], or [k ≤ 2^n] with `pad`",
        doc: "prepares the state whose amplitudes are the features (padded with `pad`, divided by their norm if \
              `normalize`; otherwise a norm other than 1 is an error at run time); not differentiable in the features",
        example: "amplitude_embedding(x, normalize = true) on 0..2",
    },
    Entry {
        name: "basis_embedding",
        args: &[required("features")],
        shape: "features: [n], each 0 or 1",
        doc: "`x` on wire i where features[i] = 1",
        example: "basis_embedding([1, 0, 1, 1])",
    },
    Entry {
        name: "iqp_embedding",
        args: &[required("features"), option("repeats", "1")],
        shape: "features: [n]",
        doc: "per repeat: `h` and `rz(features[i])` on each wire i, then `multirz(features[i] * features[j])` on \
              every pair i < j",
        example: "iqp_embedding(x, repeats = 2)",
    },
    Entry {
        name: "strongly_entangling_layers",
        args: &[required("weights"), option("ranges", "r_l = (l mod (n − 1)) + 1"), option("imprimitive", "cnot")],
        shape: "weights: [L, n, 3]; ranges: [L]",
        doc: "per layer l: `rot(w[l, i, 0], w[l, i, 1], w[l, i, 2])` on each wire i, then (n > 1) `imprimitive` \
              (`cnot` or `cz`) on (i, (i + r_l) mod n) for each i",
        example: "strongly_entangling_layers([[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]], imprimitive = cz) on 0..2",
    },
    Entry {
        name: "basic_entangler_layers",
        args: &[required("weights"), option("rotation", "X")],
        shape: "weights: [L, n]",
        doc: "per layer: `R(w[l, i])` on each wire, then a ring of `cnot` (i, i + 1 mod n); one `cnot` for n = 2, \
              none for n = 1",
        example: "basic_entangler_layers([theta], rotation = Y)",
    },
    Entry {
        name: "simplified_two_design",
        args: &[required("initial_layer_weights"), required("weights")],
        shape: "initial_layer_weights: [n]; weights: [L, n − 1, 2]",
        doc: "PennyLane's SimplifiedTwoDesign: `ry` on every wire, then per layer blocks of `cz` and two `ry`s on \
              even pairs, then on odd pairs",
        example: "simplified_two_design(theta, [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]])",
    },
    Entry {
        name: "qaoa_embedding",
        args: &[required("features"), required("weights"), option("local_field", "Y")],
        shape: "features: [k], k ≤ n; weights: [L, 2n] for n ≥ 3, [L, 3] for n = 2, [L, 1] for n = 1",
        doc: "PennyLane's QAOAEmbedding: per layer, `rx(features[i])` on wire i (`h` on the wires past the \
              features), then `multirz(w[l, i])` on the ring (i, i + 1 mod n) and the local field \
              (`rx`, `ry` or `rz` as `local_field` is X, Y or Z) `(w[l, n + i])` on each wire (on 2 wires one \
              `multirz` and two fields, on 1 wire one field); the features once more at the end",
        example: "qaoa_embedding(x[0..2], [[0.1, 0.2, 0.3]], local_field = Z) on 0..2",
    },
    Entry {
        name: "random_layers",
        args: &[
            required("weights"),
            option("seed", "42"),
            option("ratio_imprim", "0.3"),
            option("imprimitive", "cnot"),
            option("rotations", "[X, Y, Z]"),
        ],
        shape: "weights: [L, k]",
        doc: "PennyLane's RandomLayers with qmlc's seeded generator (a documented choice, not PennyLane's circuit \
              for the same seed): per layer, until its k weights are placed, with chance `ratio_imprim` \
              `imprimitive` on two random distinct wires, otherwise a random rotation of `rotations` on a random \
              wire taking the next weight",
        example: "random_layers([theta], seed = 7)",
    },
    Entry {
        name: "all_singles_doubles",
        args: &[required("weights"), required("hf"), required("singles"), required("doubles")],
        shape: "weights: [s + d]; hf: [n] bits; singles: [s, 2] and doubles: [d, 4] wire indices (`[]` for none)",
        doc: "PennyLane's AllSinglesDoubles: the basis state `hf`, then `double_excitation(weights[s + j])` on each \
              `doubles[j]`, then `single_excitation(weights[i])` on each `singles[i]`; excitations name the \
              template's wires by position",
        example: "all_singles_doubles(theta[0..3], [1, 1, 0, 0], [[0, 2], [1, 3]], [[0, 1, 2, 3]])",
    },
    Entry {
        name: "basis_state",
        args: &[required("bits")],
        shape: "bits: [n], each 0 or 1",
        doc: "PennyLane's BasisState: `x` on wire i where bits[i] = 1",
        example: "basis_state([1, 0, 1, 1])",
    },
    Entry {
        name: "mps",
        args: &[
            required("block"),
            required("weights"),
            option("n_block_wires", "2"),
            option("offset", "n_block_wires / 2"),
        ],
        shape: "weights: [B, …] with one row per block, each row the shape of the block def's one parameter",
        doc: "PennyLane's MPS: the def `block` applied as `block(weights[b])` to blocks of `n_block_wires` \
              consecutive wires starting `offset` apart (1 ≤ offset < n_block_wires, default ⌊n_block_wires / 2⌋)",
        example: "mps(block, [theta[0..2], theta[2..4], theta[1..3]])",
    },
    Entry {
        name: "ttn",
        args: &[required("block"), required("weights"), option("n_block_wires", "2")],
        shape: "weights: [B, …] with one row per block (B = 2^(k + 1) − 1 for n = n_block_wires · 2^k), each row the \
                shape of the block def's one parameter",
        doc: "PennyLane's TTN: the def `block` applied as `block(weights[b])` to the blocks of a tree, leaves first: \
              layer k joins the upper half of one block of layer k − 1 with the upper half of the next \
              (n_block_wires even)",
        example: "ttn(block, [theta[0..2], theta[2..4], theta[1..3]])",
    },
    Entry {
        name: "z_feature_map",
        args: &[required("features"), option("reps", "2")],
        shape: "features: [n]",
        doc: "Qiskit's `z_feature_map`: per rep, `h` on every wire, then `phase(2 · features[i])` on wire i",
        example: "z_feature_map(x, reps = 1)",
    },
    Entry {
        name: "zz_feature_map",
        args: &[required("features"), option("reps", "2"), option("entanglement", "full")],
        shape: "features: [n], n ≥ 2",
        doc: "Qiskit's `zz_feature_map`: per rep, `h` and `phase(2 · features[i])` on every wire i, then on each \
              entanglement pair (i, j) `cnot i, j; phase(2 (π − features[i]) (π − features[j])) j; cnot i, j`; \
              `entanglement` is `full`, `linear`, `reverse_linear` or `circular`, with Qiskit's pair orders",
        example: "zz_feature_map(x, entanglement = linear)",
    },
    Entry {
        name: "pauli_feature_map",
        args: &[
            required("features"),
            option("paulis", "[\"Z\", \"ZZ\"]"),
            option("reps", "2"),
            option("alpha", "2"),
            option("entanglement", "full"),
        ],
        shape: "features: [n]; each Pauli string at most n letters",
        doc: "Qiskit's `pauli_feature_map`: per rep, `h` on every wire, then for each Pauli string and each \
              entanglement tuple of its length, the string's evolution as Qiskit writes it (a basis change, a \
              `cnot` chain, `phase(alpha φ)`, all undone), φ = features[i] for one wire and Π (π − features[j]) \
              for several; a string's last letter acts on the tuple's first wire",
        example: "pauli_feature_map(x, paulis = [\"Z\", \"XY\"], reps = 1, alpha = 1.5)",
    },
    Entry {
        name: "real_amplitudes",
        args: &[required("weights"), option("reps", "3"), option("entanglement", "reverse_linear")],
        shape: "weights: [(reps + 1) · n]",
        doc: "Qiskit's `real_amplitudes`: per rep, `ry(weights[k])` on every wire, then `cnot` on each \
              entanglement pair (`reverse_linear`, `linear`, `full` or `circular`, as Qiskit orders them); then a \
              last `ry` layer; the weights in Qiskit's parameter order",
        example: "real_amplitudes(theta, reps = 1) on 0..2",
    },
    Entry {
        name: "efficient_su2",
        args: &[required("weights"), option("reps", "3"), option("entanglement", "reverse_linear")],
        shape: "weights: [2 · (reps + 1) · n]",
        doc: "Qiskit's `efficient_su2`: per rep, `ry` on every wire, then `rz` on every wire, then `cnot` on each \
              entanglement pair (as `real_amplitudes`); then a last `ry` and `rz` layer; the weights in Qiskit's \
              parameter order",
        example: "efficient_su2(theta, reps = 1, entanglement = full) on 0..1",
    },
];

pub const OBSERVABLES: &[Entry] = &[
    entry("X", &[required("wire")], "Pauli X on one wire", "expval(X(0))"),
    entry("Y", &[required("wire")], "Pauli Y on one wire", "expval(Y(0))"),
    entry("Z", &[required("wire")], "Pauli Z on one wire", "expval(0.5 * Z(0) @ Z(1) - 1.2 * X(2))"),
    entry("I", &[required("wire")], "the identity on one wire", "expval(I(0))"),
    entry("H", &[required("wire")], "the Hadamard observable on one wire, as PennyLane's", "expval(H(0))"),
    entry(
        "projector",
        &[required("bits"), required("wires")],
        "|b⟩⟨b| on the wires listed after the bits (one bit, 0 or 1, per wire; the first wire most significant), \
         as PennyLane's `qml.Projector(bits, wires)`; eigenvalues 0 and 1",
        "expval(projector([0, 0], 0, 1))",
    ),
    entry(
        "hermitian",
        &[required("matrix"), required("wires")],
        "a real symmetric 2^k × 2^k constant matrix on the k wires listed after it (the first wire most \
         significant), as PennyLane's `qml.Hermitian(matrix, wires)`",
        "expval(hermitian([[1, 2], [2, -1]], 0) @ Z(1))",
    ),
];

pub const MEASUREMENTS: &[Entry] = &[
    entry(
        "expval",
        &[required("observable")],
        "the expectation value: one output, differentiable",
        "expval(Z(0) @ Z(1))",
    ),
    entry("var", &[required("observable")], "the variance: one output, differentiable", "var(X(0))"),
    entry(
        "probs",
        &[required("wires")],
        "the probabilities of the basis states of the wires (all wires when none are listed): 2^k outputs, the \
         first wire most significant; differentiable",
        "probs(0, 1)",
    ),
    entry(
        "sample",
        &[required("observable")],
        "one value per shot; only with `qmlc run`, never in a file that trains",
        "sample(Z(0))",
    ),
    entry("state", &[], "the amplitudes; only with `qmlc run`, never in a file that trains", "state"),
];

pub const FUNCTIONS: &[Entry] = &[
    entry("sin", &[required("x")], "sine", "sin(x[0])"),
    entry("cos", &[required("x")], "cosine", "cos(x[0])"),
    entry("tan", &[required("x")], "tangent", "tan(x[0])"),
    entry("asin", &[required("x")], "arcsine", "asin(0.5)"),
    entry("acos", &[required("x")], "arccosine", "acos(0.5)"),
    entry("atan", &[required("x")], "arctangent", "atan(x[0])"),
    entry("exp", &[required("x")], "e^x", "exp(-x[0])"),
    entry("log", &[required("x")], "the natural logarithm", "log(2)"),
    entry("sqrt", &[required("x")], "the square root", "sqrt(2)"),
    entry("abs", &[required("x")], "the absolute value", "abs(x[0])"),
    entry("floor", &[required("x")], "the largest integer ≤ x", "floor(2.5)"),
    entry("mod", &[required("a"), required("b")], "the remainder of a / b with the sign of b", "mod(5, 4)"),
    entry("tanh", &[required("x")], "the hyperbolic tangent", "tanh(x[0])"),
    entry("sinh", &[required("x")], "the hyperbolic sine", "sinh(x[0])"),
    entry("cosh", &[required("x")], "the hyperbolic cosine", "cosh(x[0])"),
    entry("sigmoid", &[required("x")], "the logistic function 1 / (1 + e^−x)", "pi * sigmoid(x[0])"),
    entry(
        "atan2",
        &[required("y"), required("x")],
        "the angle of the point (x, y), in (−π, π]",
        "atan2(x[0], 1 - x[0])",
    ),
    entry(
        "min",
        &[required("a"), required("b")],
        "the smaller of a and b; its derivative is the chosen argument's (half each on a tie, as PyTorch)",
        "min(x[0], pi / 2)",
    ),
    entry(
        "max",
        &[required("a"), required("b")],
        "the larger of a and b; its derivative is the chosen argument's (half each on a tie, as PyTorch)",
        "max(x[0], 0)",
    ),
    entry(
        "sum",
        &[required("array")],
        "the sum of an array's elements: an input or param, a slice `w[0..2]`, a sub-array or a literal array",
        "sum([x[0], 2 * x[0]])",
    ),
    entry(
        "dot",
        &[required("a"), required("b")],
        "the sum of the elementwise products of two arrays of one shape",
        "dot([x[0], 1], [0.5, 0.25])",
    ),
];

pub const INITIALIZERS: &[Entry] = &[
    entry("zeros", &[], "every element 0", "zeros"),
    entry("ones", &[], "every element 1", "ones"),
    entry("constant", &[required("c")], "every element c", "constant(0.5)"),
    entry(
        "uniform",
        &[required("a"), required("b")],
        "uniform in [a, b) from the run's seed; `uniform(0, 2 * pi)` is the default of a param",
        "uniform(0, 2 * pi)",
    ),
    entry("normal", &[required("mean"), required("std")], "normal from the run's seed", "normal(0, 0.1)"),
];

pub const HEAD_LAYERS: &[Entry] = &[
    entry(
        "linear",
        &[required("k"), option("bias", "true")],
        "a dense layer to k outputs: weights [k, in] and, unless `bias = false`, a bias [k] (PyTorch's default \
         initialization from the seed)",
        "linear(2)",
    ),
    entry(
        "bias",
        &[],
        "adds a trainable bias of the current width, starting at zeros",
        "linear(2, bias = false), bias",
    ),
    entry("scale", &[required("c")], "multiplies every value by the constant c", "tanh, scale(pi / 2)"),
    entry(
        "map",
        &[required("matrix")],
        "a fixed linear map: a constant [out, in] array, e.g. a parity or bitstring-to-class map",
        "map([[1, 0], [0, 1], [1, 1]])",
    ),
    entry("relu", &[], "max(0, v) on every value", "linear(4), relu, linear(2)"),
    entry("tanh", &[], "tanh on every value", "tanh"),
    entry("sigmoid", &[], "1 / (1 + e^−v) on every value", "sigmoid"),
    entry("softmax", &[], "e^v_i / Σ_j e^v_j: the values become probabilities", "linear(3), softmax"),
];

pub const DATA_SOURCES: &[Entry] = &[
    entry(
        "csv",
        &[required("path"), required("label"), option("columns", "every other column")],
        "a CSV file, the path relative to the .qml file; `label` names the label column (or several, \
         `[\"y1\", \"y2\"]`, a vector target for `mse`), `columns` the feature columns (kept in file order); \
         without `columns` every other column is a feature, in file order",
        "csv(\"data.csv\", label = \"y\")",
    ),
    entry(
        "moons",
        &[number("samples", 100.0), number("noise", 0.1)],
        "scikit-learn's two moons: 2 features, labels 0 and 1",
        "moons(samples = 200, noise = 0.1)",
    ),
    entry(
        "circles",
        &[number("samples", 100.0), number("noise", 0.05), number("factor", 0.5)],
        "scikit-learn's two circles, the inner one `factor` times the outer: 2 features, labels 0 and 1",
        "circles(samples = 200)",
    ),
    entry(
        "iris",
        &[option("classes", "[0, 1, 2]"), option("columns", "[0, 1, 2, 3]")],
        "Fisher's iris data: 150 rows, 4 features (sepal length and width, petal length and width), 3 classes \
         (setosa, versicolor, virginica); `classes` keeps the rows of those classes and `columns` those features, \
         by index, in table order",
        "iris()",
    ),
    entry(
        "parity",
        &[Arg { name: "bits", default: Word("the number of qubits"), named: false }],
        "every bit string of that length, labelled by its parity",
        "parity(bits = 2)",
    ),
    entry(
        "xor",
        &[number("samples", 100.0)],
        "points in the square, labelled by the XOR of their signs",
        "xor(samples = 50)",
    ),
];

pub const FEATURE_MAPS: &[Entry] = &[
    entry(
        "scale",
        &[required("a"), required("b")],
        "min-max scales each feature into [a, b], using the training split's range",
        "scale(0, pi)",
    ),
    entry(
        "standardize",
        &[],
        "zero mean and unit variance per feature over the training rows (population standard deviation, as \
         scikit-learn's StandardScaler; a constant feature becomes 0)",
        "standardize",
    ),
    entry("none", &[], "the features as they are", "none"),
];

pub const LOSSES: &[Entry] = &[
    entry(
        "mse",
        &[],
        "the mean squared error over every output entry, as PyTorch's MSELoss: against the numeric label (one \
         output), the label columns (`label = [\"y1\", \"y2\"]`, one output each), the class as a one-hot vector \
         (`mse(onehot)`) or as a ±1 vector (`mse(signed)`; with one output, −1 and +1 for two classes)",
        "mse",
    ),
    entry(
        "cross_entropy",
        &[],
        "softmax over the outputs, then −log p[label]; the sorted distinct labels become class indices",
        "cross_entropy",
    ),
    entry("hinge", &[], "max(0, 1 − label · output) with labels ±1", "hinge"),
    entry(
        "nll",
        &[],
        "the outputs are class probabilities (`probs`, or a `softmax` head): −log p[label], the log clamped at \
         −100 as PyTorch's BCELoss clamps it; the sorted distinct labels become class indices",
        "nll",
    ),
    entry(
        "bce",
        &[],
        "binary cross-entropy of one output in (0, 1) against labels 0 and 1, as PyTorch's BCELoss (logs \
         clamped at −100)",
        "bce",
    ),
];

pub const OPTIMIZERS: &[Entry] = &[
    entry("sgd", &[required("lr")], "plain gradient descent", "sgd(lr = 0.1)"),
    entry("momentum", &[required("lr"), number("beta", 0.9)], "PyTorch's SGD with momentum", "momentum(lr = 0.1)"),
    entry(
        "nesterov",
        &[required("lr"), number("beta", 0.9)],
        "PyTorch's SGD with Nesterov momentum",
        "nesterov(0.1, beta = 0.8)",
    ),
    entry("adagrad", &[number("lr", 0.01), number("eps", 1e-10)], "PyTorch's Adagrad", "adagrad(lr = 0.05)"),
    entry(
        "rmsprop",
        &[number("lr", 0.01), number("alpha", 0.99), number("eps", 1e-8)],
        "PyTorch's RMSprop",
        "rmsprop(lr = 0.01)",
    ),
    entry(
        "adam",
        &[number("lr", 0.001), number("beta1", 0.9), number("beta2", 0.999), number("eps", 1e-8)],
        "PyTorch's Adam; the betas are in [0, 1)",
        "adam(lr = 0.01)",
    ),
    entry(
        "spsa",
        &[number("a", 0.1), number("c", 0.2)],
        "PennyLane's SPSAOptimizer: two evaluations per step whatever the param count, perturbations from the seed",
        "spsa(a = 0.2, c = 0.1)",
    ),
    entry(
        "rotosolve",
        &[],
        "PennyLane's RotosolveOptimizer: each epoch sets every param in turn to the minimum of the objective's sinusoid \
         in it (closed form, three evaluations per param); needs `minimize`/`maximize`, no head, and each param in one \
         angle of a two-term-rule gate as ±param + c",
        "rotosolve",
    ),
    entry(
        "cobyla",
        &[number("rhobeg", 1.0)],
        "COBYLA (NLopt's, as the `cobyla` crate): derivative-free, one evaluation of the loss per epoch, stops when its \
         trust region shrinks below 1e-4 (SciPy's `tol`)",
        "cobyla(rhobeg = 0.5)",
    ),
    entry(
        "lbfgs",
        &[number("lr", 1.0), number("history", 10.0)],
        "PyTorch's LBFGS with one iteration per step and no line search: the two-loop recursion over the last \
         `history` steps, the first step scaled by min(1, 1/‖g‖₁)",
        "lbfgs(lr = 0.5)",
    ),
    Entry {
        name: "qng",
        args: &[required("lr"), option("approx", "block_diag"), number("lam", 0.0)],
        shape: "",
        doc: "PennyLane's QNGOptimizer: params − lr · pinv(g + lam·I) ∇f with g the metric tensor (`block_diag` or \
              `diag`), one block per param declaration; needs `minimize`/`maximize`, exact execution and no head",
        example: "qng(lr = 0.1, approx = diag)",
    },
];

pub const SCHEDULES: &[Entry] = &[
    entry(
        "step",
        &[required("every"), required("gamma")],
        "PyTorch's StepLR: the learning rate times `gamma` every `every` epochs",
        "step(every = 10, gamma = 0.5)",
    ),
    entry(
        "exponential",
        &[required("gamma")],
        "PyTorch's ExponentialLR: the learning rate times `gamma` every epoch",
        "exponential(gamma = 0.95)",
    ),
    entry(
        "cosine",
        &[number("min_lr", 0.0)],
        "PyTorch's CosineAnnealingLR with T_max = epochs: min_lr + (lr − min_lr)(1 + cos(π·t/T_max))/2 after epoch t",
        "cosine(min_lr = 0.001)",
    ),
];

pub const GRADIENT_METHODS: &[Entry] = &[
    entry("auto", &[], "`adjoint` when exact, `parameter_shift` with shots or when it needs fewer evaluations", "auto"),
    entry("adjoint", &[], "the adjoint method: one forward pass, backward sweeps; exact execution only", "adjoint"),
    entry(
        "parameter_shift",
        &[],
        "the parameter-shift rules of the gate table (two- or four-term); works with shots",
        "parameter_shift",
    ),
    entry("finite_diff", &[], "central differences, step 1e-6; exact execution only, for checking", "finite_diff"),
];

pub const TRAIN_FIELDS: &[TrainField] = &[
    TrainField {
        name: "data",
        values: "a data source",
        default: "required, without an objective",
        doc: "the rows to train on",
    },
    TrainField {
        name: "minimize",
        values: "no value",
        default: "none",
        doc: "train the model's single output without data (an energy): an epoch is one optimizer step",
    },
    TrainField {
        name: "maximize",
        values: "no value",
        default: "none",
        doc: "as `minimize`, stepping on the negated output; reports the output as it is",
    },
    TrainField {
        name: "test",
        values: "a data source",
        default: "none",
        doc: "a fixed test set, instead of `split`; scaling is fitted on the `data` rows alone",
    },
    TrainField { name: "features", values: "a feature map", default: "none", doc: "how features are scaled" },
    TrainField {
        name: "split",
        values: "a fraction in (0, 1]",
        default: "1.0",
        doc: "the fraction of rows for training; the rest is the test set",
    },
    TrainField {
        name: "shuffle",
        values: "true, false",
        default: "true",
        doc: "reshuffle the training rows every epoch from the seed",
    },
    TrainField { name: "loss", values: "a loss", default: "mse", doc: "what is minimized, the batch mean" },
    TrainField { name: "optimizer", values: "an optimizer", default: "adam(lr = 0.01)", doc: "the update rule" },
    TrainField {
        name: "schedule",
        values: "a schedule",
        default: "none",
        doc: "scales the optimizer's learning rate after each epoch, as PyTorch's schedulers",
    },
    TrainField { name: "epochs", values: "a positive integer", default: "10", doc: "passes over the training rows" },
    TrainField {
        name: "batch",
        values: "a positive integer",
        default: "32",
        doc: "rows per update; the last batch of an epoch may be smaller",
    },
    TrainField { name: "gradient", values: "a gradient method", default: "auto", doc: "how gradients are taken" },
    TrainField {
        name: "shots",
        values: "a positive integer, none",
        default: "none",
        doc: "estimate the outputs from this many samples; `none` is exact",
    },
    TrainField {
        name: "seed",
        values: "an integer ≥ 0",
        default: "0",
        doc: "drives initial params, head init, data generation, shuffling, shots and SPSA",
    },
    TrainField {
        name: "patience",
        values: "a positive integer",
        default: "none",
        doc: "stop when the test loss has not improved for this many epochs",
    },
];

pub const CONSTANTS: &[Constant] = &[
    Constant { name: "pi", value: std::f64::consts::PI, doc: "π" },
    Constant { name: "tau", value: std::f64::consts::TAU, doc: "2π" },
    Constant { name: "e", value: std::f64::consts::E, doc: "Euler's number" },
];

pub const KEYWORDS: &[Keyword] = &[
    Keyword { name: "qubits", declaration: true, doc: "`qubits N`: the register, wires 0..N; exactly one per file" },
    Keyword { name: "input", declaration: true, doc: "`input x[4]`: data, bound per sample; not trainable" },
    Keyword { name: "param", declaration: true, doc: "`param w[3, 4] = INIT`: trainable parameters" },
    Keyword { name: "const", declaration: true, doc: "`const n = EXPR`: a compile-time number" },
    Keyword { name: "def", declaration: true, doc: "`def name(a, b[2]) { BODY }`: a reusable sub-circuit" },
    Keyword { name: "circuit", declaration: true, doc: "`circuit { BODY }`: the model's circuit" },
    Keyword { name: "measure", declaration: true, doc: "`measure M, …`: what the model outputs, in order" },
    Keyword { name: "head", declaration: true, doc: "`head LAYER, …`: a classical head on the outputs" },
    Keyword { name: "train", declaration: true, doc: "`train [NAME] { FIELDS }`: a training recipe" },
    Keyword { name: "for", declaration: false, doc: "`for i in A..B { … }`: a loop over a half-open range" },
    Keyword { name: "in", declaration: false, doc: "the range of a `for`" },
    Keyword { name: "on", declaration: false, doc: "`TEMPLATE(…) on WIRES`: where a template is placed" },
    Keyword { name: "adj", declaration: false, doc: "`adj { BODY }`: the inverse of BODY" },
    Keyword {
        name: "ctrl", declaration: false, doc: "`ctrl(c, …) { BODY }`: BODY controlled on wires c, … being |1>"
    },
    Keyword { name: "true", declaration: false, doc: "the boolean true" },
    Keyword { name: "false", declaration: false, doc: "the boolean false" },
];
