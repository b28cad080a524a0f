// VQE for the hydrogen molecule, as PennyLane's VQE demo (tutorial_vqe) writes it: the H2
// Hamiltonian at the demo's geometry (two H atoms at z = ±0.6614 bohr, STO-3G, Jordan-Wigner,
// 4 qubits, 15 terms; from qml.qchem.molecular_hamiltonian, see tests/fixtures/h2/), the
// Hartree-Fock state |1100⟩, and one DoubleExcitation whose angle is trained.
//
// The ground-state (FCI) energy is -1.1361891625218803 Ha, reached at
// theta = 0.20973288911667554; at theta = 0 (Hartree-Fock) the energy is
// -1.1173489211359304 Ha and its gradient -0.1790003362520797.
qubits 4

param theta = 0

circuit {
    x 0
    x 1
    double_excitation(theta) 0, 1, 2, 3
}

measure expval(-0.042072551947439224 * I(0) + 0.1777135822909176 * Z(0) + 0.1777135822909176 * Z(1) + 0.17059759276836803 * Z(0) @ Z(1) - 0.2427450126094144 * Z(2) + 0.12293330449299361 * Z(0) @ Z(2) + 0.16768338855601356 * Z(1) @ Z(2) + 0.044750084063019925 * Y(0) @ X(1) @ X(2) @ Y(3) - 0.044750084063019925 * Y(0) @ Y(1) @ X(2) @ X(3) - 0.044750084063019925 * X(0) @ X(1) @ Y(2) @ Y(3) + 0.044750084063019925 * X(0) @ Y(1) @ Y(2) @ X(3) - 0.2427450126094144 * Z(3) + 0.16768338855601356 * Z(0) @ Z(3) + 0.12293330449299361 * Z(1) @ Z(3) + 0.1762766139418181 * Z(2) @ Z(3))

// The demo's optimizer: gradient descent with step 0.4 for 100 steps.
train {
    minimize
    optimizer sgd(lr = 0.4)
    epochs    100
}
