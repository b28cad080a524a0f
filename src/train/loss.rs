//! The losses of one sample (value and gradient with respect to the outputs) and classification accuracy.
//!
//! A batch's loss is the mean of its samples' losses. For `mse` each sample's loss is the mean over
//! its output entries, so with a batch of equal-width rows the batch loss is the mean over every
//! element, as PyTorch's `MSELoss` takes it.

use crate::ir::Loss;

/// The smallest value a log may take in `nll` and `bce`: PyTorch's `BCELoss` clamps its logs at
/// −100, so that a probability of 0 gives a loss of 100 rather than infinity.
pub const LOG_FLOOR: f64 = -100.0;

/// The loss of one sample and its gradient with respect to the model's outputs.
///
/// `target` is what `prepare` made of the label: `[class index]` for `cross_entropy` and `nll`,
/// the numeric label (one entry, or one per output for several label columns) for `mse`, a
/// one-hot or ±1 vector for `mse(onehot)` and `mse(signed)`, `[0]` or `[1]` for `bce`, `[-1]` or
/// `[1]` for `hinge`.
pub(crate) fn sample_loss(loss: Loss, outputs: &[f64], target: &[f64]) -> (f64, Vec<f64>) {
    let first_target = target.first().copied().unwrap_or(f64::NAN);
    match loss {
        Loss::Mse | Loss::MseOneHot | Loss::MseSigned => squared_error(outputs, target),
        Loss::CrossEntropy => cross_entropy(outputs, first_target as usize),
        Loss::Nll => negative_log_likelihood(outputs, first_target as usize),
        Loss::Bce => binary_cross_entropy(outputs, first_target),
        Loss::Hinge => {
            // max(0, 1 − y·out) on the single output; further outputs do not enter the loss.
            let out = outputs.first().copied().unwrap_or(0.0);
            let margin = 1.0 - first_target * out;
            let mut gradient = vec![0.0; outputs.len()];
            if margin > 0.0 {
                if let Some(first) = gradient.first_mut() {
                    *first = -first_target;
                }
            }
            (margin.max(0.0), gradient)
        }
    }
}

/// Whether the outputs classify the sample correctly: the largest output is the target class for
/// `cross_entropy` and `nll` (the first of equal largest, as torch's `argmax`), and the largest
/// output is where the target vector is largest for `mse(onehot)` and `mse(signed)` (the sign of
/// the single output against the target's sign with one output, 0 counting as −1, as for
/// `hinge`); `bce` predicts class 1 for an output of 0.5 or more. `None` for `mse`, which is not
/// a classification loss.
pub(crate) fn is_correct(loss: Loss, outputs: &[f64], target: &[f64]) -> Option<bool> {
    let first_target = target.first().copied().unwrap_or(f64::NAN);
    let first_output = outputs.first().copied().unwrap_or(0.0);
    match loss {
        Loss::Mse => None,
        Loss::CrossEntropy | Loss::Nll => Some(argmax(outputs) == Some(first_target as usize)),
        Loss::MseOneHot | Loss::MseSigned if outputs.len() == 1 => Some(sign(first_output) == sign(first_target)),
        Loss::MseOneHot | Loss::MseSigned => Some(argmax(outputs).is_some() && argmax(outputs) == argmax(target)),
        Loss::Bce => Some((first_output >= 0.5) == (first_target >= 0.5)),
        Loss::Hinge => Some(sign(first_output) == first_target),
    }
}

/// 1 for a positive value, −1 otherwise (0 included).
fn sign(value: f64) -> f64 {
    if value > 0.0 {
        1.0
    } else {
        -1.0
    }
}

/// The mean over output entries of (output − target)², as PyTorch's `MSELoss` (mean reduction).
/// A target of one entry is compared with every output.
fn squared_error(outputs: &[f64], target: &[f64]) -> (f64, Vec<f64>) {
    let n_outputs = outputs.len().max(1) as f64;
    let target_of =
        |idx: usize| if target.len() == 1 { target[0] } else { target.get(idx).copied().unwrap_or(f64::NAN) };
    let differences: Vec<f64> = outputs.iter().enumerate().map(|(idx, y)| y - target_of(idx)).collect();
    let value = differences.iter().map(|d| d * d).sum::<f64>() / n_outputs;
    let gradient = differences.iter().map(|d| 2.0 * d / n_outputs).collect();
    (value, gradient)
}

/// The log of a probability as `nll` and `bce` take it: clamped below at [`LOG_FLOOR`], and the
/// derivative of that clamped log (0 where the clamp holds, as in PyTorch, whose clamp passes no
/// gradient). A probability of 0 or less is clamped too.
fn clamped_log(p: f64) -> (f64, f64) {
    let log = if p > 0.0 { p.ln() } else { f64::NEG_INFINITY };
    if log > LOG_FLOOR {
        (log, 1.0 / p)
    } else {
        (LOG_FLOOR, 0.0)
    }
}

/// −log p[class], the outputs being probabilities: PyTorch's `NLLLoss` applied to their logs
/// (`NLLLoss(log(p))`), with the log clamped at −100 as `BCELoss` clamps it.
fn negative_log_likelihood(outputs: &[f64], class_idx: usize) -> (f64, Vec<f64>) {
    let mut gradient = vec![0.0; outputs.len()];
    let Some(&p) = outputs.get(class_idx) else {
        return (f64::NAN, gradient);
    };
    let (log, d_log) = clamped_log(p);
    gradient[class_idx] = -d_log;
    (-log, gradient)
}

/// PyTorch's `BCELoss` on the first output y against a label t of 0 or 1:
/// −(t·log y + (1 − t)·log(1 − y)), each log clamped at −100.
fn binary_cross_entropy(outputs: &[f64], target: f64) -> (f64, Vec<f64>) {
    let mut gradient = vec![0.0; outputs.len()];
    let Some(&y) = outputs.first() else {
        return (f64::NAN, gradient);
    };
    let (log_y, d_log_y) = clamped_log(y);
    let (log_not_y, d_log_not_y) = clamped_log(1.0 - y);
    let value = -(target * log_y + (1.0 - target) * log_not_y);
    // d/dy log(1 − y) = −1 / (1 − y).
    gradient[0] = -(target * d_log_y - (1.0 - target) * d_log_not_y);
    (value, gradient)
}

/// The index of the first largest entry, `None` for an empty slice. NaN entries are never chosen.
pub fn argmax(values: &[f64]) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (idx, &value) in values.iter().enumerate() {
        if best.is_none_or(|(_, best_value)| value > best_value) {
            best = Some((idx, value));
        }
    }
    best.map(|(idx, _)| idx)
}

/// Softmax cross-entropy, as torch's `CrossEntropyLoss` on logits: −log softmax(outputs)[class].
/// The gradient is softmax(outputs) − one_hot(class).
fn cross_entropy(outputs: &[f64], class_idx: usize) -> (f64, Vec<f64>) {
    let largest = outputs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Subtracting the largest logit keeps exp from overflowing without changing the softmax.
    let exps: Vec<f64> = outputs.iter().map(|y| (y - largest).exp()).collect();
    let sum: f64 = exps.iter().sum();
    let log_sum = largest + sum.ln();
    let value = log_sum - outputs.get(class_idx).copied().unwrap_or(f64::NAN);
    let gradient = exps.iter().enumerate().map(|(idx, e)| e / sum - if idx == class_idx { 1.0 } else { 0.0 }).collect();
    (value, gradient)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_against_finite_differences(loss: Loss, outputs: &[f64], target: &[f64]) {
        let (_, gradient) = sample_loss(loss, outputs, target);
        let step = 1e-6;
        for idx in 0..outputs.len() {
            let mut plus = outputs.to_vec();
            let mut minus = outputs.to_vec();
            plus[idx] += step;
            minus[idx] -= step;
            let numeric = (sample_loss(loss, &plus, target).0 - sample_loss(loss, &minus, target).0) / (2.0 * step);
            assert!((numeric - gradient[idx]).abs() < 1e-7, "{loss:?} entry {idx}: {numeric} vs {}", gradient[idx]);
        }
    }

    fn assert_close(found: f64, expected: f64) {
        assert!((found - expected).abs() < 1e-12, "{found} vs {expected}");
    }

    #[test]
    fn cross_entropy_matches_the_log_softmax_by_hand() {
        let (value, _) = sample_loss(Loss::CrossEntropy, &[1.0, 2.0, 3.0], &[0.0]);
        let expected = -(1f64.exp() / (1f64.exp() + 2f64.exp() + 3f64.exp())).ln();
        assert!((value - expected).abs() < 1e-12);
    }

    #[test]
    fn cross_entropy_gradient_matches_finite_differences() {
        check_against_finite_differences(Loss::CrossEntropy, &[0.3, -1.2, 0.8, 0.1], &[2.0]);
        check_against_finite_differences(Loss::CrossEntropy, &[5.0, -3.0], &[1.0]);
    }

    #[test]
    fn cross_entropy_is_finite_for_huge_logits() {
        let (value, gradient) = sample_loss(Loss::CrossEntropy, &[1000.0, -1000.0], &[1.0]);
        assert_eq!(value, 2000.0);
        assert_eq!(gradient, vec![1.0, -1.0]);
    }

    #[test]
    fn mse_is_the_squared_error_and_its_gradient() {
        let (value, gradient) = sample_loss(Loss::Mse, &[0.5], &[2.0]);
        assert_eq!(value, 2.25);
        assert_eq!(gradient, vec![-3.0]);
        check_against_finite_differences(Loss::Mse, &[0.2, -0.4], &[0.7]);
    }

    #[test]
    fn mse_of_vectors_is_the_mean_over_every_element() {
        // torch.nn.MSELoss()(y, t) = mean((y − t)²); its gradient is 2 (y − t) / n.
        let outputs = [0.3, -0.2, 0.9];
        let target = [0.0, -1.0, 1.0];
        let (value, gradient) = sample_loss(Loss::Mse, &outputs, &target);
        assert_close(value, (0.3f64.powi(2) + 0.8f64.powi(2) + 0.1f64.powi(2)) / 3.0);
        let expected = [2.0 * 0.3 / 3.0, 2.0 * 0.8 / 3.0, 2.0 * -0.1 / 3.0];
        for (found, expected) in gradient.iter().zip(expected) {
            assert_close(*found, expected);
        }
        for loss in [Loss::Mse, Loss::MseOneHot, Loss::MseSigned] {
            check_against_finite_differences(loss, &outputs, &target);
        }
    }

    #[test]
    fn nll_is_minus_the_log_of_the_class_probability() {
        // torch.nn.NLLLoss()(torch.log(p), class) = −log p[class]; d/dp[class] = −1 / p[class].
        let probabilities = [0.2, 0.5, 0.3];
        let (value, gradient) = sample_loss(Loss::Nll, &probabilities, &[2.0]);
        assert_close(value, -(0.3f64.ln()));
        assert_eq!(gradient[0], 0.0);
        assert_eq!(gradient[1], 0.0);
        assert_close(gradient[2], -1.0 / 0.3);
        check_against_finite_differences(Loss::Nll, &probabilities, &[1.0]);
        check_against_finite_differences(Loss::Nll, &[0.05, 0.95], &[0.0]);
    }

    #[test]
    fn nll_clamps_the_log_at_minus_one_hundred() {
        // A probability of 0 (or a little below, by rounding) gives 100, with no gradient through the clamp.
        assert_eq!(sample_loss(Loss::Nll, &[0.0, 1.0], &[0.0]), (100.0, vec![0.0, 0.0]));
        assert_eq!(sample_loss(Loss::Nll, &[-1e-17, 1.0], &[0.0]), (100.0, vec![0.0, 0.0]));
        assert_eq!(sample_loss(Loss::Nll, &[1e-50, 1.0], &[0.0]).0, 100.0);
    }

    #[test]
    fn bce_matches_torchs_formula() {
        // torch.nn.BCELoss()(y, t) = −(t log y + (1 − t) log(1 − y)); d/dy = (y − t) / (y (1 − y)).
        for (y, t) in [(0.8, 1.0), (0.8, 0.0), (0.25, 1.0), (0.25, 0.0)] {
            let (value, gradient) = sample_loss(Loss::Bce, &[y], &[t]);
            assert_close(value, -(t * f64::ln(y) + (1.0 - t) * f64::ln(1.0 - y)));
            assert_close(gradient[0], (y - t) / (y * (1.0 - y)));
            check_against_finite_differences(Loss::Bce, &[y], &[t]);
        }
    }

    #[test]
    fn bce_clamps_its_logs_at_minus_one_hundred() {
        assert_eq!(sample_loss(Loss::Bce, &[0.0], &[1.0]), (100.0, vec![0.0]));
        assert_eq!(sample_loss(Loss::Bce, &[1.0], &[0.0]), (100.0, vec![0.0]));
        // The other log is 0 there and its derivative is finite: log(1 − 0) = 0, d = −1 / (1 − 0).
        assert_eq!(sample_loss(Loss::Bce, &[0.0], &[0.0]), (0.0, vec![1.0]));
    }

    #[test]
    fn hinge_is_zero_beyond_the_margin() {
        assert_eq!(sample_loss(Loss::Hinge, &[1.5], &[1.0]), (0.0, vec![0.0]));
        assert_eq!(sample_loss(Loss::Hinge, &[0.25], &[1.0]), (0.75, vec![-1.0]));
        assert_eq!(sample_loss(Loss::Hinge, &[0.25], &[-1.0]), (1.25, vec![1.0]));
        check_against_finite_differences(Loss::Hinge, &[0.3], &[-1.0]);
    }

    #[test]
    fn accuracy_uses_argmax_or_the_sign() {
        assert_eq!(is_correct(Loss::CrossEntropy, &[0.1, 0.7, 0.2], &[1.0]), Some(true));
        assert_eq!(is_correct(Loss::CrossEntropy, &[0.5, 0.5], &[1.0]), Some(false));
        assert_eq!(is_correct(Loss::Nll, &[0.1, 0.7, 0.2], &[1.0]), Some(true));
        assert_eq!(is_correct(Loss::Hinge, &[0.2], &[1.0]), Some(true));
        assert_eq!(is_correct(Loss::Hinge, &[0.0], &[1.0]), Some(false));
        assert_eq!(is_correct(Loss::Hinge, &[-0.2], &[-1.0]), Some(true));
        assert_eq!(is_correct(Loss::Mse, &[0.2], &[1.0]), None);
        assert_eq!(is_correct(Loss::MseOneHot, &[0.2, 0.9, 0.1], &[0.0, 1.0, 0.0]), Some(true));
        assert_eq!(is_correct(Loss::MseSigned, &[0.2, 0.9, 0.1], &[1.0, -1.0, -1.0]), Some(false));
        assert_eq!(is_correct(Loss::MseSigned, &[-0.3], &[-1.0]), Some(true));
        assert_eq!(is_correct(Loss::MseSigned, &[0.3], &[-1.0]), Some(false));
        assert_eq!(is_correct(Loss::Bce, &[0.5], &[1.0]), Some(true));
        assert_eq!(is_correct(Loss::Bce, &[0.49], &[1.0]), Some(false));
        assert_eq!(is_correct(Loss::Bce, &[0.2], &[0.0]), Some(true));
    }
}
