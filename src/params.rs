//! Param and input values: initial values from a seed, and the JSON files of CLI.md read and written.
//!
//! A params file is one JSON object with a key per param (a number, or nested arrays of the param's
//! shape), `head.K.weight` and `head.K.bias` for the head's layers, `encode.K.weight` and
//! `encode.K.bias` for the encode layers' (K counting every layer of the list, as PyTorch's
//! `nn.Sequential` does), and an optional `meta`
//! object that reading ignores. Nothing here touches the file system: callers pass the text of a
//! file to [`parse_json`], and parsed JSON to the rest.

use crate::ir::{Circuit, Init};
use crate::train::head::Head;
use crate::train::{rng_for, Stream};
use rand::Rng;
use rand_distr::{Distribution, Normal};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::fmt;

/// The trainable values of a model: the circuit's params (flat, declaration order) and the head's.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamValues {
    pub circuit: Vec<f64>,
    pub head: Vec<f64>,
}

/// The initial circuit params drawn from `seed`, as each param's initializer says.
pub fn initial_values(circuit: &Circuit, seed: u64) -> Vec<f64> {
    let mut rng = rng_for(seed, Stream::Params);
    let mut values = Vec::with_capacity(circuit.n_params());
    for param in &circuit.params {
        let size = param.variable.size();
        match &param.init {
            Init::Zeros => values.extend(std::iter::repeat_n(0.0, size)),
            Init::Ones => values.extend(std::iter::repeat_n(1.0, size)),
            Init::Constant(c) => values.extend(std::iter::repeat_n(*c, size)),
            Init::Uniform(low, high) => values.extend((0..size).map(|_| low + (high - low) * rng.random::<f64>())),
            Init::Normal(mean, std) => match Normal::new(*mean, *std) {
                Ok(normal) => values.extend((0..size).map(|_| normal.sample(&mut rng))),
                Err(_) => values.extend(std::iter::repeat_n(*mean, size)),
            },
            Init::Values(literal) => values.extend(literal.iter().copied()),
        }
    }
    values
}

/// Why the text of a params or inputs file is not a JSON value this module can read. Lines and
/// columns are 1-based.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonError {
    /// The text is empty or only white space.
    Empty,
    /// The text is not JSON; `message` is the parser's.
    Syntax { line: usize, column: usize, message: String },
    /// An object gives a key twice. A JSON reader would silently keep one of the values, so a
    /// file that says two things about one param is refused. `key` is the whole path, such as
    /// `w` or `meta.seed`.
    RepeatedKey { line: usize, column: usize, key: String },
    /// A number too large for a 64-bit float (`1e999`), which would become infinite; `key` is
    /// the path of the value it is in, such as `w[1][0]`, if it is inside an object.
    NumberOutOfRange { line: usize, column: usize, key: Option<String> },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Empty => {
                write!(f, "the file is empty: a params or inputs file is one JSON object")
            }
            JsonError::Syntax { line, column, message } => {
                write!(f, "line {line}, column {column}: not valid JSON: {message}")
            }
            JsonError::RepeatedKey { line, column, key } => write!(
                f,
                "line {line}, column {column}: key `{key}` appears more than once; give each key once"
            ),
            JsonError::NumberOutOfRange { line, column, key: Some(key) } => write!(
                f,
                "line {line}, column {column}: key `{key}`: the number is too large for a 64-bit float, so it is not a finite number"
            ),
            JsonError::NumberOutOfRange { line, column, key: None } => write!(
                f,
                "line {line}, column {column}: the number is too large for a 64-bit float, so it is not a finite number"
            ),
        }
    }
}

impl std::error::Error for JsonError {}

/// Parses the text of a params or inputs file, refusing what a plain JSON reader lets through:
/// a key repeated in any object (the reader would keep the last value), and a number beyond the
/// range of a 64-bit float (named by the key it is under).
pub fn parse_json(text: &str) -> Result<Value, JsonError> {
    // The parser would say "EOF while parsing a value at line 1 column 0" of an empty file.
    if text.trim_start_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Err(JsonError::Empty);
    }
    let state = RefCell::new(WalkState::default());
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = StrictValue(&state).deserialize(&mut deserializer).and_then(|value| {
        deserializer.end()?;
        Ok(value)
    });
    result.map_err(|error| {
        let state = state.into_inner();
        let (line, column) = (error.line(), error.column());
        if let Some(key) = state.repeated {
            return JsonError::RepeatedKey { line, column, key };
        }
        let message = error.to_string();
        if message.starts_with("number out of range") {
            let key = (!state.path.is_empty()).then(|| state.path.concat());
            return JsonError::NumberOutOfRange { line, column, key };
        }
        JsonError::Syntax { line, column, message }
    })
}

/// Where [`parse_json`] is in the document: the path of the value being read, a segment per
/// level (`w`, `[1]`, `.seed`), left as it is when reading fails so the error can name it; and
/// the repeated key, if that is why reading stopped.
#[derive(Default)]
struct WalkState {
    path: Vec<String>,
    repeated: Option<String>,
}

/// Reads any JSON value as `serde_json::Value` does, but refusing repeated keys.
#[derive(Clone, Copy)]
struct StrictValue<'s>(&'s RefCell<WalkState>);

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        // The JSON parser yields only finite floats; anything else would be refused later as
        // "not a number" rather than read as a made-up value.
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.0.borrow_mut().path.push(format!("[{}]", items.len()));
            // On an error the path is left in place, for the message.
            let item = sequence.next_element_seed(self)?;
            self.0.borrow_mut().path.pop();
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let shown = escape_key(&key);
            let segment = if self.0.borrow().path.is_empty() { shown } else { format!(".{shown}") };
            if object.contains_key(&key) {
                let mut state = self.0.borrow_mut();
                let path = state.path.concat() + &segment;
                state.repeated = Some(path.clone());
                return Err(serde::de::Error::custom(format!("key `{path}` appears more than once")));
            }
            self.0.borrow_mut().path.push(segment);
            let value = map.next_value_seed(self)?;
            self.0.borrow_mut().path.pop();
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// A key as messages show it: control characters (a NUL, a newline, an escape that would drive
/// the terminal) are written as escapes such as `\u{0}` and `\n`, and a backslash as `\\`, so
/// the message shows what the file holds; everything else is shown as it is.
pub(crate) fn escape_key(key: &str) -> String {
    let mut shown = String::with_capacity(key.len());
    for character in key.chars() {
        if character.is_control() || character == '\\' {
            shown.extend(character.escape_default());
        } else {
            shown.push(character);
        }
    }
    shown
}

/// Formats a shape as messages write it: `[3, 4, 3]`, `[]` for a number.
pub(crate) fn shape_text(shape: &[usize]) -> String {
    format!("[{}]", shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))
}

/// Reads the value of key `key`, nested JSON arrays of shape `shape`, into `out`, row-major.
///
/// The error (to follow "key `w`: ") says where the value goes wrong: the first element that is
/// not a number (`` `w[1][1]` is a string, not a number ``), for arrays that are rectangular the
/// shape found, and for ragged ones the first sub-array whose length differs from the expected
/// shape's.
fn flatten_into(value: &Value, key: &str, shape: &[usize], out: &mut Vec<f64>) -> Result<(), String> {
    let expected = shape_text(shape);
    if let Some((path, leaf)) = first_non_number(value, key) {
        return Err(match leaf {
            Value::Number(n) => format!("`{path}` is {n}, not a finite number"),
            _ if path == key => {
                format!("expected shape {expected}, found {} (not a number or an array)", describe_json(leaf))
            }
            _ => format!("`{path}` is {}, not a number", describe_json(leaf)),
        });
    }
    let found = found_shape(value);
    if is_rectangular(value, &found) {
        if found.as_slice() != shape {
            return Err(match value {
                Value::Number(_) => format!("expected shape {expected}, found a number"),
                _ => format!("expected shape {expected}, found shape {}", shape_text(&found)),
            });
        }
        flatten_numbers(value, out);
        return Ok(());
    }
    // Ragged: some sub-array has a length the expected shape does not allow; name the first.
    let problem = first_deviation(value, key, shape)
        .unwrap_or_else(|| "the nested arrays have rows of different lengths".to_string());
    Err(format!("expected shape {expected}, but {problem}"))
}

/// The first element (depth first) that is neither an array nor a finite number, with its path
/// (`w[1][0]`). A number JSON cannot hold as a finite `f64` counts as not a number.
fn first_non_number<'v>(value: &'v Value, path: &str) -> Option<(String, &'v Value)> {
    match value {
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(index, item)| first_non_number(item, &format!("{path}[{index}]")))
        }
        Value::Number(n) if n.as_f64().is_some_and(f64::is_finite) => None,
        Value::Number(_) => Some((path.to_string(), value)),
        other => Some((path.to_string(), other)),
    }
}

/// Whether nested arrays of numbers have exactly the shape `shape` at every element.
fn is_rectangular(value: &Value, shape: &[usize]) -> bool {
    match (value, shape.split_first()) {
        (Value::Number(_), None) => true,
        (Value::Array(items), Some((&extent, rest))) => {
            items.len() == extent && items.iter().all(|item| is_rectangular(item, rest))
        }
        _ => false,
    }
}

/// The first place (depth first) where nested arrays of numbers differ from `shape`, said as the
/// end of a sentence: `` `w[1]` has 1 element ``.
fn first_deviation(value: &Value, path: &str, shape: &[usize]) -> Option<String> {
    match (value, shape.split_first()) {
        (Value::Number(_), None) => None,
        (Value::Number(_), Some(_)) => Some(format!("`{path}` is a number, not an array")),
        (Value::Array(_), None) => Some(format!("`{path}` is an array, not a number")),
        (Value::Array(items), Some((&extent, rest))) => {
            if items.len() != extent {
                let plural = if items.len() == 1 { "" } else { "s" };
                return Some(format!("`{path}` has {} element{plural}", items.len()));
            }
            items.iter().enumerate().find_map(|(index, item)| first_deviation(item, &format!("{path}[{index}]"), rest))
        }
        _ => None,
    }
}

/// Appends the numbers of nested arrays, row-major. Callers have checked they are all numbers.
fn flatten_numbers(value: &Value, out: &mut Vec<f64>) {
    match value {
        Value::Array(items) => items.iter().for_each(|item| flatten_numbers(item, out)),
        Value::Number(n) => out.push(n.as_f64().unwrap_or(f64::NAN)),
        _ => {}
    }
}

/// The shape nested arrays seem to have, following the first element at each level.
fn found_shape(value: &Value) -> Vec<usize> {
    let mut shape = Vec::new();
    let mut current = value;
    while let Value::Array(items) = current {
        shape.push(items.len());
        match items.first() {
            Some(first) => current = first,
            None => break,
        }
    }
    shape
}

fn describe_json(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One expected key of a params or inputs file.
struct Slot<'a> {
    key: String,
    shape: &'a [usize],
    offset: usize,
}

/// Reads the keys of a JSON object into flat vectors; every key must be one of `slots`, and every
/// slot present. Errors name the key and both shapes.
fn read_slots(value: &Value, slots: &[Slot], total: usize, what: &str, ignored: &[&str]) -> Result<Vec<f64>, String> {
    let Value::Object(object) = value else {
        return Err(format!("expected a JSON object with a key per {what}, found {}", describe_json(value)));
    };
    let mut values = vec![0.0; total];
    for (key, item) in object {
        if ignored.contains(&key.as_str()) {
            continue;
        }
        let Some(slot) = slots.iter().find(|s| s.key == *key) else {
            let key = escape_key(key);
            let known = slots.iter().map(|s| format!("`{}`", s.key)).collect::<Vec<_>>().join(", ");
            let known = if known.is_empty() { "none".to_string() } else { known };
            let found = match item {
                Value::Number(_) | Value::Array(_) => format!(" (shape {})", shape_text(&found_shape(item))),
                _ => String::new(),
            };
            return Err(format!("key `{key}`{found} is not a {what} of this model (its {what}s: {known})"));
        };
        let mut flat = Vec::with_capacity(slot.shape.iter().product());
        // The key is one of the model's names, which are plain identifiers.
        flatten_into(item, key, slot.shape, &mut flat).map_err(|problem| format!("key `{key}`: {problem}"))?;
        values[slot.offset..slot.offset + flat.len()].copy_from_slice(&flat);
    }
    if let Some(missing) = slots.iter().find(|s| !object.contains_key(&s.key)) {
        return Err(format!(
            "key `{}` is missing: expected a {what} of shape {}",
            missing.key,
            shape_text(missing.shape)
        ));
    }
    Ok(values)
}

/// The width of the data rows the encode layers of `circuit` take: a data row's feature count,
/// which the source leaves open until a `linear` (or a `bias`) meets it. A params file says it
/// in the shape of the first such layer's tensor (`encode.0.weight` [out, in]); a leading `map`
/// says it in its matrix; else the rows are taken to be as wide as the circuit's inputs.
pub fn encode_features(circuit: &Circuit, params_file: Option<&Value>) -> usize {
    for (position, layer) in circuit.encode.iter().enumerate() {
        let key = |tensor: &str| format!("encode.{position}.{tensor}");
        let from_file = |key: String, dimension: usize| {
            params_file.and_then(|json| json.get(&key)).map(found_shape).and_then(|shape| shape.get(dimension).copied())
        };
        match layer {
            crate::ir::Layer::Linear { .. } => return from_file(key("weight"), 1).unwrap_or(circuit.n_inputs()),
            crate::ir::Layer::Bias => return from_file(key("bias"), 0).unwrap_or(circuit.n_inputs()),
            crate::ir::Layer::Map { out_features, matrix } => return matrix.len() / (*out_features).max(1),
            _ => {}
        }
    }
    circuit.n_inputs()
}

/// Reads a params file's JSON for this circuit and head.
pub fn params_from_json(value: &Value, circuit: &Circuit, head: &Head) -> Result<ParamValues, String> {
    let mut slots: Vec<Slot> = circuit
        .params
        .iter()
        .map(|p| Slot { key: p.variable.name.clone(), shape: &p.variable.shape, offset: p.variable.offset })
        .collect();
    let tensors = head.tensors();
    let n_circuit = circuit.n_params();
    for tensor in &tensors {
        slots.push(Slot { key: tensor.name.clone(), shape: &tensor.shape, offset: n_circuit + tensor.offset });
    }
    let all = read_slots(value, &slots, n_circuit + head.n_params(), "param", &["meta"])?;
    Ok(ParamValues { circuit: all[..n_circuit].to_vec(), head: all[n_circuit..].to_vec() })
}

/// Reads an inputs file's JSON (`{"x": [0.1, 0.2]}`) into the flat input vector.
pub fn inputs_from_json(value: &Value, circuit: &Circuit) -> Result<Vec<f64>, String> {
    let slots: Vec<Slot> =
        circuit.inputs.iter().map(|v| Slot { key: v.name.clone(), shape: &v.shape, offset: v.offset }).collect();
    read_slots(value, &slots, circuit.n_inputs(), "input", &[])
}

/// Reads `name=v,v,…` assignments (from the command line) into the flat input vector.
pub fn inputs_from_assignments(assignments: &[String], circuit: &Circuit) -> Result<Vec<f64>, String> {
    let mut object = Map::new();
    for assignment in assignments {
        let Some((name, values)) = assignment.split_once('=') else {
            return Err(format!("`{}` is not of the form name=v,v,…", escape_key(assignment)));
        };
        let name = name.trim();
        let Some(variable) = circuit.inputs.iter().find(|v| v.name == name) else {
            let known = circuit.inputs.iter().map(|v| format!("`{}`", v.name)).collect::<Vec<_>>().join(", ");
            return Err(format!(
                "`{}` is not an input of this model (its inputs: {})",
                escape_key(name),
                if known.is_empty() { "none".into() } else { known }
            ));
        };
        let mut numbers = Vec::new();
        for (position, text) in values.split(',').enumerate() {
            let number: f64 = text.trim().parse().ok().filter(|x: &f64| x.is_finite()).ok_or_else(|| {
                format!("`{name}`: value {} (`{}`) is not a finite number", position + 1, text.trim())
            })?;
            numbers.push(number);
        }
        if numbers.len() != variable.size() {
            return Err(format!(
                "`{name}` has shape {} ({} value{}), but {} {} given",
                shape_text(&variable.shape),
                variable.size(),
                if variable.size() == 1 { "" } else { "s" },
                numbers.len(),
                if numbers.len() == 1 { "was" } else { "were" }
            ));
        }
        object.insert(name.to_string(), nest(&numbers, &variable.shape));
    }
    inputs_from_json(&Value::Object(object), circuit)
}

/// Nests a flat row-major slice into JSON arrays of the given shape.
pub fn nest(values: &[f64], shape: &[usize]) -> Value {
    match shape.split_first() {
        None => json!(values.first().copied().unwrap_or(0.0)),
        Some((&extent, rest)) => {
            let stride: usize = rest.iter().product();
            Value::Array((0..extent).map(|i| nest(&values[i * stride..(i + 1) * stride], rest)).collect())
        }
    }
}

/// Writes a params file's JSON: a key per param, the head's tensors, and `meta` if given.
pub fn params_to_json(circuit: &Circuit, head: &Head, values: &ParamValues, meta: Option<Value>) -> Value {
    let mut object = Map::new();
    for param in &circuit.params {
        let variable = &param.variable;
        object.insert(
            variable.name.clone(),
            nest(&values.circuit[variable.offset..variable.offset + variable.size()], &variable.shape),
        );
    }
    for tensor in head.tensors() {
        let size: usize = tensor.shape.iter().product();
        object.insert(tensor.name.clone(), nest(&values.head[tensor.offset..tensor.offset + size], &tensor.shape));
    }
    if let Some(meta) = meta {
        object.insert("meta".to_string(), meta);
    }
    Value::Object(object)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn circuit(source: &str) -> Circuit {
        crate::check::compile(source).circuit.expect("the test program compiles")
    }

    const MODEL: &str = "qubits 2\ninput x[2]\nparam w[2, 2]\nparam t = 0.5\ncircuit {\n angle_embedding(x)\n ry(w[0, 0] + w[1, 1] + w[0, 1] + w[1, 0] + t) 0\n}\nmeasure expval(Z(0))\n";

    #[test]
    fn a_params_file_round_trips() {
        let circuit = circuit(MODEL);
        let head = Head::identity(1);
        let values = ParamValues { circuit: vec![1.0, 2.0, 3.0, 4.0, 5.0], head: vec![] };
        let json = params_to_json(&circuit, &head, &values, Some(json!({"seed": 1})));
        assert_eq!(json, json!({"w": [[1.0, 2.0], [3.0, 4.0]], "t": 5.0, "meta": {"seed": 1}}));
        assert_eq!(params_from_json(&json, &circuit, &head), Ok(values));
    }

    #[test]
    fn params_errors_name_the_key_and_both_shapes() {
        let circuit = circuit(MODEL);
        let head = Head::identity(1);
        let read = |v: Value| params_from_json(&v, &circuit, &head).unwrap_err();
        assert_eq!(
            read(json!({"w": [[1, 2, 3], [3, 4, 5]], "t": 1})),
            "key `w`: expected shape [2, 2], found shape [2, 3]"
        );
        assert_eq!(read(json!({"w": [[1, 2], [3, 4]]})), "key `t` is missing: expected a param of shape []");
        assert_eq!(
            read(json!({"w": [[1, 2], [3, 4]], "t": 1, "v": 2})),
            "key `v` (shape []) is not a param of this model (its params: `w`, `t`)"
        );
        assert_eq!(read(json!({"w": [[1, 2], [3, 4]], "t": [1]})), "key `t`: expected shape [], found shape [1]");
        assert_eq!(read(json!([1, 2])), "expected a JSON object with a key per param, found an array");
        assert_eq!(read(json!({"w": 1, "t": 1})), "key `w`: expected shape [2, 2], found a number");
        assert_eq!(
            read(json!({"w": [[1, 2], [3, 4]], "t": "a"})),
            "key `t`: expected shape [], found a string (not a number or an array)"
        );
    }

    #[test]
    fn a_ragged_array_names_the_first_row_of_the_wrong_length() {
        let circuit = circuit(MODEL);
        let head = Head::identity(1);
        let read = |v: Value| params_from_json(&v, &circuit, &head).unwrap_err();
        assert_eq!(
            read(json!({"w": [[1, 2], [3]], "t": 1})),
            "key `w`: expected shape [2, 2], but `w[1]` has 1 element"
        );
        assert_eq!(
            read(json!({"w": [[1, 2, 3], [4]], "t": 1})),
            "key `w`: expected shape [2, 2], but `w[0]` has 3 elements"
        );
        assert_eq!(
            read(json!({"w": [[1, 2], [3, 4], [5]], "t": 1})),
            "key `w`: expected shape [2, 2], but `w` has 3 elements"
        );
        assert_eq!(
            read(json!({"w": [[1, 2], 3], "t": 1})),
            "key `w`: expected shape [2, 2], but `w[1]` is a number, not an array"
        );
        assert_eq!(
            read(json!({"w": [[1, [2]], [3, 4]], "t": 1})),
            "key `w`: expected shape [2, 2], but `w[0][1]` is an array, not a number"
        );
    }

    #[test]
    fn an_element_that_is_not_a_number_is_named_by_its_indices() {
        let circuit = circuit(MODEL);
        let head = Head::identity(1);
        let read = |v: Value| params_from_json(&v, &circuit, &head).unwrap_err();
        assert_eq!(read(json!({"w": [[1, 2], [3, "a"]], "t": 1})), "key `w`: `w[1][1]` is a string, not a number");
        assert_eq!(read(json!({"w": [[1, null], [3]], "t": 1})), "key `w`: `w[0][1]` is null, not a number");
        assert_eq!(
            inputs_from_json(&json!({"x": [0.1, true]}), &circuit).unwrap_err(),
            "key `x`: `x[1]` is a boolean, not a number"
        );
    }

    #[test]
    fn a_repeated_key_is_refused_with_its_path_and_line() {
        assert_eq!(
            parse_json("{\"w\": [0.1],\n \"t\": 1,\n \"w\": [0.2]}"),
            Err(JsonError::RepeatedKey { line: 3, column: 4, key: "w".to_string() })
        );
        assert_eq!(
            parse_json("{\"w\": 1, \"meta\": {\"data\": {\"seed\": 1, \"seed\": 2}}}").map_err(|e| e.to_string()),
            Err("line 1, column 44: key `meta.data.seed` appears more than once; give each key once".to_string())
        );
        assert_eq!(
            parse_json("{\"head.0.weight\": [[1]], \"head.0.weight\": [[2]]}").map_err(|e| e.to_string()),
            Err("line 1, column 40: key `head.0.weight` appears more than once; give each key once".to_string())
        );
        // The same key in two different objects is fine.
        assert_eq!(parse_json("[{\"a\": 1}, {\"a\": 2}]"), Ok(json!([{"a": 1}, {"a": 2}])));
    }

    #[test]
    fn a_number_beyond_the_range_of_a_float_is_named_by_its_key() {
        assert_eq!(
            parse_json("{\"w\": [[1, 2], [3, 1e999]], \"t\": 1}").map_err(|e| e.to_string()),
            Err("line 1, column 24: key `w[1][1]`: the number is too large for a 64-bit float, so it is not a finite number".to_string())
        );
        assert_eq!(
            parse_json("-1e400").map_err(|e| e.to_string()),
            Err("line 1, column 6: the number is too large for a 64-bit float, so it is not a finite number"
                .to_string())
        );
        assert!(matches!(parse_json("{\"w\": [1,,]}"), Err(JsonError::Syntax { line: 1, column: 10, .. })));
        assert_eq!(parse_json(" {\"w\": [1.5, -2, 3e2]} "), Ok(json!({"w": [1.5, -2, 300.0]})));
    }

    #[test]
    fn inputs_come_from_assignments_or_json() {
        let circuit = circuit(MODEL);
        assert_eq!(inputs_from_assignments(&["x=0.1, 0.2".into()], &circuit), Ok(vec![0.1, 0.2]));
        assert_eq!(inputs_from_json(&json!({"x": [0.3, 0.4]}), &circuit), Ok(vec![0.3, 0.4]));
        assert_eq!(
            inputs_from_assignments(&["x=0.1".into()], &circuit).unwrap_err(),
            "`x` has shape [2] (2 values), but 1 was given"
        );
        assert_eq!(
            inputs_from_assignments(&["x=0.1,abc".into()], &circuit).unwrap_err(),
            "`x`: value 2 (`abc`) is not a finite number"
        );
        assert_eq!(
            inputs_from_assignments(&["y=1".into()], &circuit).unwrap_err(),
            "`y` is not an input of this model (its inputs: `x`)"
        );
    }

    #[test]
    fn an_empty_file_and_keys_with_control_characters_are_said_plainly() {
        assert_eq!(parse_json(""), Err(JsonError::Empty));
        assert_eq!(parse_json(" \n\t"), Err(JsonError::Empty));
        assert_eq!(JsonError::Empty.to_string(), "the file is empty: a params or inputs file is one JSON object");
        let circuit = circuit(MODEL);
        let head = Head::identity(1);
        let json = parse_json("{\"w\\u0000\\u001b[2J\": 1}").expect("valid JSON");
        assert_eq!(
            params_from_json(&json, &circuit, &head).unwrap_err(),
            "key `w\\u{0}\\u{1b}[2J` (shape []) is not a param of this model (its params: `w`, `t`)"
        );
        assert_eq!(
            parse_json("{\"a\\n\": 1, \"a\\n\": 2}").map_err(|e| e.to_string()),
            Err("line 1, column 16: key `a\\n` appears more than once; give each key once".to_string())
        );
        let one = crate::check::compile("qubits 1\ninput x\ncircuit { ry(x) 0 }\nmeasure expval(Z(0))\n")
            .circuit
            .expect("compiles");
        assert_eq!(
            inputs_from_assignments(&["x=0.1,0.2".into()], &one).unwrap_err(),
            "`x` has shape [] (1 value), but 2 were given"
        );
    }

    #[test]
    fn initial_values_follow_the_initializers_and_the_seed() {
        let circuit = circuit("qubits 1\nparam a[2] = zeros\nparam b = constant(0.25)\nparam c[3] = uniform(0, 1)\nparam d[2] = [0.5, 0.75]\ncircuit { ry(a[0] + a[1] + b + c[0] + c[1] + c[2] + d[0] + d[1]) 0 }\nmeasure expval(Z(0))\n");
        let values = initial_values(&circuit, 3);
        assert_eq!(&values[..3], &[0.0, 0.0, 0.25]);
        assert!(values[3..6].iter().all(|v| (0.0..1.0).contains(v)));
        assert_eq!(&values[6..], &[0.5, 0.75]);
        assert_eq!(values, initial_values(&circuit, 3));
        assert_ne!(values, initial_values(&circuit, 4));
    }
}
