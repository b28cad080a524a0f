// Spacing around operators: one space around + - * / % @ and =, none around ^ and ..;
// numbers and parentheses exactly as written.
qubits 3
input x[ 2 ]
param w[2,3]=normal( 0,0.1 )
const scale=2.50
const tiny=1E-3
const half=.5
const power=-2^2
const grouped=((1+2))*3%2
circuit {
    rx(x[0]*scale+w[0,0]/2) 0
    ry( -x[1] ^ 2 ) 1
    rz(tiny-(half-power)) 2
    cnot 0,1
    cnot 1 , 2
    h on 0 .. 3
    rot(w[1,0],w[1,1],w[1,2]) 2
    angle_embedding(x,rotation=Y) on 0..2
}
measure expval( 0.5*Z(0)@Z(1) + X(2) ), probs(0,1)
