qubits 2
input x[2]
param w[2]
circuit {
    angle_embedding(x)
    ry(w[0]) 0
    ry(w[1]) 1
}
measure expval(Z(0)), expval(Z(1))
head linear(2)
train both { data moons(); test moons(samples = 50); split 0.8; loss cross_entropy }
train wide { data iris(classes = [0, 2]); loss cross_entropy }
train narrow_test { data iris(classes = [0, 2], columns = [1, 2]); test iris(classes = [0, 2]); loss cross_entropy }
train out_of_range { data iris(classes = [0, 3], columns = [0, 1]); loss cross_entropy }
train repeated { data csv("d.csv", label = "y", columns = ["a", "a"]); loss cross_entropy }
train label_as_feature { data csv("d.csv", label = "y", columns = ["a", "y"]); loss cross_entropy }
train positional { data iris([0, 1]); loss cross_entropy }
train counted { data csv("d.csv", label = "y", columns = ["a", "b", "c"]); loss cross_entropy }
train standardized { data iris(columns = [0, 1], classes = [1, 2]); features standardize; loss cross_entropy }
