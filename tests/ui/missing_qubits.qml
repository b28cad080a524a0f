param t
circuit {
    ry(t) 0
}
measure expval(Z(0))
