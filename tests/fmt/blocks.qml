// A block with one gate written on one line stays on one line; every other block gets a
// line per statement, and `;` splits statements onto lines of their own.
qubits 3
param t
def bell(a) { h a; cnot a, a + 1 }
def empty() {
}
def single(a) {
    h a
}
circuit { bell 0 }
circuit {
  for i in 0..2 { single i }
      adj { rx(t) 0 }
  ctrl(0, 1) { x 2 }
  { h 0; h 1 }
  for i in 0..3 {
  for j in 0..i { cnot j, i } }
}
measure for i in 0..3 { expval(Z(i)), var(X(i)) }
measure for i in 0..3 {
    expval(Y(i))
    probs(i) }
head linear(2),relu,linear(1)
