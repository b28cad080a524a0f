//! The tests of the CSV reader and of the data errors' messages.

use super::*;

fn error_text(text: &str, label: &str) -> String {
    match from_csv(text, "data.csv", label) {
        Ok(dataset) => panic!("expected an error, read {dataset:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn csv_rows_become_features_in_file_order_and_a_label() {
    let dataset = from_csv("a,y,b\n1,0,2\n\n3, 1 ,4.5\n", "data.csv", "y").expect("valid csv");
    assert_eq!(dataset.feature_names, vec!["a", "b"]);
    assert_eq!(dataset.features, vec![vec![1.0, 2.0], vec![3.0, 4.5]]);
    assert_eq!(dataset.labels, vec![LabelValue::Number(0.0), LabelValue::Number(1.0)]);
    assert_eq!(dataset.lines, vec![2, 4]);
    assert_eq!(dataset.row_location(1), "data.csv, line 4");
}

#[test]
fn a_label_column_with_any_word_is_all_text() {
    let dataset = from_csv("x,y\n1,2\n3,cat\n", "data.csv", "y").expect("valid csv");
    assert_eq!(dataset.labels, vec![LabelValue::Text("2".into()), LabelValue::Text("cat".into())]);
}

#[test]
fn quoted_fields_and_crlf_line_ends_are_read() {
    let dataset = from_csv("\"x\",label\r\n\"1.5\",\"a, b\"\r\n\r\n2,\"two\nlines\"\r\n3,c\r\n", "data.csv", "label")
        .expect("valid csv");
    assert_eq!(dataset.features, vec![vec![1.5], vec![2.0], vec![3.0]]);
    assert_eq!(dataset.labels[0], LabelValue::Text("a, b".into()));
    assert_eq!(dataset.labels[1], LabelValue::Text("two\nlines".into()));
    assert_eq!(dataset.lines, vec![2, 4, 6]);
}

#[test]
fn an_empty_file_is_an_error() {
    assert_eq!(error_text("", "y"), "data.csv: the file is empty; it needs a header line naming its columns");
    assert_eq!(error_text("\n\n", "y"), "data.csv: the file is empty; it needs a header line naming its columns");
}

#[test]
fn a_header_without_rows_is_an_error() {
    assert_eq!(error_text("x,y\n", "y"), "data.csv: the file has a header but no data rows");
}

#[test]
fn a_missing_label_column_lists_the_columns() {
    assert_eq!(
        error_text("x1,x2,class\n1,2,0\n", "label"),
        "data.csv, line 1: there is no label column `label`; the columns are `x1`, `x2`, `class`"
    );
}

#[test]
fn a_non_numeric_feature_names_line_and_column() {
    assert_eq!(
        error_text("x1,x2,y\n1,2,0\n3,abc,1\n", "y"),
        "data.csv, line 3, column 2 (`x2`): `abc` is not a finite number"
    );
}

#[test]
fn a_non_finite_feature_is_an_error() {
    assert_eq!(error_text("x1,y\nNaN,0\n", "y"), "data.csv, line 2, column 1 (`x1`): `NaN` is not a finite number");
    assert_eq!(error_text("x1,y\n1e999,0\n", "y"), "data.csv, line 2, column 1 (`x1`): `1e999` is not a finite number");
    assert_eq!(error_text("x1,y\n,0\n", "y"), "data.csv, line 2, column 1 (`x1`): `` is not a finite number");
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_an_error() {
    assert_eq!(
        error_text("x1,x2,y\n1,2,0\n1,2\n", "y"),
        "data.csv, line 3: the row has 2 fields, but the header has 3 columns"
    );
    assert_eq!(
        error_text("x1,x2,y\n1,2,0,7\n", "y"),
        "data.csv, line 2: the row has 4 fields, but the header has 3 columns"
    );
}

#[test]
fn an_empty_label_is_an_error() {
    assert_eq!(error_text("x,y\n1,\n", "y"), "data.csv, line 2, column 2 (`y`): the label is empty");
}

#[test]
fn rows_to_predict_on_may_leave_out_the_label() {
    let with_label = features_from_csv("a,y\n1,0\n", "d.csv", Some("y")).expect("valid csv");
    assert_eq!((with_label.features, with_label.labels), (vec![vec![1.0]], vec![LabelValue::Number(0.0)]));
    let without = features_from_csv("a,b\n1,2\n", "d.csv", Some("y")).expect("valid csv");
    assert_eq!((without.features, without.labels), (vec![vec![1.0, 2.0]], vec![]));
}

#[test]
fn a_first_row_of_numbers_is_data_and_a_word_makes_it_a_header() {
    let (dataset, found) =
        rows_from_csv("0.1,0.2\n0.3,0.4\n", "d.csv", &["label"], HeaderRule::Detect, 2).expect("valid csv");
    assert_eq!(found, HeaderFound::NoHeader { told: false, n_columns: 2, label_last: false });
    assert_eq!(dataset.features, vec![vec![0.1, 0.2], vec![0.3, 0.4]]);
    assert_eq!(dataset.lines, vec![1, 2]);
    assert_eq!(dataset.row_location(1), "d.csv, line 2");
    let (dataset, found) =
        rows_from_csv("a,b,label\n0.1,0.2,x\n", "d.csv", &["label"], HeaderRule::Detect, 2).expect("valid csv");
    assert_eq!(found, HeaderFound::Header { line: 1 });
    assert_eq!((dataset.features, dataset.labels), (vec![vec![0.1, 0.2]], vec![LabelValue::Text("x".into())]));
}

#[test]
fn without_a_header_one_column_more_than_the_inputs_is_the_label() {
    let (dataset, found) = rows_from_csv("1,2,0\n3,4,1\n", "d.csv", &[], HeaderRule::Detect, 2).expect("valid csv");
    assert_eq!(found, HeaderFound::NoHeader { told: false, n_columns: 3, label_last: true });
    assert_eq!(dataset.features, vec![vec![1.0, 2.0], vec![3.0, 4.0]]);
    assert_eq!(dataset.labels, vec![LabelValue::Number(0.0), LabelValue::Number(1.0)]);
    // A word in the label's place alone does not make a header; told there is none, a first
    // row of column names is read as data, and its words are not numbers.
    let (dataset, found) =
        rows_from_csv("1,2,setosa\n3,4,virginica\n", "d.csv", &["label"], HeaderRule::Detect, 2).expect("valid csv");
    assert_eq!(found, HeaderFound::NoHeader { told: false, n_columns: 3, label_last: true });
    assert_eq!(dataset.labels[1], LabelValue::Text("virginica".into()));
    let (_, found) =
        rows_from_csv("1,2,label\n3,4,0\n", "d.csv", &["label"], HeaderRule::Detect, 2).expect("valid csv");
    assert_eq!(found, HeaderFound::Header { line: 1 }, "the label column's name makes a header");
    assert_eq!(
        rows_from_csv("a,b,c\n3,4,virginica\n", "d.csv", &[], HeaderRule::Absent, 2).unwrap_err().to_string(),
        "d.csv, line 1, column 1 (`column 1`): `a` is not a finite number"
    );
    assert_eq!(
        rows_from_csv("1,2,3,4\n", "d.csv", &[], HeaderRule::Detect, 2).unwrap_err().to_string(),
        "d.csv, line 1: the file has no header and its rows have 4 columns, but the model's input has 2 values; \
         without a header the columns are the inputs in order, optionally followed by the label"
    );
    assert_eq!(
        rows_from_csv("1,2\n3\n", "d.csv", &[], HeaderRule::Detect, 2).unwrap_err().to_string(),
        "d.csv, line 2: the row has 1 field, but the first row has 2"
    );
}

#[test]
fn a_first_row_that_parses_as_numbers_is_data_even_when_not_finite() {
    for row in ["inf,3.5", "NaN,3.5", "1e400,3.5", "-infinity,3.5"] {
        let text = format!("{row}\n5.1,3.5\n");
        let field = row.split(',').next().unwrap_or_default();
        assert_eq!(
            rows_from_csv(&text, "d.csv", &["label"], HeaderRule::Detect, 2).unwrap_err().to_string(),
            format!("d.csv, line 1, column 1 (`column 1`): `{field}` is not a finite number")
        );
    }
    // A single row is data too, not a header without rows.
    assert_eq!(
        rows_from_csv("5.1,NaN\n", "d.csv", &["label"], HeaderRule::Detect, 2).unwrap_err().to_string(),
        "d.csv, line 1, column 2 (`column 2`): `NaN` is not a finite number"
    );
    // The label's place may hold a word; one of the label names makes a header.
    let (_, found) = rows_from_csv("1,2,species\n3,4,setosa\n", "d.csv", &["species", "label"], HeaderRule::Detect, 2)
        .expect("valid csv");
    assert_eq!(found, HeaderFound::Header { line: 1 });
}

#[test]
fn counts_of_one_are_singular() {
    assert_eq!(error_text("x\n1,2\n", "x"), "data.csv, line 2: the row has 2 fields, but the header has 1 column");
    assert_eq!(
        DataError::OutputCount { loss: "mse", n_outputs: 1 }.to_string(),
        "mse compares one output with each label, but the model has 1 output; use cross_entropy to classify into several classes"
    );
    assert_eq!(
        DataError::EmptyTrainingSplit { source: "d.csv".into(), split: 0.0, n_rows: 1 }.to_string(),
        "d.csv: split 0 of 1 row leaves no rows to train on"
    );
    assert_eq!(
        DataError::ClassCount {
            source: "d.csv".into(),
            loss: "cross_entropy",
            classes: vec!["a".into()],
            n_outputs: 2
        }
        .to_string(),
        "d.csv: the labels have 1 distinct value (a), so cross_entropy needs 1 output, but the model has 2"
    );
}

#[test]
fn numeric_labels_sort_before_text_labels() {
    let number = LabelValue::Number(10.0);
    let text = LabelValue::Text("a".into());
    assert_eq!(number.total_cmp(&text), std::cmp::Ordering::Less);
    assert_eq!(LabelValue::Number(2.0).total_cmp(&number), std::cmp::Ordering::Less);
}
#[test]
fn columns_keep_the_named_features_in_file_order() {
    let text = "a,b,y,c\n1,2,0,3\n4,5,1,6\n";
    let columns = ["c".to_string(), "a".to_string()];
    let dataset = from_csv_columns(text, "d.csv", &["y".into()], Some(&columns)).expect("valid csv");
    assert_eq!(dataset.feature_names, vec!["a", "c"]);
    assert_eq!(dataset.features, vec![vec![1.0, 3.0], vec![4.0, 6.0]]);
    // A column left out is not read, so a word there is no error.
    let dataset =
        from_csv_columns("a,note,y\n1,hello,0\n", "d.csv", &["y".into()], Some(&["a".to_string()])).expect("valid csv");
    assert_eq!(dataset.features, vec![vec![1.0]]);
}

#[test]
fn a_missing_column_names_the_file_and_its_header() {
    let error =
        from_csv_columns("a,b,y\n1,2,0\n", "d.csv", &["y".into()], Some(&["z".to_string()])).expect_err("no column z");
    assert_eq!(error.to_string(), "d.csv, line 1: there is no column `z`; the header names `a`, `b`, `y`");
    let error = from_csv_columns("a,b,y\n1,2,0\n", "d.csv", &["y".into()], Some(&["y".to_string()]))
        .expect_err("the label is no feature");
    assert_eq!(error.to_string(), "d.csv: `y` is a label column, so it cannot also be a feature in `columns`");
}

#[test]
fn several_label_columns_must_be_numbers() {
    let error = from_csv_columns("a,y1,y2\n1,2,x\n", "d.csv", &["y1".into(), "y2".into()], None)
        .expect_err("a word in a label vector");
    assert_eq!(
        error.to_string(),
        "d.csv, line 2, column 3 (`y2`): `x` is not a finite number; label columns that make a vector hold numbers"
    );
}

#[test]
fn rows_to_predict_on_take_the_columns_training_kept() {
    let columns = ["b".to_string()];
    let choice = ColumnChoice { names: &columns, in_file_order: false };
    let (dataset, _) = rows_from_csv_columns("a,b,y\n1,2,0\n", "d.csv", &["y"], Some(choice), HeaderRule::Detect, 1)
        .expect("valid csv");
    assert_eq!(dataset.features, vec![vec![2.0]]);
    // Training's order, or the file's.
    let both = ["b".to_string(), "a".to_string()];
    for (in_file_order, expected) in [(false, vec![2.0, 1.0]), (true, vec![1.0, 2.0])] {
        let choice = ColumnChoice { names: &both, in_file_order };
        let (dataset, _) =
            rows_from_csv_columns("a,b,y\n1,2,0\n", "d.csv", &["y"], Some(choice), HeaderRule::Detect, 2)
                .expect("valid csv");
        assert_eq!(dataset.features, vec![expected]);
    }
    // Without a header the columns are the inputs in order.
    let (dataset, _) =
        rows_from_csv_columns("7\n", "d.csv", &["y"], Some(choice), HeaderRule::Detect, 1).expect("valid csv");
    assert_eq!(dataset.features, vec![vec![7.0]]);
}
