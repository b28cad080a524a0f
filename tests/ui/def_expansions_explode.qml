// Defs that apply each other twice over expand 2^k times; the expansions are counted.
qubits 1
def f0(a) {
}
def f1(a) {
    f0(a) 0
    f0(a) 0
}
def f2(a) {
    f1(a) 0
    f1(a) 0
}
def f3(a) {
    f2(a) 0
    f2(a) 0
}
def f4(a) {
    f3(a) 0
    f3(a) 0
}
def f5(a) {
    f4(a) 0
    f4(a) 0
}
def f6(a) {
    f5(a) 0
    f5(a) 0
}
def f7(a) {
    f6(a) 0
    f6(a) 0
}
def f8(a) {
    f7(a) 0
    f7(a) 0
}
def f9(a) {
    f8(a) 0
    f8(a) 0
}
def f10(a) {
    f9(a) 0
    f9(a) 0
}
def f11(a) {
    f10(a) 0
    f10(a) 0
}
def f12(a) {
    f11(a) 0
    f11(a) 0
}
def f13(a) {
    f12(a) 0
    f12(a) 0
}
def f14(a) {
    f13(a) 0
    f13(a) 0
}
def f15(a) {
    f14(a) 0
    f14(a) 0
}
def f16(a) {
    f15(a) 0
    f15(a) 0
}
def f17(a) {
    f16(a) 0
    f16(a) 0
}
def f18(a) {
    f17(a) 0
    f17(a) 0
}
def f19(a) {
    f18(a) 0
    f18(a) 0
}
def f20(a) {
    f19(a) 0
    f19(a) 0
}
def f21(a) {
    f20(a) 0
    f20(a) 0
}
def f22(a) {
    f21(a) 0
    f21(a) 0
}
def f23(a) {
    f22(a) 0
    f22(a) 0
}
def f24(a) {
    f23(a) 0
    f23(a) 0
}
def f25(a) {
    f24(a) 0
    f24(a) 0
}
def f26(a) {
    f25(a) 0
    f25(a) 0
}
def f27(a) {
    f26(a) 0
    f26(a) 0
}
def f28(a) {
    f27(a) 0
    f27(a) 0
}
def f29(a) {
    f28(a) 0
    f28(a) 0
}
def f30(a) {
    f29(a) 0
    f29(a) 0
}
def f31(a) {
    f30(a) 0
    f30(a) 0
}
def f32(a) {
    f31(a) 0
    f31(a) 0
}
def f33(a) {
    f32(a) 0
    f32(a) 0
}
def f34(a) {
    f33(a) 0
    f33(a) 0
}
def f35(a) {
    f34(a) 0
    f34(a) 0
}
def f36(a) {
    f35(a) 0
    f35(a) 0
}
def f37(a) {
    f36(a) 0
    f36(a) 0
}
def f38(a) {
    f37(a) 0
    f37(a) 0
}
def f39(a) {
    f38(a) 0
    f38(a) 0
}
def f40(a) {
    f39(a) 0
    f39(a) 0
}
circuit {
    f40(0.1) 0
}
measure expval(Z(0))
