

// header comment
qubits 2 // two


input x[2]   // data
param w[2,2]=normal(0,0.1)     // weights
/* block */ const n = 2
circuit { // opens
    // first
    ry(x[0]) 0; rx(  (w[0,0]+1)*2^-x[1] ) 1    // trailing
    for i in 0..n-1 {
        cnot i,i+1

        // after blank
    }
    adj { rz(1e-3) 0 }
    ctrl(0) { x 1 }


    h 0 /* in */ ; h 1
} // closes
measure expval(Z(0) @ Z(1)),
        probs(0) // after list
measure for i in 0..2 {
   expval(Z(i)), // one
   var(X(i))
}
train fit { data xor(); loss mse; optimizer adam(lr=.05) } // t
// end
