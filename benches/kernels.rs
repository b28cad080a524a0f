//! Criterion benchmarks of the gate kernels and the cache-blocked executor: `cargo bench --bench kernels`.
//!
//! Each kernel is timed on 16 and 20 qubits with criterion's throughput in amplitudes, so the
//! report reads as amplitudes per second (the inverse of nanoseconds per amplitude). The ring
//! workload (5 layers of `ry` on every wire and a CNOT ring) is timed through `blocked::apply_all`
//! (with and without `fuse`) and one kernel at a time, next to one read-and-write pass over the state as the yardstick.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use num_complex::Complex64;
use qmlc::ir::{GateKind, Wire};
use qmlc::sim::blocked;
use qmlc::sim::kernels::{fuse, gate_kernel, Kernel};

/// A normalised state with every amplitude nonzero, so that no branch can skip work.
fn random_state(n_qubits: usize) -> Vec<Complex64> {
    let len = 1usize << n_qubits;
    let scale = 1.0 / (len as f64).sqrt();
    (0..len).map(|index| Complex64::from_polar(scale, index as f64 * 0.37)).collect()
}

/// The kernel of `kind` on `wires`, wire 0 the most significant bit as in the simulator.
fn kernel(n_qubits: usize, kind: GateKind, wires: &[u32], angles: &[f64]) -> Kernel {
    let wires: Vec<Wire> = wires.iter().map(|wire| Wire(*wire)).collect();
    gate_kernel(kind, &wires, &[], angles, |wire: Wire| n_qubits - 1 - wire.0 as usize)
}

/// 5 layers of (ry on every wire, CNOT ring), as kernels in circuit order.
fn ring_kernels(n_qubits: usize) -> Vec<Kernel> {
    let n = n_qubits as u32;
    let mut kernels = Vec::new();
    for layer in 0..5u32 {
        for wire in 0..n {
            kernels.push(kernel(n_qubits, GateKind::RY, &[wire], &[0.1 + 0.01 * f64::from(layer * n + wire)]));
        }
        for wire in 0..n {
            kernels.push(kernel(n_qubits, GateKind::CNOT, &[wire, (wire + 1) % n], &[]));
        }
    }
    kernels
}

fn single_kernels(criterion: &mut Criterion) {
    for n_qubits in [16usize, 20] {
        let n = n_qubits as u32;
        let parallel = n_qubits >= 14;
        let cases = [
            ("dense1_low_bit", kernel(n_qubits, GateKind::RY, &[n - 1], &[0.3])),
            ("dense1_middle_bit", kernel(n_qubits, GateKind::RY, &[n / 2], &[0.3])),
            ("dense1_high_bit", kernel(n_qubits, GateKind::RY, &[0], &[0.3])),
            ("cnot_middle_to_low", kernel(n_qubits, GateKind::CNOT, &[n / 2, n - 1], &[])),
            ("rz_phase_middle_bit", kernel(n_qubits, GateKind::RZ, &[n / 2], &[0.3])),
            ("cphase_two_bits", kernel(n_qubits, GateKind::CPhase, &[1, n - 2], &[0.3])),
        ];
        let mut group = criterion.benchmark_group(format!("kernel_{n_qubits}q"));
        group.throughput(Throughput::Elements(1 << n_qubits));
        group.sample_size(20);
        for (name, kernel) in cases {
            let mut amplitudes = random_state(n_qubits);
            group.bench_function(BenchmarkId::from_parameter(name), |bencher| {
                bencher.iter(|| kernel.apply(black_box(&mut amplitudes), parallel))
            });
        }
        group.finish();
    }
}

/// The ring workload on 20 and 22 qubits; `RAYON_NUM_THREADS` sets the threads.
fn ring_workload(criterion: &mut Criterion) {
    for n_qubits in [20usize, 22] {
        let kernels = ring_kernels(n_qubits);
        let mut group = criterion.benchmark_group(format!("ring_{n_qubits}q"));
        // Throughput in gate-amplitudes: one element is one gate applied to one amplitude.
        group.throughput(Throughput::Elements(kernels.len() as u64 * (1 << n_qubits)));
        group.sample_size(10);
        let mut amplitudes = random_state(n_qubits);
        group.bench_function("one_by_one", |bencher| {
            bencher.iter(|| {
                for kernel in &kernels {
                    kernel.apply(black_box(&mut amplitudes), true);
                }
            })
        });
        group.bench_function("apply_all", |bencher| {
            bencher.iter(|| blocked::apply_all(black_box(&mut amplitudes), &kernels, true))
        });
        // As the simulator runs a circuit: fused first (the fusion is timed too).
        group.bench_function("fuse_then_apply_all", |bencher| {
            bencher.iter(|| blocked::apply_all(black_box(&mut amplitudes), &fuse(&kernels), true))
        });
        group.finish();
        let mut group = criterion.benchmark_group(format!("pass_{n_qubits}q"));
        group.throughput(Throughput::Elements(1 << n_qubits));
        group.sample_size(10);
        let factor = Complex64::new(0.6, 0.8);
        group.bench_function("read_and_write", |bencher| {
            bencher.iter(|| {
                for amplitude in black_box(&mut amplitudes).iter_mut() {
                    *amplitude *= factor;
                }
            })
        });
        group.finish();
    }
}

/// The ring workload on small states, with and without threads: where splitting a kernel over
/// threads starts to pay (`PARALLEL_MIN_QUBITS` in `sim/state.rs`).
fn parallel_threshold(criterion: &mut Criterion) {
    for n_qubits in 12usize..=17 {
        let kernels = fuse(&ring_kernels(n_qubits));
        let mut group = criterion.benchmark_group(format!("threshold_{n_qubits}q"));
        group.sample_size(20);
        let mut amplitudes = random_state(n_qubits);
        for parallel in [false, true] {
            let name = if parallel { "parallel" } else { "sequential" };
            group.bench_function(name, |bencher| {
                bencher.iter(|| blocked::apply_all(black_box(&mut amplitudes), &kernels, parallel))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, single_kernels, ring_workload, parallel_threshold);
criterion_main!(benches);
