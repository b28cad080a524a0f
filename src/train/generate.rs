//! The builtin data sets: scikit-learn's moons and circles, Fisher's iris table, parity and xor.

use crate::ir::DataSource;
use crate::train::data::{from_csv, DataError, Dataset, LabelValue};
use crate::train::{rng_for, Stream};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use std::f64::consts::PI;

/// Fisher's iris data (150 rows) as scikit-learn and R ship it: the UCI file with the two
/// corrections its own notes give (rows 35 and 38).
const IRIS_CSV: &str = include_str!("iris.csv");

/// The largest `parity(bits)`, which has 2^bits rows.
pub(crate) const MAX_PARITY_BITS: usize = 20;

/// Builds a builtin data set from its seed, or `None` for `csv(…)`, which the caller reads.
pub fn builtin(source: &DataSource, seed: u64) -> Option<Result<Dataset, DataError>> {
    Some(match source {
        DataSource::Csv { .. } => return None,
        DataSource::Moons { samples, noise } => moons(*samples, *noise, seed),
        DataSource::Circles { samples, noise, factor } => circles(*samples, *noise, *factor, seed),
        DataSource::Iris { classes, columns } => iris_selected(classes.as_deref(), columns.as_deref()),
        DataSource::Parity { bits } => parity(*bits),
        DataSource::Xor { samples } => xor(*samples, seed),
    })
}

/// Builds a builtin `test` data set: as [`builtin`], from a seed drawn from the block's seed on
/// a stream of its own, so that `data moons(…)` and `test moons(…)` are different draws.
pub fn builtin_test(source: &DataSource, seed: u64) -> Option<Result<Dataset, DataError>> {
    let test_seed: u64 = rng_for(seed, Stream::TestData).random();
    builtin(source, test_seed)
}

/// A data source as a train block writes it, e.g. `csv("d.csv", label = "y", columns = ["a"])`
/// or `iris(classes = [0, 1])`.
pub fn written(source: &DataSource) -> String {
    let quoted = |names: &[String]| names.iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(", ");
    let indices = |indices: &[usize]| indices.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
    match source {
        DataSource::Csv { path, labels, columns } => {
            let label = match labels.as_slice() {
                [label] => format!("\"{label}\""),
                labels => format!("[{}]", quoted(labels)),
            };
            let columns =
                columns.as_ref().map_or(String::new(), |columns| format!(", columns = [{}]", quoted(columns)));
            format!("csv(\"{path}\", label = {label}{columns})")
        }
        DataSource::Iris { classes, columns } => {
            let mut args = Vec::new();
            if let Some(classes) = classes {
                args.push(format!("classes = [{}]", indices(classes)));
            }
            if let Some(columns) = columns {
                args.push(format!("columns = [{}]", indices(columns)));
            }
            format!("iris({})", args.join(", "))
        }
        DataSource::Moons { samples, noise } => format!("moons(samples = {samples}, noise = {noise})"),
        DataSource::Circles { samples, noise, factor } => {
            format!("circles(samples = {samples}, noise = {noise}, factor = {factor})")
        }
        DataSource::Parity { bits } => format!("parity(bits = {bits})"),
        DataSource::Xor { samples } => format!("xor(samples = {samples})"),
    }
}

/// Two interleaving half circles, as scikit-learn's `make_moons`.
///
/// The first `samples / 2` points lie on the upper half circle (label 0), the rest on the lower
/// one shifted to (1, 0.5) (label 1); the rows are shuffled and then each coordinate gets gaussian
/// noise with standard deviation `noise`, in that order, as scikit-learn does.
pub fn moons(samples: usize, noise: f64, seed: u64) -> Result<Dataset, DataError> {
    let source = format!("moons(samples = {samples}, noise = {noise})");
    check_noise(&source, noise)?;
    let n_outer = samples / 2;
    let n_inner = samples - n_outer;
    let mut points = Vec::with_capacity(samples);
    for angle in linspace(0.0, PI, n_outer) {
        points.push((vec![angle.cos(), angle.sin()], 0.0));
    }
    for angle in linspace(0.0, PI, n_inner) {
        points.push((vec![1.0 - angle.cos(), 1.0 - angle.sin() - 0.5], 1.0));
    }
    Ok(shuffled_with_noise(source, points, noise, seed))
}

/// A small circle inside a large one, as scikit-learn's `make_circles`.
///
/// The first `samples / 2` points are evenly spaced on the unit circle (label 0), the rest on the
/// circle of radius `factor` (label 1); then shuffle and noise as for [`moons`].
pub fn circles(samples: usize, noise: f64, factor: f64, seed: u64) -> Result<Dataset, DataError> {
    let source = format!("circles(samples = {samples}, noise = {noise}, factor = {factor})");
    check_noise(&source, noise)?;
    if !(0.0..1.0).contains(&factor) {
        return Err(DataError::BadGenerator { source, message: format!("factor must be in [0, 1), not {factor}") });
    }
    let n_outer = samples / 2;
    let n_inner = samples - n_outer;
    let mut points = Vec::with_capacity(samples);
    for angle in linspace_open(0.0, 2.0 * PI, n_outer) {
        points.push((vec![angle.cos(), angle.sin()], 0.0));
    }
    for angle in linspace_open(0.0, 2.0 * PI, n_inner) {
        points.push((vec![angle.cos() * factor, angle.sin() * factor], 1.0));
    }
    Ok(shuffled_with_noise(source, points, noise, seed))
}

/// Fisher's iris flowers: 150 rows of sepal length and width and petal length and width (cm),
/// labelled `setosa`, `versicolor` or `virginica`, 50 of each, in the table's order.
pub fn iris() -> Dataset {
    let mut dataset = from_csv(IRIS_CSV, "iris()", "species").expect("the shipped iris table is valid CSV");
    // The rows come from inside the binary, so a message should name them by row, not by line.
    dataset.header_line = None;
    dataset.lines.clear();
    dataset
}

/// The species of the iris table, sorted: class k of `iris(classes = [k, …])` is the k-th.
pub const IRIS_CLASSES: [&str; 3] = ["setosa", "versicolor", "virginica"];

/// The features of the iris table, in its order: column k of `iris(columns = [k, …])` is the k-th.
pub const IRIS_COLUMNS: [&str; 4] = ["sepal_length", "sepal_width", "petal_length", "petal_width"];

/// The iris table with only the rows of `classes` (indices into the sorted species) and the
/// features `columns` (indices into its columns, kept in table order), each all when `None`.
/// The rows keep their table order; messages number them within the selection.
pub fn iris_selected(classes: Option<&[usize]>, columns: Option<&[usize]>) -> Result<Dataset, DataError> {
    let mut dataset = iris();
    let source =
        written(&DataSource::Iris { classes: classes.map(<[usize]>::to_vec), columns: columns.map(<[usize]>::to_vec) });
    let bad = |message: String| DataError::BadSelection { source: source.clone(), message };
    if let Some(classes) = classes {
        if let Some(class_idx) = classes.iter().find(|&&class_idx| class_idx >= IRIS_CLASSES.len()) {
            return Err(bad(format!("iris has the classes 0 to 2 (setosa, versicolor, virginica), not {class_idx}")));
        }
        let keep: Vec<bool> = dataset
            .labels
            .iter()
            .map(|label| classes.iter().any(|&class_idx| *label == LabelValue::Text(IRIS_CLASSES[class_idx].into())))
            .collect();
        let mut kept = keep.iter();
        dataset.features.retain(|_| kept.next().copied().unwrap_or(false));
        let mut kept = keep.iter();
        dataset.labels.retain(|_| kept.next().copied().unwrap_or(false));
    }
    if let Some(columns) = columns {
        if let Some(column) = columns.iter().find(|&&column| column >= IRIS_COLUMNS.len()) {
            return Err(bad(format!("iris has the columns 0 to 3 ({}), not {column}", IRIS_COLUMNS.join(", "))));
        }
        let mut kept: Vec<usize> = columns.to_vec();
        kept.sort_unstable();
        kept.dedup();
        dataset.features =
            dataset.features.iter().map(|row| kept.iter().map(|&column| row[column]).collect()).collect();
        dataset.feature_names = kept.iter().map(|&column| IRIS_COLUMNS[column].to_string()).collect();
    }
    dataset.source = source;
    Ok(dataset)
}

/// Every bit string of length `bits` (first bit first, counting up from all zeros), labelled with
/// its parity: 1 when the number of ones is odd.
pub(crate) fn parity(bits: usize) -> Result<Dataset, DataError> {
    let source = format!("parity(bits = {bits})");
    if bits == 0 || bits > MAX_PARITY_BITS {
        return Err(DataError::BadGenerator {
            source,
            message: format!("bits must be between 1 and {MAX_PARITY_BITS}, not {bits}"),
        });
    }
    let n_rows = 1usize << bits;
    let mut features = Vec::with_capacity(n_rows);
    let mut labels = Vec::with_capacity(n_rows);
    for value in 0..n_rows {
        let row: Vec<f64> = (0..bits).map(|bit_idx| ((value >> (bits - 1 - bit_idx)) & 1) as f64).collect();
        labels.push(LabelValue::Number((value.count_ones() % 2) as f64));
        features.push(row);
    }
    let feature_names = (0..bits).map(|bit_idx| format!("b{bit_idx}")).collect();
    Ok(Dataset {
        source,
        header_line: None,
        feature_names,
        features,
        labels,
        label_vectors: Vec::new(),
        lines: Vec::new(),
    })
}

/// Points drawn uniformly from the square [-1, 1]², labelled 1 where exactly one coordinate is positive.
pub fn xor(samples: usize, seed: u64) -> Result<Dataset, DataError> {
    let source = format!("xor(samples = {samples})");
    let mut rng = rng_for(seed, Stream::Data);
    let mut features = Vec::with_capacity(samples);
    let mut labels = Vec::with_capacity(samples);
    for _ in 0..samples {
        let x: f64 = rng.random_range(-1.0..=1.0);
        let y: f64 = rng.random_range(-1.0..=1.0);
        labels.push(LabelValue::Number(if (x > 0.0) != (y > 0.0) { 1.0 } else { 0.0 }));
        features.push(vec![x, y]);
    }
    Ok(planar(source, features, labels))
}

fn check_noise(source: &str, noise: f64) -> Result<(), DataError> {
    if noise.is_finite() && noise >= 0.0 {
        Ok(())
    } else {
        Err(DataError::BadGenerator {
            source: source.to_string(),
            message: format!("noise must be a finite number >= 0, not {noise}"),
        })
    }
}

/// `n` evenly spaced values from `start` to `stop` inclusive, as numpy's `linspace`.
fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![start],
        _ => {
            let step = (stop - start) / (n - 1) as f64;
            // numpy sets the last value to `stop` exactly rather than trusting the rounding of `step`.
            (0..n).map(|i| if i == n - 1 { stop } else { start + i as f64 * step }).collect()
        }
    }
}

/// `n` evenly spaced values from `start` up to but not including `stop` (numpy's `endpoint=False`).
fn linspace_open(start: f64, stop: f64, n: usize) -> Vec<f64> {
    let step = if n == 0 { 0.0 } else { (stop - start) / n as f64 };
    (0..n).map(|i| start + i as f64 * step).collect()
}

/// Shuffles the labelled points and then adds gaussian noise to each coordinate, row by row.
fn shuffled_with_noise(source: String, mut points: Vec<(Vec<f64>, f64)>, noise: f64, seed: u64) -> Dataset {
    let mut rng: ChaCha8Rng = rng_for(seed, Stream::Data);
    points.shuffle(&mut rng);
    if noise > 0.0 {
        let normal = Normal::new(0.0, noise).expect("noise was checked to be finite and positive");
        for (point, _) in &mut points {
            for coordinate in point.iter_mut() {
                *coordinate += normal.sample(&mut rng);
            }
        }
    }
    let (features, labels): (Vec<Vec<f64>>, Vec<LabelValue>) =
        points.into_iter().map(|(point, label)| (point, LabelValue::Number(label))).unzip();
    planar(source, features, labels)
}

/// A generated data set of points in the plane, with features `x` and `y`.
fn planar(source: String, features: Vec<Vec<f64>>, labels: Vec<LabelValue>) -> Dataset {
    Dataset {
        source,
        header_line: None,
        feature_names: vec!["x".into(), "y".into()],
        features,
        labels,
        label_vectors: Vec::new(),
        lines: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count_label(dataset: &Dataset, label: &LabelValue) -> usize {
        dataset.labels.iter().filter(|l| *l == label).count()
    }

    #[test]
    fn moons_have_two_features_and_balanced_labels() {
        let dataset = moons(201, 0.1, 7).expect("valid arguments");
        assert_eq!(dataset.n_rows(), 201);
        assert!(dataset.features.iter().all(|row| row.len() == 2));
        assert_eq!(count_label(&dataset, &LabelValue::Number(0.0)), 100);
        assert_eq!(count_label(&dataset, &LabelValue::Number(1.0)), 101);
    }

    #[test]
    fn noiseless_moons_lie_on_their_half_circles() {
        let dataset = moons(50, 0.0, 1).expect("valid arguments");
        for (row, label) in dataset.features.iter().zip(&dataset.labels) {
            let (center_x, center_y) = if *label == LabelValue::Number(0.0) { (0.0, 0.0) } else { (1.0, 0.5) };
            let radius = ((row[0] - center_x).powi(2) + (row[1] - center_y).powi(2)).sqrt();
            assert!((radius - 1.0).abs() < 1e-12);
            // The outer moon is the upper half circle and the inner one the lower half.
            if *label == LabelValue::Number(0.0) {
                assert!(row[1] >= -1e-12);
            } else {
                assert!(row[1] <= 0.5 + 1e-12);
            }
        }
    }

    #[test]
    fn moons_repeat_for_a_seed_and_change_with_it() {
        assert_eq!(moons(30, 0.2, 3), moons(30, 0.2, 3));
        assert_ne!(moons(30, 0.2, 3), moons(30, 0.2, 4));
    }

    #[test]
    fn noiseless_circles_have_radius_one_and_factor() {
        let dataset = circles(100, 0.0, 0.5, 2).expect("valid arguments");
        assert_eq!(dataset.n_rows(), 100);
        assert_eq!(count_label(&dataset, &LabelValue::Number(0.0)), 50);
        assert_eq!(count_label(&dataset, &LabelValue::Number(1.0)), 50);
        for (row, label) in dataset.features.iter().zip(&dataset.labels) {
            let radius = (row[0] * row[0] + row[1] * row[1]).sqrt();
            let expected = if *label == LabelValue::Number(0.0) { 1.0 } else { 0.5 };
            assert!((radius - expected).abs() < 1e-12);
        }
    }

    #[test]
    fn circles_reject_a_factor_of_one() {
        let error = circles(10, 0.0, 1.0, 0).expect_err("factor 1 is invalid");
        assert_eq!(error.to_string(), "circles(samples = 10, noise = 0, factor = 1): factor must be in [0, 1), not 1");
    }

    #[test]
    fn negative_noise_is_an_error() {
        let error = moons(10, -0.5, 0).expect_err("negative noise is invalid");
        assert_eq!(
            error.to_string(),
            "moons(samples = 10, noise = -0.5): noise must be a finite number >= 0, not -0.5"
        );
    }

    #[test]
    fn iris_has_150_rows_50_per_class_and_the_known_first_row() {
        let dataset = iris();
        assert_eq!(dataset.n_rows(), 150);
        assert_eq!(dataset.feature_names, vec!["sepal_length", "sepal_width", "petal_length", "petal_width"]);
        for class in ["setosa", "versicolor", "virginica"] {
            assert_eq!(count_label(&dataset, &LabelValue::Text(class.into())), 50);
        }
        assert_eq!(dataset.features[0], vec![5.1, 3.5, 1.4, 0.2]);
        assert_eq!(dataset.labels[0], LabelValue::Text("setosa".into()));
        assert_eq!(dataset.features[149], vec![5.9, 3.0, 5.1, 1.8]);
        assert_eq!(dataset.row_location(0), "iris(), row 1");
    }

    #[test]
    fn iris_matches_fishers_table_in_rows_35_and_38_and_its_column_means() {
        let dataset = iris();
        assert_eq!(dataset.features[34], vec![4.9, 3.1, 1.5, 0.2]);
        assert_eq!(dataset.features[37], vec![4.9, 3.6, 1.4, 0.1]);
        let means: Vec<f64> =
            (0..4).map(|column| dataset.features.iter().map(|row| row[column]).sum::<f64>() / 150.0).collect();
        let expected = [5.843_333_333, 3.057_333_333, 3.758, 1.199_333_333];
        for (mean, expected) in means.iter().zip(expected) {
            assert!((mean - expected).abs() < 1e-6, "{mean} vs {expected}");
        }
    }

    #[test]
    fn parity_lists_every_bit_string_with_its_parity() {
        let dataset = parity(3).expect("valid arguments");
        assert_eq!(dataset.n_rows(), 8);
        assert_eq!(dataset.features[6], vec![1.0, 1.0, 0.0]);
        assert_eq!(dataset.labels[6], LabelValue::Number(0.0));
        assert_eq!(dataset.labels[7], LabelValue::Number(1.0));
        assert_eq!(count_label(&dataset, &LabelValue::Number(1.0)), 4);
        assert!(parity(0).is_err());
    }

    #[test]
    fn xor_labels_follow_the_quadrants() {
        let dataset = xor(200, 5).expect("valid arguments");
        assert_eq!(dataset.n_rows(), 200);
        for (row, label) in dataset.features.iter().zip(&dataset.labels) {
            assert!(row.iter().all(|value| (-1.0..=1.0).contains(value)));
            let expected = if (row[0] > 0.0) != (row[1] > 0.0) { 1.0 } else { 0.0 };
            assert_eq!(*label, LabelValue::Number(expected));
        }
        let ones = count_label(&dataset, &LabelValue::Number(1.0));
        assert!((70..=130).contains(&ones), "{ones} of 200 points in the xor class");
    }

    #[test]
    fn builtin_leaves_csv_to_the_caller() {
        let csv = DataSource::Csv { path: "d.csv".into(), labels: vec!["y".into()], columns: None };
        assert!(builtin(&csv, 0).is_none());
        assert_eq!(
            builtin(&DataSource::Iris { classes: None, columns: None }, 0).map(|result| result.map(|d| d.n_rows())),
            Some(Ok(150))
        );
    }
}
