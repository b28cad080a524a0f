// Train-block fields are aligned one column after the longest name in the block.
qubits 2
input x[2]
param w[2]
circuit { angle_embedding(x) on 0..2; ry(w[0]) 0; ry(w[1]) 1 }
measure expval(Z(0))
train {
  data moons(samples=200,noise=0.1)
  loss mse
  optimizer adam(lr=0.01)   // a trailing comment
  epochs 50
}
train quick { data xor() }
train slow { data xor(samples = 8); epochs 2 }
train short {
    seed 1
}
train empty {}
