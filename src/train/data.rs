//! Data sets as rows of features and a label, read from CSV text, and the errors that name where a row went wrong.

use crate::codes::Code;
use std::fmt;

/// A label as it appears in the data: a number, or a string such as `setosa`.
///
/// A label column is numeric when every one of its values parses as a finite number; otherwise
/// every value of it is kept as a string, so `1` and `a` in one column are two strings.
#[derive(Clone, Debug, PartialEq)]
pub enum LabelValue {
    Number(f64),
    Text(String),
}

impl LabelValue {
    pub(crate) fn as_number(&self) -> Option<f64> {
        match self {
            LabelValue::Number(value) => Some(*value),
            LabelValue::Text(_) => None,
        }
    }

    /// Orders labels for class numbering: numbers numerically, strings lexicographically, and
    /// (in a column that cannot hold both) numbers before strings.
    pub(crate) fn total_cmp(&self, other: &LabelValue) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        match (self, other) {
            (LabelValue::Number(a), LabelValue::Number(b)) => a.total_cmp(b),
            (LabelValue::Text(a), LabelValue::Text(b)) => a.cmp(b),
            (LabelValue::Number(_), LabelValue::Text(_)) => Ordering::Less,
            (LabelValue::Text(_), LabelValue::Number(_)) => Ordering::Greater,
        }
    }
}

impl fmt::Display for LabelValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelValue::Number(value) => write!(f, "{value}"),
            LabelValue::Text(text) => write!(f, "{text}"),
        }
    }
}

/// Rows of features with one label each, and where they came from (for messages).
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// The file name as the caller gave it, or the generator call, e.g. `moons(samples = 200, noise = 0.1)`.
    pub source: String,
    /// For a file, the 1-based line of its header; for a generator, none (rows are then located by
    /// row number rather than by line).
    pub header_line: Option<usize>,
    pub feature_names: Vec<String>,
    pub features: Vec<Vec<f64>>,
    /// One label per row, or none at all for rows read only to predict on. With several label
    /// columns, the first column's value.
    pub labels: Vec<LabelValue>,
    /// With several label columns (`label = ["y1", "y2"]`), each row's values of them, as
    /// numbers; empty for a single label column.
    pub label_vectors: Vec<Vec<f64>>,
    /// For a file, the 1-based line of each row; for a generator, empty.
    pub lines: Vec<usize>,
}

impl Dataset {
    pub fn n_rows(&self) -> usize {
        self.features.len()
    }

    pub fn n_features(&self) -> usize {
        self.feature_names.len()
    }

    /// Where row `row_idx` (0-based, in the data's own order) is, for a message: `data.csv, line 4`
    /// or `moons(samples = 8, noise = 0), row 3`.
    pub fn row_location(&self, row_idx: usize) -> String {
        match self.lines.get(row_idx) {
            Some(line) => format!("{}, line {line}", self.source),
            _ => format!("{}, row {}", self.source, row_idx + 1),
        }
    }
}

/// Everything that can be wrong with a data set, from reading it to fitting it to a model.
#[derive(Clone, Debug, PartialEq)]
pub enum DataError {
    /// The file has no header line (it is empty or blank).
    EmptyFile { source: String },
    /// The file has a header but no data rows.
    NoRows { source: String },
    /// The train block names a label column the header does not have.
    MissingLabelColumn { source: String, line: usize, label: String, columns: Vec<String> },
    /// A row has more or fewer fields than the header.
    WrongFieldCount { location: String, found: usize, expected: usize },
    /// A feature field is not a finite number.
    BadFeature { location: String, column: usize, column_name: String, text: String },
    /// A label field is empty.
    EmptyLabel { location: String, column: usize, column_name: String },
    /// The CSV reader could not read a record (for instance, text that is not UTF-8).
    Malformed { location: String, message: String },
    /// A builtin generator was called with arguments it cannot use.
    BadGenerator { source: String, message: String },
    /// The rows have a different number of features than the model's input. For a file, the
    /// header's line and its feature columns (every column but the label) are named.
    FeatureCount { source: String, header_line: Option<usize>, columns: Vec<String>, expected: usize },
    /// The losses of classes (`cross_entropy`, `nll`, `mse(onehot)`, `mse(signed)`) need one
    /// output per distinct label.
    ClassCount { source: String, loss: &'static str, classes: Vec<String>, n_outputs: usize },
    /// Several label columns need `mse` and one output per column.
    LabelWidth { source: String, loss: &'static str, width: usize, n_outputs: usize },
    /// `bce` needs labels 0 and 1; `labels` are the distinct labels the data has, sorted.
    BadBinaryLabel { location: String, label: String, labels: Vec<String> },
    /// `columns` or `label` names a column the header does not have.
    MissingColumn { source: String, line: usize, column: String, columns: Vec<String> },
    /// A column is both a label and a feature (`columns` names a label column).
    LabelAsFeature { source: String, column: String },
    /// A value of one of several label columns is not a finite number.
    BadLabel { location: String, column: usize, column_name: String, text: String },
    /// `classes` or `columns` of a builtin data set picks an index it does not have.
    BadSelection { source: String, message: String },
    /// `mse` and `hinge` compare one output with each label.
    OutputCount { loss: &'static str, n_outputs: usize },
    /// `mse` and `hinge` need numeric labels.
    NonNumericLabel { location: String, loss: &'static str, label: String },
    /// `hinge` needs labels -1 and 1 (or 0 and 1, mapped to -1 and 1); `labels` are the distinct
    /// labels the data has, sorted.
    BadHingeLabel { location: String, label: String, labels: Vec<String> },
    /// The data set has no labels to train against (it was read for prediction).
    MissingLabels { source: String },
    /// The split leaves no rows to train on.
    EmptyTrainingSplit { source: String, split: f64, n_rows: usize },
    /// A file without a header has neither as many columns as the model has inputs, nor one
    /// more (the label, last).
    ColumnCount { source: String, line: usize, found: usize, expected: usize },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataError::EmptyFile { source } => {
                write!(f, "{source}: the file is empty; it needs a header line naming its columns")
            }
            DataError::NoRows { source } => write!(f, "{source}: the file has a header but no data rows"),
            DataError::MissingLabelColumn { source, line, label, columns } => {
                let names: Vec<String> = columns.iter().map(|name| format!("`{name}`")).collect();
                write!(f, "{source}, line {line}: there is no label column `{label}`; the columns are {}", names.join(", "))
            }
            DataError::WrongFieldCount { location, found, expected } => {
                write!(f, "{location}: the row has {}, but the header has {}", count(*found, "field"), count(*expected, "column"))
            }
            DataError::BadFeature { location, column, column_name, text } => {
                write!(f, "{location}, column {column} (`{column_name}`): `{text}` is not a finite number")
            }
            DataError::EmptyLabel { location, column, column_name } => {
                write!(f, "{location}, column {column} (`{column_name}`): the label is empty")
            }
            DataError::Malformed { location, message } => write!(f, "{location}: {message}"),
            DataError::BadGenerator { source, message } => write!(f, "{source}: {message}"),
            DataError::FeatureCount { source, header_line: Some(line), columns, expected } => write!(
                f,
                "{source}, line {line}: the header names {} ({}), but the model's input has {}",
                count(columns.len(), "feature"),
                if columns.is_empty() { "no column besides the label".to_string() } else { listed(columns, 10) },
                count(*expected, "value")
            ),
            DataError::FeatureCount { source, header_line: None, columns, expected } => write!(
                f,
                "{source}: the rows have {}, but the model's input has {}",
                count(columns.len(), "feature"),
                count(*expected, "value")
            ),
            DataError::ClassCount { source, loss, classes, n_outputs } => write!(
                f,
                "{source}: the labels have {} ({}), so {loss} needs {}{}, but the model has {n_outputs}",
                count(classes.len(), "distinct value"),
                classes.join(", "),
                count(classes.len(), "output"),
                if *loss == "mse(signed)" && classes.len() == 2 { " (or 1)" } else { "" }
            ),
            DataError::LabelWidth { source, loss: "mse", width, n_outputs } => write!(
                f,
                "{source}: the label is {}, one per output, but the model has {}",
                count(*width, "column"),
                count(*n_outputs, "output")
            ),
            DataError::LabelWidth { source, loss, width, .. } => write!(
                f,
                "{source}: the label is {}; several label columns are targets for `mse`, not {loss}",
                count(*width, "column")
            ),
            DataError::BadBinaryLabel { location, label, labels } => write!(
                f,
                "{location}: bce needs labels 0 and 1, but the labels are {} (this row's is `{label}`)",
                listed(labels, 10)
            ),
            DataError::MissingColumn { source, line, column, columns } => {
                let names: Vec<String> = columns.iter().map(|name| format!("`{name}`")).collect();
                write!(f, "{source}, line {line}: there is no column `{column}`; the header names {}", names.join(", "))
            }
            DataError::LabelAsFeature { source, column } => {
                write!(f, "{source}: `{column}` is a label column, so it cannot also be a feature in `columns`")
            }
            DataError::BadLabel { location, column, column_name, text } => {
                write!(f, "{location}, column {column} (`{column_name}`): `{text}` is not a finite number; label columns that make a vector hold numbers")
            }
            DataError::BadSelection { source, message } => write!(f, "{source}: {message}"),
            DataError::OutputCount { loss, n_outputs } => write!(
                f,
                "{loss} compares one output with each label, but the model has {}; use cross_entropy to classify into several classes",
                count(*n_outputs, "output")
            ),
            DataError::NonNumericLabel { location, loss, label } => {
                write!(f, "{location}: {loss} needs numeric labels, but the label is `{label}`")
            }
            DataError::BadHingeLabel { location, label, labels } => write!(
                f,
                "{location}: hinge needs labels -1 and 1 (or 0 and 1), but the labels are {} (this row's is `{label}`)",
                listed(labels, 10)
            ),
            DataError::MissingLabels { source } => write!(f, "{source}: the rows have no labels to train against"),
            DataError::EmptyTrainingSplit { source, split, n_rows } => {
                write!(f, "{source}: split {split} of {} leaves no rows to train on", count(*n_rows, "row"))
            }
            DataError::ColumnCount { source, line, found, expected } => write!(
                f,
                "{source}, line {line}: the file has no header and its rows have {}, but the model's input has {}; \
                 without a header the columns are the inputs in order, optionally followed by the label",
                count(*found, "column"),
                count(*expected, "value")
            ),
        }
    }
}

impl DataError {
    /// The diagnostic code of every data error: E0907, a data file training cannot use.
    pub fn code(&self) -> Code {
        Code::E0907
    }
}

impl std::error::Error for DataError {}

/// `1 feature`, `3 features`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// Names in backquotes, `` `a`, `b` and `c` ``, the first `limit` of them and then how many more.
fn listed(names: &[String], limit: usize) -> String {
    let quoted: Vec<String> = names.iter().take(limit).map(|name| format!("`{name}`")).collect();
    match (quoted.split_last(), names.len()) {
        (None, _) => String::new(),
        (Some((only, [])), 1) => only.clone(),
        (Some((last, rest)), n) if n <= limit => format!("{} and {last}", rest.join(", ")),
        (Some(_), n) => format!("{}, and {} more", quoted.join(", "), n - limit),
    }
}

/// One record of a CSV file: its 1-based line and its fields, trimmed of surrounding spaces.
///
/// This is the only shape the rest of the module sees of a CSV file, so the reader behind
/// [`read_csv_records`] can be swapped without touching anything else.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvRecord {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Splits CSV text into records (the header first), skipping blank lines.
///
/// Quoted fields (`"a, b"`, with `""` for a quote) and CRLF line ends are accepted. Rows may have
/// any number of fields here; [`from_csv`] checks them against the header so that it can say
/// which line is wrong.
pub fn read_csv_records(text: &str, source: &str) -> Result<Vec<CsvRecord>, DataError> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let lines = LineStarts::new(text);
    let mut records = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                // The reader's own line count leaves out blank lines, so the line is counted from
                // the record's byte offset instead.
                let line =
                    record.position().map_or(records.len() + 1, |position| lines.line_of_record(position.byte()));
                records.push(CsvRecord { line, fields: record.iter().map(str::to_string).collect() });
            }
            Err(error) => {
                let location = match error.position() {
                    Some(position) => format!("{source}, line {}", lines.line_of_record(position.byte())),
                    None => source.to_string(),
                };
                return Err(DataError::Malformed { location, message: error.to_string() });
            }
        }
    }
    Ok(records)
}

/// Where each line of a CSV text starts, so that a record's line is found by binary search
/// rather than by counting from the start of the text for every record. A line ends at `\n`,
/// `\r\n` or a lone `\r`, as the CSV reader ends its records (and as the front end counts the
/// lines of a source).
struct LineStarts<'text> {
    bytes: &'text [u8],
    starts: Vec<usize>,
}

impl<'text> LineStarts<'text> {
    fn new(text: &'text str) -> LineStarts<'text> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (idx, byte) in bytes.iter().enumerate() {
            let ends_line = *byte == b'\n' || (*byte == b'\r' && bytes.get(idx + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(idx + 1);
            }
        }
        LineStarts { bytes, starts }
    }

    /// The 1-based line on which a record starts, given the reader's byte position for it: the
    /// reader may point at the line ends before the record, which are skipped.
    fn line_of_record(&self, byte_offset: u64) -> usize {
        let mut start = usize::try_from(byte_offset).unwrap_or(usize::MAX).min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        self.starts.partition_point(|&line_start| line_start <= start)
    }
}

/// Reads a data set from the text of a CSV file named `source`.
///
/// The header is required. The column named `label` holds the labels; every other column is a
/// feature, in file order. Labels are numbers if every one of them parses as a finite number,
/// and strings otherwise.
pub fn from_csv(text: &str, source: &str, label: &str) -> Result<Dataset, DataError> {
    from_csv_columns(text, source, &[label.to_string()], None)
}

/// Reads a training data set from the text of a CSV file named `source`, as a train block's
/// `csv(path, label = …, columns = […])` asks: `labels` are the label columns (one, or several
/// for vector targets, whose values must then be numbers), and `columns`, if given, the feature
/// columns, taken in file order; without it every other column is a feature.
pub fn from_csv_columns(
    text: &str,
    source: &str,
    labels: &[String],
    columns: Option<&[String]>,
) -> Result<Dataset, DataError> {
    let records = read_csv_records(text, source)?;
    let Some(header) = records.first() else {
        return Err(DataError::EmptyFile { source: source.to_string() });
    };
    let mut label_indices = Vec::with_capacity(labels.len());
    for label in labels {
        let Some(label_idx) = header.fields.iter().position(|name| name == label) else {
            return Err(DataError::MissingLabelColumn {
                source: source.to_string(),
                line: header.line,
                label: label.to_string(),
                columns: header.fields.clone(),
            });
        };
        label_indices.push(label_idx);
    }
    let feature_columns = match columns {
        Some(columns) => {
            let mut positions = selected_columns(header, source, columns, &label_indices)?;
            // Training takes its columns in file order, whatever the order of the list.
            positions.sort_unstable();
            Some(positions)
        }
        None => None,
    };
    dataset_from_records(&records, source, &label_indices, feature_columns.as_deref())
}

/// The positions of the named feature columns in the header, in the order of `columns`. A name
/// the header lacks, or a label column, is an error.
fn selected_columns(
    header: &CsvRecord,
    source: &str,
    columns: &[String],
    label_indices: &[usize],
) -> Result<Vec<usize>, DataError> {
    let mut positions = Vec::with_capacity(columns.len());
    for column in columns {
        let Some(position) = header.fields.iter().position(|name| name == column) else {
            return Err(DataError::MissingColumn {
                source: source.to_string(),
                line: header.line,
                column: column.clone(),
                columns: header.fields.clone(),
            });
        };
        if label_indices.contains(&position) {
            return Err(DataError::LabelAsFeature { source: source.to_string(), column: column.clone() });
        }
        if !positions.contains(&position) {
            positions.push(position);
        }
    }
    Ok(positions)
}

/// Reads rows to predict on: like [`from_csv`] when the file has the column `label`, and
/// otherwise every column is a feature and the data set has no labels.
pub fn features_from_csv(text: &str, source: &str, label: Option<&str>) -> Result<Dataset, DataError> {
    let records = read_csv_records(text, source)?;
    let Some(header) = records.first() else {
        return Err(DataError::EmptyFile { source: source.to_string() });
    };
    let label_idx = label.and_then(|label| header.fields.iter().position(|name| name == label));
    dataset_from_records(&records, source, label_idx.as_slice(), None)
}

/// Whether the first row of a CSV file of rows to evaluate names the columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderRule {
    /// A first row is data when it is numbers only, or when it has one cell more than the
    /// model's inputs and only that last cell (the label, such as `setosa`) is not a number;
    /// any other first row is a header.
    Detect,
    /// Every row is data (`--no-header`).
    Absent,
}

/// How [`rows_from_csv`] read a file's first row, for the note the CLI prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderFound {
    /// The first row, at this line, names the columns.
    Header { line: usize },
    /// The first row was read as data: it looked like data (`told` false, see
    /// [`HeaderRule::Detect`]) or `--no-header` said so (`told` true). `label_last` says whether the last column was taken as the label.
    NoHeader { told: bool, n_columns: usize, label_last: bool },
}

/// Reads rows to evaluate the model on (`predict`, `run --data`, `grad --data`), with or without
/// a header as `rule` says.
///
/// With a header, the first of the column names `labels` the header has (if any) is the labels'
/// column, and every other column is a feature, as in [`features_from_csv`]. Without one, the
/// columns are the model's `n_inputs` features in order, and a row with exactly one column more
/// has its label last.
pub fn rows_from_csv(
    text: &str,
    source: &str,
    labels: &[&str],
    rule: HeaderRule,
    n_inputs: usize,
) -> Result<(Dataset, HeaderFound), DataError> {
    rows_from_csv_columns(text, source, labels, None, rule, n_inputs)
}

/// Feature columns picked by name from a file with a header, for [`rows_from_csv_columns`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnChoice<'a> {
    pub names: &'a [String],
    /// Whether the columns are taken in the file's order (as training takes a block's
    /// `columns`) rather than in the order of `names` (training's order, from a params file).
    pub in_file_order: bool,
}

/// [`rows_from_csv`] with the feature columns training kept (`columns`, by name): a file with a
/// header gives those columns, in the order the choice says, whatever else it has; a file without one gives
/// its columns as the inputs in order, as [`rows_from_csv`] does. With a header, every column
/// named in `labels` is left out (a vector target has several).
pub fn rows_from_csv_columns(
    text: &str,
    source: &str,
    labels: &[&str],
    columns: Option<ColumnChoice<'_>>,
    rule: HeaderRule,
    n_inputs: usize,
) -> Result<(Dataset, HeaderFound), DataError> {
    let records = read_csv_records(text, source)?;
    let Some(first) = records.first() else {
        return Err(DataError::EmptyFile { source: source.to_string() });
    };
    // Anything that reads as a number, `inf`, `NaN` and `1e400` too, is data rather than a
    // column name: such a first row is kept, and then refused as not finite, naming its line,
    // instead of being dropped as a header.
    let is_number = |field: &String| field.parse::<f64>().is_ok();
    let numbers_then_label = first.fields.len() == n_inputs + 1
        && first.fields[..n_inputs].iter().all(is_number)
        && !labels.contains(&first.fields[n_inputs].as_str());
    let looks_like_data = first.fields.iter().all(is_number) || numbers_then_label;
    if rule == HeaderRule::Detect && !looks_like_data {
        let label_idx = labels.iter().find_map(|label| first.fields.iter().position(|name| name == label));
        let dropped: Vec<usize> =
            (0..first.fields.len()).filter(|idx| labels.contains(&first.fields[*idx].as_str())).collect();
        let feature_columns = match columns {
            Some(choice) => {
                let mut positions = selected_columns(first, source, choice.names, &dropped)?;
                if choice.in_file_order {
                    positions.sort_unstable();
                }
                positions
            }
            None => (0..first.fields.len()).filter(|idx| !dropped.contains(idx)).collect(),
        };
        let dataset = dataset_from_records(&records, source, label_idx.as_slice(), Some(&feature_columns))?;
        return Ok((dataset, HeaderFound::Header { line: first.line }));
    }
    let n_columns = first.fields.len();
    let label_idx = if n_columns == n_inputs {
        None
    } else if n_columns == n_inputs + 1 {
        Some(n_columns - 1)
    } else {
        return Err(DataError::ColumnCount {
            source: source.to_string(),
            line: first.line,
            found: n_columns,
            expected: n_inputs,
        });
    };
    if let Some(row) = records.iter().find(|row| row.fields.len() != n_columns) {
        let plural = if row.fields.len() == 1 { "" } else { "s" };
        return Err(DataError::Malformed {
            location: format!("{source}, line {}", row.line),
            message: format!("the row has {} field{plural}, but the first row has {n_columns}", row.fields.len()),
        });
    }
    // The rows are read as if under a header naming the columns by number.
    let header = CsvRecord { line: 0, fields: (1..=n_columns).map(|column| format!("column {column}")).collect() };
    let with_header: Vec<CsvRecord> = std::iter::once(header).chain(records.iter().cloned()).collect();
    let mut dataset = dataset_from_records(&with_header, source, label_idx.as_slice(), None)?;
    dataset.header_line = None;
    let found = HeaderFound::NoHeader { told: rule == HeaderRule::Absent, n_columns, label_last: label_idx.is_some() };
    Ok((dataset, found))
}

/// Turns the header and rows of a CSV file into a data set, with the columns `label_indices` as
/// the labels (none, one, or several making a vector of numbers) and the columns
/// `feature_columns` (by default every other column) as the features.
fn dataset_from_records(
    records: &[CsvRecord],
    source: &str,
    label_indices: &[usize],
    feature_columns: Option<&[usize]>,
) -> Result<Dataset, DataError> {
    let Some((header, rows)) = records.split_first() else {
        return Err(DataError::EmptyFile { source: source.to_string() });
    };
    if rows.is_empty() {
        return Err(DataError::NoRows { source: source.to_string() });
    }
    let label_idx = label_indices.first().copied();
    let feature_columns: Vec<usize> = match feature_columns {
        Some(columns) => columns.to_vec(),
        None => (0..header.fields.len()).filter(|column| !label_indices.contains(column)).collect(),
    };
    let mut label_vectors = Vec::new();
    let feature_names = feature_columns.iter().map(|&column| header.fields[column].clone()).collect();

    let mut features = Vec::with_capacity(rows.len());
    let mut label_texts = Vec::with_capacity(rows.len());
    let mut lines = Vec::with_capacity(rows.len());
    for row in rows {
        let location = format!("{source}, line {}", row.line);
        if row.fields.len() != header.fields.len() {
            return Err(DataError::WrongFieldCount {
                location,
                found: row.fields.len(),
                expected: header.fields.len(),
            });
        }
        let mut row_features = Vec::with_capacity(feature_columns.len());
        for &column in &feature_columns {
            let text = &row.fields[column];
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() => row_features.push(value),
                _ => {
                    return Err(DataError::BadFeature {
                        location,
                        column: column + 1,
                        column_name: header.fields[column].clone(),
                        text: text.clone(),
                    })
                }
            }
        }
        if let Some(label_idx) = label_idx {
            let label_text = &row.fields[label_idx];
            if label_text.is_empty() {
                return Err(DataError::EmptyLabel {
                    location,
                    column: label_idx + 1,
                    column_name: header.fields[label_idx].clone(),
                });
            }
            label_texts.push(label_text.clone());
        }
        if label_indices.len() > 1 {
            let mut vector = Vec::with_capacity(label_indices.len());
            for &column in label_indices {
                let text = &row.fields[column];
                match text.parse::<f64>() {
                    Ok(value) if value.is_finite() => vector.push(value),
                    _ => {
                        return Err(DataError::BadLabel {
                            location,
                            column: column + 1,
                            column_name: header.fields[column].clone(),
                            text: text.clone(),
                        })
                    }
                }
            }
            label_vectors.push(vector);
        }
        features.push(row_features);
        lines.push(row.line);
    }
    Ok(Dataset {
        source: source.to_string(),
        header_line: Some(header.line),
        feature_names,
        features,
        labels: labels_from_texts(label_texts),
        label_vectors,
        lines,
    })
}

/// Makes a label column numeric when every value is a finite number, and text otherwise.
fn labels_from_texts(texts: Vec<String>) -> Vec<LabelValue> {
    let numbers: Option<Vec<f64>> =
        texts.iter().map(|text| text.parse::<f64>().ok().filter(|value| value.is_finite())).collect();
    match numbers {
        Some(numbers) => numbers.into_iter().map(LabelValue::Number).collect(),
        None => texts.into_iter().map(LabelValue::Text).collect(),
    }
}

#[cfg(test)]
#[path = "data_tests.rs"]
mod tests;
