qubits 3
param t
circuit { ry(t) 0 }
measure expval(hermitian([[1, 2], [0, 1]], 0))
measure expval(hermitian([[1, 0], [0, 1]], 0, 1))
measure expval(hermitian([1, 0], 0))
measure expval(hermitian([[1, 0], [0, 1]], 2, 2))
measure var(hermitian([[1, 0], [0, 1]]))
measure expval(hermitian([[t, 0], [0, 1]], 0))
measure expval(hermitian([[1, 0], [0, 1]], 0) @ projector([0, 1], 1, 0))
