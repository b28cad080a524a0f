// Regression with `mse` on a CSV file shipped beside this model: learn y ≈ 0.8 sin(x)
// from 120 noisy samples in examples/data/sine.csv. One qubit re-uploads x in every layer
// with a trainable scale and offset; <Z> is the prediction.
qubits 1

input x
param w[3, 3] = normal(0, 0.5)

circuit {
    for l in 0..3 {
        ry(w[l, 0] * x + w[l, 1]) 0
        rz(w[l, 2]) 0
    }
}

measure expval(Z(0))

train {
    data      csv("data/sine.csv", label = "y")
    split     0.8
    loss      mse
    optimizer adam(lr = 0.05)
    epochs    60
    batch     16
    seed      1
}
