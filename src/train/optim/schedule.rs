//! Learning-rate schedules, PyTorch's StepLR, ExponentialLR and CosineAnnealingLR in their closed forms.

use crate::ir::Schedule;

/// The learning rate after `epochs_done` epochs (PyTorch's `last_epoch`), from the initial rate
/// `base` over a run of `total_epochs` (CosineAnnealingLR's T_max).
///
/// The closed forms PyTorch documents (its `_get_closed_form_lr`): base · γ^⌊t/every⌋,
/// base · γ^t, and min_lr + (base − min_lr)(1 + cos(π t / T_max)) / 2.
pub(crate) fn scheduled_learning_rate(schedule: Schedule, base: f64, epochs_done: usize, total_epochs: usize) -> f64 {
    let t = epochs_done as f64;
    match schedule {
        Schedule::Step { every, gamma } => base * gamma.powi((epochs_done / every.max(1)) as i32),
        Schedule::Exponential { gamma } => base * gamma.powf(t),
        Schedule::Cosine { min_lr } => {
            let t_max = total_epochs.max(1) as f64;
            min_lr + (base - min_lr) * (1.0 + (std::f64::consts::PI * t / t_max).cos()) / 2.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_lr_multiplies_every_so_many_epochs() {
        // torch: StepLR(step_size=2, gamma=0.5) from lr 0.1 gives 0.1, 0.1, 0.05, 0.05, 0.025.
        let rates: Vec<f64> =
            (0..5).map(|t| scheduled_learning_rate(Schedule::Step { every: 2, gamma: 0.5 }, 0.1, t, 5)).collect();
        let expected = [0.1, 0.1, 0.05, 0.05, 0.025];
        for (rate, want) in rates.iter().zip(expected) {
            assert!((rate - want).abs() < 1e-15, "{rates:?}");
        }
    }

    #[test]
    fn exponential_lr_multiplies_every_epoch() {
        let rate = scheduled_learning_rate(Schedule::Exponential { gamma: 0.9 }, 0.2, 3, 10);
        assert!((rate - 0.2 * 0.729).abs() < 1e-15);
    }

    #[test]
    fn cosine_annealing_follows_the_closed_form() {
        let schedule = Schedule::Cosine { min_lr: 0.01 };
        // t = 0: the base rate; t = T_max / 2: the midpoint; t = T_max: min_lr.
        assert!((scheduled_learning_rate(schedule, 0.1, 0, 4) - 0.1).abs() < 1e-15);
        assert!((scheduled_learning_rate(schedule, 0.1, 2, 4) - 0.055).abs() < 1e-15);
        assert!((scheduled_learning_rate(schedule, 0.1, 4, 4) - 0.01).abs() < 1e-15);
        // t = 1 of 4: 0.01 + 0.09 · (1 + cos(π/4)) / 2.
        let expected = 0.01 + 0.09 * (1.0 + std::f64::consts::FRAC_1_SQRT_2) / 2.0;
        assert!((scheduled_learning_rate(schedule, 0.1, 1, 4) - expected).abs() < 1e-15);
    }
}
