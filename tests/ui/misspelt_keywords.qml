qubit 2
parm w[2]
circut {
    ry(w[0]) 0
}
mesure expval(Z(0))
