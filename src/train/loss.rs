//! The losses of one sample (value and gradient with respect to the outputs) and classification accuracy.
//!
//! A batch's loss is the mean of its samples' losses, which for `mse` is also the mean over every
//! output entry of the batch since an `mse` model has one output.

use crate::ir::Loss;

/// The loss of one sample and its gradient with respect to the model's outputs.
///
/// `target` is what `prepare` made of the label: a class index for `cross_entropy`, a number for
/// `mse`, -1 or 1 for `hinge`.
pub(crate) fn sample_loss(loss: Loss, outputs: &[f64], target: f64) -> (f64, Vec<f64>) {
    match loss {
        Loss::Mse => {
            // The mean over output entries, so a model with several outputs compares each with the target.
            let n_outputs = outputs.len().max(1) as f64;
            let value = outputs.iter().map(|y| (y - target) * (y - target)).sum::<f64>() / n_outputs;
            let gradient = outputs.iter().map(|y| 2.0 * (y - target) / n_outputs).collect();
            (value, gradient)
        }
        Loss::CrossEntropy => cross_entropy(outputs, target as usize),
        Loss::Hinge => {
            // max(0, 1 − y·out) on the single output; further outputs do not enter the loss.
            let out = outputs.first().copied().unwrap_or(0.0);
            let margin = 1.0 - target * out;
            let mut gradient = vec![0.0; outputs.len()];
            if margin > 0.0 {
                if let Some(first) = gradient.first_mut() {
                    *first = -target;
                }
            }
            (margin.max(0.0), gradient)
        }
    }
}

/// Whether the outputs classify the sample correctly: the largest output is the target class for
/// `cross_entropy` (the first of equal largest, as torch's `argmax`), the output's sign is the
/// target's for `hinge` (0 counts as -1). `None` for `mse`, which is not a classification loss.
pub(crate) fn is_correct(loss: Loss, outputs: &[f64], target: f64) -> Option<bool> {
    match loss {
        Loss::Mse => None,
        Loss::CrossEntropy => Some(argmax(outputs) == Some(target as usize)),
        Loss::Hinge => {
            let predicted = if outputs.first().copied().unwrap_or(0.0) > 0.0 { 1.0 } else { -1.0 };
            Some(predicted == target)
        }
    }
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

    fn check_against_finite_differences(loss: Loss, outputs: &[f64], target: f64) {
        let (_, gradient) = sample_loss(loss, outputs, target);
        let step = 1e-6;
        for idx in 0..outputs.len() {
            let mut plus = outputs.to_vec();
            let mut minus = outputs.to_vec();
            plus[idx] += step;
            minus[idx] -= step;
            let numeric = (sample_loss(loss, &plus, target).0 - sample_loss(loss, &minus, target).0) / (2.0 * step);
            assert!((numeric - gradient[idx]).abs() < 1e-8, "{loss:?} entry {idx}: {numeric} vs {}", gradient[idx]);
        }
    }

    #[test]
    fn cross_entropy_matches_the_log_softmax_by_hand() {
        let (value, _) = sample_loss(Loss::CrossEntropy, &[1.0, 2.0, 3.0], 0.0);
        let expected = -(1f64.exp() / (1f64.exp() + 2f64.exp() + 3f64.exp())).ln();
        assert!((value - expected).abs() < 1e-12);
    }

    #[test]
    fn cross_entropy_gradient_matches_finite_differences() {
        check_against_finite_differences(Loss::CrossEntropy, &[0.3, -1.2, 0.8, 0.1], 2.0);
        check_against_finite_differences(Loss::CrossEntropy, &[5.0, -3.0], 1.0);
    }

    #[test]
    fn cross_entropy_is_finite_for_huge_logits() {
        let (value, gradient) = sample_loss(Loss::CrossEntropy, &[1000.0, -1000.0], 1.0);
        assert_eq!(value, 2000.0);
        assert_eq!(gradient, vec![1.0, -1.0]);
    }

    #[test]
    fn mse_is_the_squared_error_and_its_gradient() {
        let (value, gradient) = sample_loss(Loss::Mse, &[0.5], 2.0);
        assert_eq!(value, 2.25);
        assert_eq!(gradient, vec![-3.0]);
        check_against_finite_differences(Loss::Mse, &[0.2, -0.4], 0.7);
    }

    #[test]
    fn hinge_is_zero_beyond_the_margin() {
        assert_eq!(sample_loss(Loss::Hinge, &[1.5], 1.0), (0.0, vec![0.0]));
        assert_eq!(sample_loss(Loss::Hinge, &[0.25], 1.0), (0.75, vec![-1.0]));
        assert_eq!(sample_loss(Loss::Hinge, &[0.25], -1.0), (1.25, vec![1.0]));
        check_against_finite_differences(Loss::Hinge, &[0.3], -1.0);
    }

    #[test]
    fn accuracy_uses_argmax_or_the_sign() {
        assert_eq!(is_correct(Loss::CrossEntropy, &[0.1, 0.7, 0.2], 1.0), Some(true));
        assert_eq!(is_correct(Loss::CrossEntropy, &[0.5, 0.5], 1.0), Some(false));
        assert_eq!(is_correct(Loss::Hinge, &[0.2], 1.0), Some(true));
        assert_eq!(is_correct(Loss::Hinge, &[0.0], 1.0), Some(false));
        assert_eq!(is_correct(Loss::Hinge, &[-0.2], -1.0), Some(true));
        assert_eq!(is_correct(Loss::Mse, &[0.2], 1.0), None);
    }
}
