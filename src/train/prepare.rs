//! Fitting a data set to a model and a train block: the train/test split, feature scaling and label targets.

use crate::ir::{Features, Loss, TrainBlock};
use crate::train::data::{DataError, Dataset, LabelValue};
use crate::train::{rng_for, Stream};
use rand::seq::SliceRandom;

/// The rows of one side of the split, ready for the model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    /// Scaled features, one row per sample.
    pub features: Vec<Vec<f64>>,
    /// What the loss compares each row's outputs with (see [`targets_for`]): `[class index]` for
    /// `cross_entropy` and `nll`, the numeric label(s) for `mse`, a one-hot or ±1 vector for
    /// `mse(onehot)` and `mse(signed)`, `[0]` or `[1]` for `bce`, `[-1]` or `[1]` for `hinge`.
    pub targets: Vec<Vec<f64>>,
    /// Where each row came from, for messages (`data.csv, line 4`).
    pub locations: Vec<String>,
}

impl Split {
    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }
}

/// The min-max scaling fitted on the training split.
#[derive(Clone, Debug, PartialEq)]
pub struct MinMax {
    pub low: f64,
    pub high: f64,
    /// Per feature, the smallest and largest training value.
    pub min: Vec<f64>,
    pub max: Vec<f64>,
}

impl MinMax {
    /// Fits the per-feature range of `rows`, which must all have `n_features` entries.
    pub fn fit(rows: &[Vec<f64>], n_features: usize, low: f64, high: f64) -> MinMax {
        let mut min = vec![f64::INFINITY; n_features];
        let mut max = vec![f64::NEG_INFINITY; n_features];
        for row in rows {
            for (feature_idx, &value) in row.iter().enumerate() {
                min[feature_idx] = min[feature_idx].min(value);
                max[feature_idx] = max[feature_idx].max(value);
            }
        }
        MinMax { low, high, min, max }
    }

    /// Maps each feature from its training range onto [low, high]. Values outside the training
    /// range land outside [low, high], as with scikit-learn's MinMaxScaler; a feature that was
    /// constant in training maps to `low`.
    pub fn apply(&self, row: &mut [f64]) {
        for (feature_idx, value) in row.iter_mut().enumerate() {
            let range = self.max[feature_idx] - self.min[feature_idx];
            *value = if range > 0.0 {
                self.low + (*value - self.min[feature_idx]) * (self.high - self.low) / range
            } else {
                self.low
            };
        }
    }

    /// The number of features it has ranges for.
    pub fn width(&self) -> usize {
        self.min.len().min(self.max.len())
    }
}

/// Standardization fitted on the training split, as scikit-learn's `StandardScaler`: each feature
/// less its training mean, divided by its population standard deviation (numpy's `std` with
/// `ddof = 0`).
#[derive(Clone, Debug, PartialEq)]
pub struct Standardization {
    pub mean: Vec<f64>,
    /// The population standard deviation of each feature over the training rows.
    pub std: Vec<f64>,
}

impl Standardization {
    /// Fits the mean and population standard deviation of each feature of `rows` (two passes:
    /// the mean, then the mean squared deviation from it, as numpy computes `var`).
    pub fn fit(rows: &[Vec<f64>], n_features: usize) -> Standardization {
        let n_rows = rows.len().max(1) as f64;
        let mut mean = vec![0.0; n_features];
        for row in rows {
            for (total, value) in mean.iter_mut().zip(row) {
                *total += value;
            }
        }
        for total in &mut mean {
            *total /= n_rows;
        }
        let mut variance = vec![0.0; n_features];
        for row in rows {
            for ((total, value), mean) in variance.iter_mut().zip(row).zip(&mean) {
                *total += (value - mean) * (value - mean);
            }
        }
        let std = variance.iter().map(|total| (total / n_rows).sqrt()).collect();
        Standardization { mean, std }
    }

    /// Maps each feature to (value − mean) / std. A feature with a standard deviation of 0 is
    /// divided by 1 instead, as scikit-learn does, so it becomes 0 on the training rows.
    pub fn apply(&self, row: &mut [f64]) {
        for ((value, mean), std) in row.iter_mut().zip(&self.mean).zip(&self.std) {
            let scale = if *std > 0.0 { *std } else { 1.0 };
            *value = (*value - mean) / scale;
        }
    }

    /// The number of features it has a mean and deviation for.
    pub fn width(&self) -> usize {
        self.mean.len().min(self.std.len())
    }
}

/// The map of `features` fitted on the training split, kept so that `predict` can apply the
/// same map to new rows.
#[derive(Clone, Debug, PartialEq)]
pub enum Scaling {
    /// `features scale(a, b)`.
    MinMax(MinMax),
    /// `features standardize`.
    Standardize(Standardization),
}

impl Scaling {
    pub fn apply(&self, row: &mut [f64]) {
        match self {
            Scaling::MinMax(map) => map.apply(row),
            Scaling::Standardize(map) => map.apply(row),
        }
    }

    /// The number of features the map was fitted on.
    pub fn width(&self) -> usize {
        match self {
            Scaling::MinMax(map) => map.width(),
            Scaling::Standardize(map) => map.width(),
        }
    }

    /// Fits the block's feature map on the training rows, `None` for `features none`.
    pub fn fit(features: Features, rows: &[Vec<f64>], n_features: usize) -> Option<Scaling> {
        match features {
            Features::None => None,
            Features::Scale(low, high) => Some(Scaling::MinMax(MinMax::fit(rows, n_features, low, high))),
            Features::Standardize => Some(Scaling::Standardize(Standardization::fit(rows, n_features))),
        }
    }
}

/// The model's input values for one row of features, prepared as training prepared its rows:
/// mapped by the scaling training fitted, if there is one. `predict`, `run --data`, `grad --data`
/// and `run --input` with a trained params file all turn rows into inputs here, so that they
/// never disagree on a row.
pub fn model_inputs(features: &[f64], scaling: Option<&Scaling>) -> Vec<f64> {
    let mut inputs = features.to_vec();
    if let Some(scaling) = scaling {
        scaling.apply(&mut inputs);
    }
    inputs
}

/// The width of one data row as it reaches the model: the data set's features after `columns`
/// (scaling keeps the width). This is what the inputs (or the first `encode` layer) must take.
pub fn row_width(dataset: &Dataset) -> usize {
    dataset.n_features()
}

/// A data set split, scaled and labelled for one train block and model.
#[derive(Clone, Debug, PartialEq)]
pub struct PreparedData {
    /// The data set's source, for messages.
    pub source: String,
    pub train: Split,
    pub test: Split,
    /// The scaling applied to both splits, if the block asks for one.
    pub scaling: Option<Scaling>,
    /// For the losses whose labels are classes, the label of each class index, sorted.
    pub classes: Option<Vec<LabelValue>>,
}

/// The rows of `n_rows` that train under `split`: all of them for a split of 1 or more, else
/// `floor(split · n_rows)`.
pub fn training_rows(n_rows: usize, split: f64) -> usize {
    if split >= 1.0 {
        n_rows
    } else {
        // The small allowance keeps a product such as 0.29 · 100 = 28.999999999999996 at 29.
        ((split * n_rows as f64 + 1e-9).floor().max(0.0) as usize).min(n_rows)
    }
}

/// Checks a data set against the model and turns it into training and test splits; see
/// [`prepare_with_test`], of which this is the case without a fixed test set.
pub fn prepare(
    dataset: Dataset,
    block: &TrainBlock,
    n_inputs: usize,
    n_outputs: usize,
) -> Result<PreparedData, DataError> {
    prepare_with_test(dataset, None, block, n_inputs, n_outputs)
}

/// Checks a data set (and a fixed test set, the block's `test`) against the model and turns them
/// into training and test splits.
///
/// `n_inputs` is the width of a row the model takes and `n_outputs` the length of its final
/// outputs (after the head). Labels become targets by the block's loss (see [`targets_for`]).
///
/// Without a test set, rows are shuffled from the seed before a split below 1 takes its first
/// `floor(split · n)` rows for training; with split 1 every row trains, in the data's own order.
/// With one, every row of `dataset` trains and every row of `test` tests, each in its own order;
/// the classes are the distinct labels of both together, so a class index means one class in
/// both. The scaling is fitted on the training rows alone.
pub fn prepare_with_test(
    dataset: Dataset,
    test: Option<Dataset>,
    block: &TrainBlock,
    n_inputs: usize,
    n_outputs: usize,
) -> Result<PreparedData, DataError> {
    let test = test.map(|test| aligned_by_name(test, &dataset.feature_names));
    for set in std::iter::once(&dataset).chain(test.as_ref()) {
        if row_width(set) != n_inputs {
            return Err(DataError::FeatureCount {
                source: set.source.clone(),
                header_line: set.header_line,
                columns: set.feature_names.clone(),
                expected: n_inputs,
            });
        }
        if set.labels.len() != set.n_rows() {
            return Err(DataError::MissingLabels { source: set.source.clone() });
        }
    }
    let classes = if block.loss.uses_classes() {
        let all_labels = dataset.labels.iter().chain(test.iter().flat_map(|test| &test.labels));
        Some(sorted_classes(all_labels))
    } else {
        None
    };
    let targets = targets_for(&dataset, block.loss, classes.as_deref(), n_outputs)?;
    let take = |set: &Dataset, targets: &[Vec<f64>], row_indices: &[usize]| Split {
        features: row_indices.iter().map(|&row_idx| set.features[row_idx].clone()).collect(),
        targets: row_indices.iter().map(|&row_idx| targets[row_idx].clone()).collect(),
        locations: row_indices.iter().map(|&row_idx| set.row_location(row_idx)).collect(),
    };

    let (mut train, mut test) = match &test {
        Some(test_set) => {
            let test_targets = targets_for(test_set, block.loss, classes.as_deref(), n_outputs)?;
            let all_train: Vec<usize> = (0..dataset.n_rows()).collect();
            let all_test: Vec<usize> = (0..test_set.n_rows()).collect();
            (take(&dataset, &targets, &all_train), take(test_set, &test_targets, &all_test))
        }
        None => {
            let n_rows = dataset.n_rows();
            let mut order: Vec<usize> = (0..n_rows).collect();
            if block.split < 1.0 {
                order.shuffle(&mut rng_for(block.seed, Stream::Split));
            }
            let n_train = training_rows(n_rows, block.split);
            (take(&dataset, &targets, &order[..n_train]), take(&dataset, &targets, &order[n_train..]))
        }
    };
    if train.is_empty() {
        return Err(DataError::EmptyTrainingSplit {
            source: dataset.source.clone(),
            split: block.split,
            n_rows: dataset.n_rows(),
        });
    }

    let scaling = Scaling::fit(block.features, &train.features, n_inputs);
    if let Some(scaling) = &scaling {
        for row in train.features.iter_mut().chain(test.features.iter_mut()) {
            scaling.apply(row);
        }
    }
    Ok(PreparedData { source: dataset.source, train, test, scaling, classes })
}

/// The test set with its features in the order of the training set's, when it has the same
/// feature names in another order (a test file whose columns are laid out differently); else as
/// it is.
fn aligned_by_name(mut test: Dataset, names: &[String]) -> Dataset {
    if test.feature_names == names {
        return test;
    }
    let positions: Option<Vec<usize>> =
        names.iter().map(|name| test.feature_names.iter().position(|test_name| test_name == name)).collect();
    match positions {
        Some(positions) if names.len() == test.feature_names.len() => {
            for row in &mut test.features {
                *row = positions.iter().map(|&position| row[position]).collect();
            }
            test.feature_names = names.to_vec();
            test
        }
        _ => test,
    }
}

/// The distinct labels, sorted: numbers numerically, text lexicographically. Class k is the k-th.
fn sorted_classes<'a>(labels: impl Iterator<Item = &'a LabelValue>) -> Vec<LabelValue> {
    let mut classes: Vec<LabelValue> = labels.cloned().collect();
    classes.sort_by(LabelValue::total_cmp);
    // -0 and 0 are one class.
    classes.dedup_by(|a, b| a == b);
    classes
}

/// The class index of a label among `classes` (sorted, as [`sorted_classes`] makes them).
fn class_index(classes: &[LabelValue], label: &LabelValue) -> usize {
    let class_idx = classes.binary_search_by(|class| class.total_cmp(label));
    // -0 and 0 are one class though they sort apart, so fall back to a linear search.
    class_idx.unwrap_or_else(|_| classes.iter().position(|class| class == label).unwrap_or(0))
}

/// The target of every row for `loss`:
/// - `cross_entropy` and `nll`: `[k]`, the label's class index among `classes`, whose number
///   must equal `n_outputs`;
/// - `mse(onehot)`: the one-hot vector of the class over the outputs, one per class;
/// - `mse(signed)`: the ±1 vector (+1 at the class, −1 elsewhere), one output per class; with
///   one output and two classes, `[-1]` for the first class and `[1]` for the second, so a ±1
///   regression on 0/1 labels works;
/// - `mse`: the numeric label compared with a single output, or, when the label is several
///   columns, the vector of their values, one per output;
/// - `bce`: a single output and labels 0 and 1;
/// - `hinge`: a single output and labels -1 and 1; labels that are all 0 or 1 are mapped to -1
///   and 1, so the builtin two-class sets work with hinge as they are.
fn targets_for(
    dataset: &Dataset,
    loss: Loss,
    classes: Option<&[LabelValue]>,
    n_outputs: usize,
) -> Result<Vec<Vec<f64>>, DataError> {
    if let Some(classes) = classes {
        let n_classes = classes.len();
        let fits = n_classes == n_outputs || (loss == Loss::MseSigned && n_outputs == 1 && n_classes == 2);
        if !fits {
            return Err(DataError::ClassCount {
                source: dataset.source.clone(),
                loss: loss.name(),
                classes: classes.iter().map(LabelValue::to_string).collect(),
                n_outputs,
            });
        }
        let target = |class_idx: usize| -> Vec<f64> {
            match loss {
                Loss::MseOneHot => (0..n_outputs).map(|k| if k == class_idx { 1.0 } else { 0.0 }).collect(),
                Loss::MseSigned if n_outputs == 1 => vec![if class_idx == 0 { -1.0 } else { 1.0 }],
                Loss::MseSigned => (0..n_outputs).map(|k| if k == class_idx { 1.0 } else { -1.0 }).collect(),
                _ => vec![class_idx as f64],
            }
        };
        return Ok(dataset.labels.iter().map(|label| target(class_index(classes, label))).collect());
    }

    let name = loss.name();
    if !dataset.label_vectors.is_empty() {
        // Several label columns, read as numbers: one per output.
        let width = dataset.label_vectors.first().map_or(0, Vec::len);
        if loss != Loss::Mse || width != n_outputs {
            return Err(DataError::LabelWidth { source: dataset.source.clone(), loss: name, width, n_outputs });
        }
        return Ok(dataset.label_vectors.clone());
    }
    if n_outputs != 1 {
        return Err(DataError::OutputCount { loss: name, n_outputs });
    }
    let mut numbers = Vec::with_capacity(dataset.n_rows());
    for (row_idx, label) in dataset.labels.iter().enumerate() {
        match label.as_number() {
            Some(value) => numbers.push(value),
            None => {
                // Labels are read as text as soon as one of them is not a finite number, so the
                // row to name is the first whose label is not one, not the first row.
                let is_number = |text: &str| text.trim().parse::<f64>().is_ok_and(f64::is_finite);
                let bad_idx = dataset.labels.iter().position(|label| !is_number(&label.to_string())).unwrap_or(row_idx);
                return Err(DataError::NonNumericLabel {
                    location: dataset.row_location(bad_idx),
                    loss: name,
                    label: dataset.labels[bad_idx].to_string(),
                });
            }
        }
    }
    let distinct = |numbers: &[f64]| -> Vec<String> {
        let mut distinct = numbers.to_vec();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        distinct.iter().map(|value| LabelValue::Number(*value).to_string()).collect()
    };
    if loss == Loss::Bce {
        if let Some(row_idx) = numbers.iter().position(|value| *value != 0.0 && *value != 1.0) {
            return Err(DataError::BadBinaryLabel {
                location: dataset.row_location(row_idx),
                label: dataset.labels[row_idx].to_string(),
                labels: distinct(&numbers),
            });
        }
    }
    if loss == Loss::Hinge {
        // Labels in {-1, 1} are used as they are; a set with no -1 must be {0, 1} and is mapped.
        let signed = numbers.contains(&-1.0);
        let allowed: [f64; 2] = if signed { [-1.0, 1.0] } else { [0.0, 1.0] };
        if let Some(row_idx) = numbers.iter().position(|value| !allowed.contains(value)) {
            return Err(DataError::BadHingeLabel {
                location: dataset.row_location(row_idx),
                label: dataset.labels[row_idx].to_string(),
                labels: distinct(&numbers),
            });
        }
        if !signed {
            for value in &mut numbers {
                *value = 2.0 * *value - 1.0;
            }
        }
    }
    Ok(numbers.into_iter().map(|value| vec![value]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{DataSource, GradientMethod, Optimizer};
    use crate::source::Span;
    use crate::train::data::{from_csv, from_csv_columns};
    use crate::train::generate::{iris, moons};

    pub(crate) fn block(loss: Loss, split: f64, features: Features) -> TrainBlock {
        TrainBlock {
            name: None,
            data: Some(DataSource::Iris { classes: None, columns: None }),
            objective: None,
            test: None,
            features,
            split,
            shuffle: true,
            loss,
            optimizer: Optimizer::Adam { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
            schedule: None,
            epochs: 10,
            batch: 32,
            gradient: GradientMethod::Auto,
            shots: None,
            seed: 7,
            patience: None,
            span: Span::default(),
        }
    }

    /// The targets of one-entry rows, flattened.
    fn flat(targets: &[Vec<f64>]) -> Vec<f64> {
        targets.iter().flatten().copied().collect()
    }

    fn error_text(dataset: Dataset, loss: Loss, n_inputs: usize, n_outputs: usize) -> String {
        match prepare(dataset, &block(loss, 1.0, Features::None), n_inputs, n_outputs) {
            Ok(prepared) => panic!("expected an error, prepared {prepared:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn iris_classes_are_sorted_names() {
        let prepared = prepare(iris(), &block(Loss::CrossEntropy, 1.0, Features::None), 4, 3).expect("fits");
        let classes = prepared.classes.expect("cross_entropy has classes");
        assert_eq!(
            classes,
            vec![
                LabelValue::Text("setosa".into()),
                LabelValue::Text("versicolor".into()),
                LabelValue::Text("virginica".into())
            ]
        );
        assert_eq!(prepared.train.targets[0], vec![0.0]);
        assert_eq!(prepared.train.targets[149], vec![2.0]);
        assert!(prepared.test.is_empty());
    }

    #[test]
    fn numeric_classes_sort_numerically() {
        let dataset = from_csv("x,y\n1,10\n2,9\n3,10\n", "d.csv", "y").expect("valid csv");
        let prepared = prepare(dataset, &block(Loss::CrossEntropy, 1.0, Features::None), 1, 2).expect("fits");
        assert_eq!(flat(&prepared.train.targets), vec![1.0, 0.0, 1.0]);
    }

    #[test]
    fn a_class_count_that_differs_from_the_outputs_names_both() {
        assert_eq!(
            error_text(iris(), Loss::CrossEntropy, 4, 2),
            "iris(): the labels have 3 distinct values (setosa, versicolor, virginica), so cross_entropy needs 3 outputs, but the model has 2"
        );
    }

    #[test]
    fn a_feature_count_that_differs_from_the_input_names_both() {
        assert_eq!(
            error_text(iris(), Loss::CrossEntropy, 2, 3),
            "iris(): the rows have 4 features, but the model's input has 2 values"
        );
    }

    #[test]
    fn a_feature_count_that_differs_in_a_file_names_the_header_line_and_its_columns() {
        let dataset = from_csv("a,label,b,c\n1,0,2,3\n", "d.csv", "label").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Mse, 2, 1),
            "d.csv, line 1: the header names 3 features (`a`, `b` and `c`), but the model's input has 2 values"
        );
        // Blank lines before the header move it.
        let dataset = from_csv("\n\nlabel,a\n0,1\n", "d.csv", "label").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Mse, 2, 1),
            "d.csv, line 3: the header names 1 feature (`a`), but the model's input has 2 values"
        );
        let dataset = from_csv("label\n0\n", "d.csv", "label").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Mse, 1, 1),
            "d.csv, line 1: the header names 0 features (no column besides the label), but the model's input has 1 value"
        );
    }

    #[test]
    fn mse_needs_numeric_labels_and_one_output() {
        assert_eq!(
            error_text(iris(), Loss::Mse, 4, 1),
            "iris(), row 1: mse needs numeric labels, but the label is `setosa`"
        );
        // One word among numbers makes every label text; the error names that word's row.
        let dataset = from_csv("x,y\n0.1,0.2\n0.3,0.4\n0.2,foo\n0.5,0.6\n", "t.csv", "y").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Mse, 1, 1),
            "t.csv, line 4: mse needs numeric labels, but the label is `foo`"
        );
        let dataset = moons(10, 0.0, 0).expect("valid arguments");
        assert_eq!(
            error_text(dataset, Loss::Mse, 2, 2),
            "mse compares one output with each label, but the model has 2 outputs; use cross_entropy to classify into several classes"
        );
    }

    #[test]
    fn hinge_maps_zero_one_labels_to_minus_one_and_one() {
        let dataset = from_csv("x,y\n1,0\n2,1\n", "d.csv", "y").expect("valid csv");
        let prepared = prepare(dataset, &block(Loss::Hinge, 1.0, Features::None), 1, 1).expect("fits");
        assert_eq!(flat(&prepared.train.targets), vec![-1.0, 1.0]);
        let dataset = from_csv("x,y\n1,-1\n2,1\n", "d.csv", "y").expect("valid csv");
        let prepared = prepare(dataset, &block(Loss::Hinge, 1.0, Features::None), 1, 1).expect("fits");
        assert_eq!(flat(&prepared.train.targets), vec![-1.0, 1.0]);
    }

    #[test]
    fn hinge_rejects_other_labels_with_their_line() {
        let dataset = from_csv("x,y\n1,-1\n2,0\n3,1\n", "d.csv", "y").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Hinge, 1, 1),
            "d.csv, line 3: hinge needs labels -1 and 1 (or 0 and 1), but the labels are `-1`, `0` and `1` (this row's is `0`)"
        );
        let dataset = from_csv("x,y\n1,0\n2,1\n3,2\n", "d.csv", "y").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Hinge, 1, 1),
            "d.csv, line 4: hinge needs labels -1 and 1 (or 0 and 1), but the labels are `0`, `1` and `2` (this row's is `2`)"
        );
        let many: String = (0..12).map(|value| format!("{value},{value}\n")).collect();
        let dataset = from_csv(&format!("x,y\n{many}"), "d.csv", "y").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Hinge, 1, 1),
            "d.csv, line 4: hinge needs labels -1 and 1 (or 0 and 1), but the labels are `0`, `1`, `2`, `3`, `4`, `5`, `6`, `7`, `8`, `9`, and 2 more (this row's is `2`)"
        );
    }

    #[test]
    fn the_split_shuffles_from_the_seed_and_keeps_every_row_once() {
        let dataset = moons(100, 0.1, 1).expect("valid arguments");
        let prepared = prepare(dataset.clone(), &block(Loss::Mse, 0.75, Features::None), 2, 1).expect("fits");
        assert_eq!(prepared.train.len(), 75);
        assert_eq!(prepared.test.len(), 25);
        let mut seen: Vec<Vec<f64>> = prepared.train.features.iter().chain(&prepared.test.features).cloned().collect();
        let mut all = dataset.features.clone();
        let by_value = |a: &Vec<f64>, b: &Vec<f64>| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1]));
        seen.sort_by(by_value);
        all.sort_by(by_value);
        assert_eq!(seen, all);
        assert_ne!(prepared.train.features[..], dataset.features[..75]);
        let again = prepare(dataset, &block(Loss::Mse, 0.75, Features::None), 2, 1).expect("fits");
        assert_eq!(again, prepared);
    }

    #[test]
    fn scaling_uses_the_training_range_for_both_splits() {
        let dataset = from_csv("a,b,y\n0,5,0\n10,5,1\n20,5,0\n30,5,1\n", "d.csv", "y").expect("valid csv");
        let mut settings = block(Loss::Mse, 0.5, Features::Scale(0.0, 1.0));
        settings.seed = 3;
        let prepared = prepare(dataset, &settings, 2, 1).expect("fits");
        let Some(Scaling::MinMax(scaling)) = prepared.scaling.clone() else { panic!("scale was asked for") };
        for row in &prepared.train.features {
            assert!((0.0..=1.0).contains(&row[0]));
            // A feature that is constant over the training rows maps to the low end.
            assert_eq!(row[1], 0.0);
        }
        let train_values: Vec<f64> = prepared.train.features.iter().map(|row| row[0]).collect();
        assert!(train_values.contains(&0.0) && train_values.contains(&1.0));
        let raw_min = scaling.min[0];
        let raw_max = scaling.max[0];
        for (row, location) in prepared.test.features.iter().zip(&prepared.test.locations) {
            let raw: f64 = match location.as_str() {
                "d.csv, line 2" => 0.0,
                "d.csv, line 3" => 10.0,
                "d.csv, line 4" => 20.0,
                _ => 30.0,
            };
            assert!((row[0] - (raw - raw_min) / (raw_max - raw_min)).abs() < 1e-12);
        }
    }

    #[test]
    fn a_split_with_no_training_rows_is_an_error() {
        let dataset = from_csv("x,y\n1,0\n2,1\n", "d.csv", "y").expect("valid csv");
        let error = prepare(dataset, &block(Loss::Mse, 0.1, Features::None), 1, 1).expect_err("nothing to train on");
        assert_eq!(error.to_string(), "d.csv: split 0.1 of 2 rows leaves no rows to train on");
    }
    #[test]
    fn standardize_matches_numpy_population_std() {
        // tests/fixtures/standardize/standardize.py computed these with numpy (ddof = 0).
        let train_rows = "a,b,c,y\n1,10,5,0\n2,14,5,1\n4,9,5,0\n7.5,11,5,1\n";
        let dataset = from_csv(train_rows, "train.csv", "y").expect("valid csv");
        let test = from_csv("a,b,c,y\n3,20,6,1\n", "test.csv", "y").expect("valid csv");
        let prepared =
            prepare_with_test(dataset, Some(test), &block(Loss::Mse, 1.0, Features::Standardize), 3, 1).expect("fits");
        let Some(Scaling::Standardize(fitted)) = &prepared.scaling else { panic!("standardize was asked for") };
        let close = |found: f64, expected: f64| assert!((found - expected).abs() < 1e-12, "{found} vs {expected}");
        for (found, expected) in fitted.mean.iter().zip([3.625, 11.0, 5.0]) {
            close(*found, expected);
        }
        for (found, expected) in fitted.std.iter().zip([2.484325864293974, 1.8708286933869707, 0.0]) {
            close(*found, expected);
        }
        let expected_train = [
            [-1.056624671395918, -0.5345224838248488, 0.0],
            [-0.6541009870546158, 1.6035674514745464, 0.0],
            [0.1509463816279883, -1.0690449676496976, 0.0],
            [1.5597792768225456, 0.0, 0.0],
        ];
        for (row, expected) in prepared.train.features.iter().zip(expected_train) {
            for (found, expected) in row.iter().zip(expected) {
                close(*found, expected);
            }
        }
        // The test row is mapped with the training rows' mean and deviation; the constant
        // feature is divided by 1, as scikit-learn does.
        for (found, expected) in prepared.test.features[0].iter().zip([-0.2515773027133138, 4.810702354423639, 1.0]) {
            close(*found, expected);
        }
        assert_eq!(model_inputs(&[3.0, 20.0, 6.0], prepared.scaling.as_ref()), prepared.test.features[0]);
    }

    #[test]
    fn a_test_set_trains_on_every_data_row_and_tests_on_its_own() {
        let dataset = from_csv("x,y\n1,a\n2,b\n3,a\n", "train.csv", "y").expect("valid csv");
        let test = from_csv("x,y\n9,c\n8,b\n", "test.csv", "y").expect("valid csv");
        let prepared =
            prepare_with_test(dataset, Some(test), &block(Loss::CrossEntropy, 1.0, Features::Scale(0.0, 1.0)), 1, 3)
                .expect("fits");
        // The classes are those of both sets, so `c` (only in the test set) is class 2.
        assert_eq!(flat(&prepared.train.targets), vec![0.0, 1.0, 0.0]);
        assert_eq!(flat(&prepared.test.targets), vec![2.0, 1.0]);
        assert_eq!(prepared.test.locations, vec!["test.csv, line 2", "test.csv, line 3"]);
        // The scaling is fitted on the training rows alone: 9 maps beyond 1.
        assert_eq!(prepared.test.features, vec![vec![4.0], vec![3.5]]);
    }

    #[test]
    fn class_losses_make_index_onehot_and_signed_targets() {
        let text = "x,y\n1,b\n2,a\n3,c\n";
        let targets = |loss: Loss, n_outputs: usize| {
            let dataset = from_csv(text, "d.csv", "y").expect("valid csv");
            prepare(dataset, &block(loss, 1.0, Features::None), 1, n_outputs).map(|prepared| prepared.train.targets)
        };
        assert_eq!(targets(Loss::Nll, 3), Ok(vec![vec![1.0], vec![0.0], vec![2.0]]));
        assert_eq!(
            targets(Loss::MseOneHot, 3),
            Ok(vec![vec![0.0, 1.0, 0.0], vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 1.0]])
        );
        assert_eq!(
            targets(Loss::MseSigned, 3),
            Ok(vec![vec![-1.0, 1.0, -1.0], vec![1.0, -1.0, -1.0], vec![-1.0, -1.0, 1.0]])
        );
        assert_eq!(
            targets(Loss::MseOneHot, 2).map_err(|error| error.to_string()),
            Err("d.csv: the labels have 3 distinct values (a, b, c), so mse(onehot) needs 3 outputs, but the model has 2"
                .to_string())
        );
        // Two classes and one output: −1 for the first class, +1 for the second.
        let dataset = from_csv("x,y\n1,0\n2,1\n3,1\n", "d.csv", "y").expect("valid csv");
        let prepared = prepare(dataset, &block(Loss::MseSigned, 1.0, Features::None), 1, 1).expect("fits");
        assert_eq!(prepared.train.targets, vec![vec![-1.0], vec![1.0], vec![1.0]]);
        assert_eq!(prepared.classes, Some(vec![LabelValue::Number(0.0), LabelValue::Number(1.0)]));
    }

    #[test]
    fn several_label_columns_make_vector_targets_for_mse() {
        let text = "a,y1,b,y2\n1,0.5,2,-1\n3,0.25,4,2\n";
        let dataset = from_csv_columns(text, "d.csv", &["y1".into(), "y2".into()], None).expect("valid csv");
        assert_eq!(dataset.features, vec![vec![1.0, 2.0], vec![3.0, 4.0]]);
        let prepared = prepare(dataset.clone(), &block(Loss::Mse, 1.0, Features::None), 2, 2).expect("fits");
        assert_eq!(prepared.train.targets, vec![vec![0.5, -1.0], vec![0.25, 2.0]]);
        assert_eq!(
            prepare(dataset.clone(), &block(Loss::Mse, 1.0, Features::None), 2, 3).map_err(|error| error.to_string()),
            Err("d.csv: the label is 2 columns, one per output, but the model has 3 outputs".to_string())
        );
        assert_eq!(
            prepare(dataset, &block(Loss::Hinge, 1.0, Features::None), 2, 2).map_err(|error| error.to_string()),
            Err("d.csv: the label is 2 columns; several label columns are targets for `mse`, not hinge".to_string())
        );
    }

    #[test]
    fn bce_needs_labels_zero_and_one() {
        let dataset = from_csv("x,y\n1,0\n2,1\n", "d.csv", "y").expect("valid csv");
        let prepared = prepare(dataset, &block(Loss::Bce, 1.0, Features::None), 1, 1).expect("fits");
        assert_eq!(prepared.train.targets, vec![vec![0.0], vec![1.0]]);
        let dataset = from_csv("x,y\n1,0\n2,-1\n", "d.csv", "y").expect("valid csv");
        assert_eq!(
            error_text(dataset, Loss::Bce, 1, 1),
            "d.csv, line 3: bce needs labels 0 and 1, but the labels are `-1` and `0` (this row's is `-1`)"
        );
    }

    #[test]
    fn iris_classes_and_columns_select_rows_and_features() {
        let dataset = crate::train::generate::iris_selected(Some(&[2, 0]), Some(&[3, 0])).expect("valid selection");
        assert_eq!(dataset.n_rows(), 100);
        assert_eq!(dataset.feature_names, vec!["sepal_length", "petal_width"]);
        assert_eq!(dataset.features[0], vec![5.1, 0.2]);
        assert_eq!(dataset.features[99], vec![5.9, 1.8]);
        assert_eq!(dataset.source, "iris(classes = [2, 0], columns = [3, 0])");
        let prepared = prepare(dataset, &block(Loss::CrossEntropy, 1.0, Features::None), 2, 2).expect("fits");
        assert_eq!(
            prepared.classes,
            Some(vec![LabelValue::Text("setosa".into()), LabelValue::Text("virginica".into())])
        );
        assert_eq!(prepared.train.targets[99], vec![1.0]);
        assert!(crate::train::generate::iris_selected(Some(&[3]), None).is_err());
    }
}
