qubits 3
const bits = [0, 2]
circuit { h 0 }
measure expval(projector(bits, 0, 1))
measure expval(projector([0, 0.5], 0, 1))
measure expval(projector([0, 1, 1], 0, 1))
measure expval(projector([0, 0], 1, 1))
measure expval(projector([0, 1]))
measure expval(projector(bits = [0], wires = 0))
measure expval(projector([1], 0) @ Z(0))
measure expval(projector([0, 0], [0, 1]))
