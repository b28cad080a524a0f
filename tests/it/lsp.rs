//! `qmlc lsp` driven as an editor drives it: framed JSON-RPC on the binary's stdin and stdout,
//! every reply awaited with a timeout so that a hang fails the test instead of blocking it.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

/// How long any one reply may take (a debug build analyses slowly on a loaded machine).
const TIMEOUT: Duration = Duration::from_secs(60);

const URI: &str = "file:///tmp/model.qml";

/// A running server and the messages it has sent but the test has not looked at yet.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    replies: Receiver<Value>,
    /// Messages read while waiting for another, kept for a later wait.
    backlog: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qmlc"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("qmlc lsp starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, replies) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        let stdin = child.stdin.take();
        Client { child, stdin, replies, backlog: Vec::new(), next_id: 1 }
    }

    fn write_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("the server reads");
        stdin.flush().expect("the server reads");
    }

    fn send(&mut self, message: Value) {
        let text = message.to_string();
        self.write_raw(format!("Content-Length: {}\r\n\r\n{text}", text.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id.
    fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for its response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        self.wait_for(|message| message["id"] == id && message.get("method").is_none())
    }

    /// The first message that satisfies `wanted`, keeping the others; panics after the timeout.
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(index) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(index);
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.replies.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.backlog.push(message),
                Err(error) => panic!("no awaited reply from the server within {TIMEOUT:?}: {error}"),
            }
        }
    }

    /// The next diagnostics published for the document at `version`.
    fn diagnostics(&mut self, version: i64) -> Vec<Value> {
        let published = self.wait_for(|message| {
            message["method"] == "textDocument/publishDiagnostics" && message["params"]["version"] == version
        });
        published["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// Waits for the server to exit and returns its status.
    fn exit_status(&mut self) -> Option<i32> {
        self.stdin = None;
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the server did not exit within {TIMEOUT:?}");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed test must not leave a server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one Content-Length framed message, or `None` at the end of the output.
fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn position(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

/// A model whose line 6 misspells `h` as `hh`.
const BROKEN: &str = "qubits 2\n// The rotation angles.\nparam theta[2] = zeros\ninput x[2]\ncircuit {\n    \
                      rx(x[0]) 0\n    hh 0\n    ry(theta[1]) 1\n    ry(theta[0]) 0\n    cnot 0, 1\n}\n\
                      measure expval(Z(0))\n";

fn initialized() -> Client {
    let mut client = Client::start();
    let reply = client.request("initialize", json!({"processId": null, "capabilities": {}, "rootUri": null}));
    let capabilities = &reply["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16", "{reply}");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental sync: {reply}");
    for provider in ["hoverProvider", "definitionProvider", "referencesProvider", "documentFormattingProvider"] {
        assert_eq!(capabilities[provider], true, "{provider}: {reply}");
    }
    assert_eq!(capabilities["renameProvider"]["prepareProvider"], true, "{reply}");
    assert!(capabilities["completionProvider"].is_object(), "{reply}");
    assert_eq!(capabilities["codeActionProvider"]["codeActionKinds"][0], "quickfix", "{reply}");
    client.notify("initialized", json!({}));
    client
}

fn open(client: &mut Client, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "qmlc", "version": 1, "text": text}}),
    );
}

fn shut_down(mut client: Client) {
    let reply = client.request("shutdown", Value::Null);
    assert_eq!(reply["result"], Value::Null, "{reply}");
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status(), Some(0));
}

#[test]
fn an_editing_session_from_initialize_to_exit() {
    let mut client = initialized();
    open(&mut client, BROKEN);

    // The misspelt gate is reported as `check` reports it, with its help.
    let diagnostics = client.diagnostics(1);
    let error = diagnostics.iter().find(|d| d["code"] == "E0102").unwrap_or_else(|| panic!("{diagnostics:?}"));
    assert_eq!(error["source"], "qmlc");
    assert_eq!(error["severity"], 1);
    assert_eq!(error["range"], json!({"start": {"line": 6, "character": 4}, "end": {"line": 6, "character": 6}}));
    assert!(error["message"].as_str().is_some_and(|m| m.contains("help: did you mean `h`?")), "{error}");

    // The did-you-mean is a quick fix.
    let reply = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": error["range"], "context": {"diagnostics": [error]}}),
    );
    let action = &reply["result"][0];
    assert_eq!(action["kind"], "quickfix", "{reply}");
    assert_eq!(action["edit"]["changes"][URI][0]["newText"], "h", "{reply}");

    // An incremental change that deletes the extra `h` fixes it.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 6, "character": 5}, "end": {"line": 6, "character": 6}}, "text": ""}
        ]}),
    );
    let diagnostics = client.diagnostics(2);
    assert!(diagnostics.iter().all(|d| d["severity"] != 1), "{diagnostics:?}");

    // Hover on a gate and on a param.
    let reply = client.request("textDocument/hover", position(7, 5));
    let text = reply["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("(gate)"), "{reply}");
    let reply = client.request("textDocument/hover", position(7, 8));
    let text = reply["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("param theta[2]") && text.contains("The rotation angles."), "{reply}");

    // Definition, references and rename of `theta`.
    let reply = client.request("textDocument/definition", position(7, 8));
    assert_eq!(reply["result"]["range"]["start"], json!({"line": 2, "character": 6}), "{reply}");
    let mut references = position(7, 8);
    references["context"] = json!({"includeDeclaration": true});
    let reply = client.request("textDocument/references", references);
    assert_eq!(reply["result"].as_array().map(Vec::len), Some(3), "{reply}");
    let mut rename = position(7, 8);
    rename["newName"] = json!("angles");
    let reply = client.request("textDocument/rename", rename);
    assert_eq!(reply["result"]["changes"][URI].as_array().map(Vec::len), Some(3), "{reply}");
    let mut rename = position(7, 5);
    rename["newName"] = json!("turn");
    let reply = client.request("textDocument/rename", rename);
    assert_eq!(reply["error"]["code"], -32803, "renaming a builtin is refused: {reply}");

    // Completion at a statement start offers gates.
    let reply = client.request("textDocument/completion", position(8, 4));
    let labels: Vec<&str> =
        reply["result"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"cnot") && labels.contains(&"ry"), "{labels:?}");

    // Formatting a badly spaced text rewrites it; a formatted one needs no edit.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "qubits   1\ncircuit {   h 0 }\nmeasure expval(Z(0))\n"}]}),
    );
    let reply = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(reply["result"][0]["newText"], "qubits 1\ncircuit { h 0 }\nmeasure expval(Z(0))\n", "{reply}");

    shut_down(client);
}

#[test]
fn errors_get_the_protocols_answers_and_the_server_goes_on() {
    let mut client = initialized();
    open(&mut client, BROKEN);

    let reply = client.request("textDocument/noSuchMethod", json!({}));
    assert_eq!(reply["error"]["code"], -32601, "{reply}");

    let reply = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///never/opened.qml"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(reply["error"]["code"], -32803, "{reply}");

    let reply = client.request("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(reply["error"]["code"], -32602, "{reply}");

    // A position past the end of a line, and past the end of the text, is clamped.
    let reply = client.request("textDocument/hover", position(6, 500));
    assert!(reply.get("error").is_none(), "{reply}");
    let reply = client.request("textDocument/completion", position(900, 900));
    assert!(reply["result"].is_array(), "{reply}");

    // A frame that is not JSON gets a parse error with a null id, and the server reads on.
    client.write_raw(b"Content-Length: 9\r\n\r\n{not json");
    let reply = client.wait_for(|message| message["error"]["code"] == -32700);
    assert_eq!(reply["id"], Value::Null);
    let reply = client.request("textDocument/hover", position(5, 5));
    assert!(reply["result"]["contents"].is_object(), "{reply}");

    shut_down(client);
}

#[test]
fn a_thousand_changes_in_a_burst_then_a_request_is_still_answered() {
    let mut client = initialized();
    open(&mut client, "qubits 1\ncircuit {\n}\nmeasure expval(Z(0))\n");
    let mut burst = Vec::new();
    for version in 2..1002 {
        let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": version},
            "contentChanges": [{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "text": "    h 0\n"}]
        }})
        .to_string();
        burst.extend_from_slice(format!("Content-Length: {}\r\n\r\n{change}", change.len()).as_bytes());
    }
    client.write_raw(&burst);
    let reply = client.request("textDocument/hover", position(1001, 4));
    let text = reply["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("(gate)"), "the thousandth `h` is where it should be: {reply}");
    let diagnostics = client.diagnostics(1001);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    shut_down(client);
}

#[test]
fn exit_without_shutdown_is_status_one() {
    let mut client = initialized();
    client.notify("exit", Value::Null);
    assert_eq!(client.exit_status(), Some(1));
}

#[test]
fn a_ten_megabyte_document_is_analysed_and_edited() {
    let mut client = initialized();
    let body = "    ry(0.1) 0\n".repeat(10_000_000 / 14);
    let lines = body.lines().count() as u32;
    open(&mut client, &format!("qubits 1\ncircuit {{\n{body}}}\nmeasure expval(Z(0))\n"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": lines + 1, "character": 0}, "end": {"line": lines + 1, "character": 0}}, "text": "    hh 0\n"}
        ]}),
    );
    let reply = client.request("textDocument/hover", position(2, 5));
    assert!(reply["result"]["contents"]["value"].as_str().is_some_and(|text| text.contains("(gate)")), "{reply}");
    let diagnostics = client.diagnostics(2);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], lines + 1);
    shut_down(client);
}

#[test]
fn signature_help_keyword_completion_and_code_lenses() {
    let mut client = initialized();
    let text = "qubits 2\ninput x[2]\nparam w[1, 2, 3]\ncircuit {\n    rot(x[0], x[1], 0.5) 0\n    \
                angle_embedding(x, rotation = Y)\n}\nmeasure expval(Z(0))\ntrain fine {\n    data moons()\n}\n";
    open(&mut client, text);

    // Inside `rot(…)` after two commas the third angle is active.
    let reply = client.request("textDocument/signatureHelp", position(4, 20));
    let signature = &reply["result"]["signatures"][0];
    assert_eq!(signature["label"], "rot(φ, θ, ω) wire", "{reply}");
    assert_eq!(reply["result"]["activeParameter"], 2, "{reply}");
    // In `rotation = Y` the keyword's parameter is active.
    let reply = client.request("textDocument/signatureHelp", position(5, 35));
    assert_eq!(
        reply["result"]["signatures"][0]["label"], "angle_embedding(features, rotation = X) on wires",
        "{reply}"
    );
    assert_eq!(reply["result"]["activeParameter"], 1, "{reply}");

    // After `angle_embedding(x, ` the template's arguments are offered, `rotation =` among them.
    let reply = client.request("textDocument/completion", position(5, 23));
    let labels: Vec<&str> =
        reply["result"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"rotation =") && labels.contains(&"features ="), "{labels:?}");
    let reply = client.request("textDocument/completion", position(5, 34));
    let labels: Vec<&str> =
        reply["result"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(labels, ["X", "Y", "Z"], "{reply}");

    // Run, Gradient and Draw above `circuit`, Train with the block's name above `train fine`.
    let reply = client.request("textDocument/codeLens", json!({"textDocument": {"uri": URI}}));
    let lenses = reply["result"].as_array().cloned().unwrap_or_default();
    let commands: Vec<(&str, u64)> = lenses
        .iter()
        .filter_map(|lens| Some((lens["command"]["command"].as_str()?, lens["range"]["start"]["line"].as_u64()?)))
        .collect();
    assert_eq!(commands, [("qmlc.run", 3), ("qmlc.grad", 3), ("qmlc.draw", 3), ("qmlc.train", 8)], "{reply}");
    // The model reads `x[2]`: Run carries it, for the editor to ask for its values.
    assert_eq!(lenses[0]["command"]["arguments"], json!([URI, ["x[2]"]]), "{reply}");
    assert_eq!(lenses[2]["command"]["arguments"], json!([URI]), "{reply}");
    assert_eq!(lenses[3]["command"]["arguments"], json!([URI, "fine"]), "{reply}");
}

#[test]
fn the_outline_folds_semantic_tokens_and_inlay_hints_of_an_example() {
    let mut client = initialized();
    // The example's wires and shapes are written, so a const shape and a template placed on all
    // wires are added to give inlay hints something to say.
    let example = include_str!("../../examples/hybrid_classifier.qml")
        .replace("input x[2]", "const features = 2\ninput x[features]")
        .replace(
            "    strongly_entangling_layers(w)\n",
            "    strongly_entangling_layers(w)\n    basic_entangler_layers(v)\n",
        )
        .replace("circuit {", "param v[1, 4]\n\ncircuit {");
    open(&mut client, &example);
    let diagnostics = client.diagnostics(1);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let line_of = |needle: &str| example.lines().position(|line| line.contains(needle)).unwrap_or(usize::MAX);
    let document = json!({"textDocument": {"uri": URI}});

    let reply = client.request("textDocument/documentSymbol", document.clone());
    let names: Vec<&str> =
        reply["result"].as_array().into_iter().flatten().filter_map(|symbol| symbol["name"].as_str()).collect();
    assert_eq!(names, ["qubits", "features", "x", "w", "v", "circuit", "measure for i in 0..4", "head", "train"]);
    let param = &reply["result"][3];
    assert_eq!((param["kind"].as_u64(), param["detail"].as_str()), (Some(13), Some("param[3, 4, 3]")), "{reply}");
    let train = &reply["result"][8];
    assert_eq!(train["children"].as_array().map(Vec::len), Some(8), "{train}");

    let reply = client.request("textDocument/foldingRange", document.clone());
    let folds: Vec<(u64, u64)> = reply["result"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|fold| (fold["startLine"].as_u64().unwrap_or(0), fold["endLine"].as_u64().unwrap_or(0)))
        .collect();
    let circuit = line_of("circuit {") as u64;
    let train_line = line_of("train {") as u64;
    assert!(folds.contains(&(0, 5)), "the opening comment: {folds:?}");
    assert!(folds.contains(&(circuit, circuit + 4)), "{folds:?}");
    assert!(folds.contains(&(train_line, train_line + 8)), "{folds:?}");

    let reply = client.request("textDocument/semanticTokens/full", document.clone());
    let data: Vec<u64> = reply["result"]["data"].as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    assert_eq!(data.len() % 5, 0, "{reply}");
    // The first six lines are comments, token type 5 in the legend, each starting its line.
    assert_eq!(data[..5], [0, 0, 86, 5, 0], "{reply}");
    let reply = client.request(
        "textDocument/semanticTokens/range",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": circuit, "character": 0}, "end": {"line": circuit, "character": 7}}}),
    );
    assert_eq!(reply["result"]["data"], json!([circuit, 0, 7, 0, 0]), "`circuit` is a keyword: {reply}");

    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}});
    let reply = client.request("textDocument/inlayHint", json!({"textDocument": {"uri": URI}, "range": whole}));
    let hints: Vec<(u64, String)> = reply["result"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|hint| (hint["position"]["line"].as_u64().unwrap_or(0), hint["label"].as_str().unwrap_or("").to_string()))
        .collect();
    let line = |needle: &str| line_of(needle) as u64;
    assert_eq!(
        hints,
        [
            (line("input x[features]"), ": [2]".to_string()),
            (line("strongly_entangling_layers(w)"), "wires 0..4".to_string()),
            (line("basic_entangler_layers(v)"), "wires 0..4".to_string()),
        ],
        "{reply}"
    );
    shut_down(client);
}

#[test]
fn completion_knows_each_context() {
    let mut client = initialized();
    let text = "qubits 2\ninput x[2]\nparam weights[2] = zeros\ncircuit {\n    ry(we) 0\n    \n}\n\
                measure expval(Z(0))\ntrain {\n    optimizer \n    loss \n    data \n    \n}\n";
    open(&mut client, text);
    let mut labels_at = |line: u32, character: u32| -> Vec<String> {
        let reply = client.request("textDocument/completion", position(line, character));
        reply["result"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(String::from)).collect()
    };
    // Declared names in an expression, gates at a statement start in the circuit.
    let names = labels_at(4, 9);
    assert!(names.contains(&"weights".to_string()) && names.contains(&"x".to_string()), "{names:?}");
    assert!(!names.contains(&"cnot".to_string()), "no gates inside an expression: {names:?}");
    let statement = labels_at(5, 4);
    assert!(
        statement.contains(&"cnot".to_string()) && statement.contains(&"angle_embedding".to_string()),
        "{statement:?}"
    );
    // The registry's optimizers, losses and data sets after their fields, train fields at a
    // statement start in a train block.
    let optimizers = labels_at(9, 14);
    assert!(optimizers.contains(&"adam".to_string()) && optimizers.contains(&"sgd".to_string()), "{optimizers:?}");
    assert!(!optimizers.contains(&"mse".to_string()), "{optimizers:?}");
    let losses = labels_at(10, 9);
    assert!(losses.contains(&"mse".to_string()) && losses.contains(&"cross_entropy".to_string()), "{losses:?}");
    let data = labels_at(11, 9);
    assert!(data.contains(&"moons".to_string()) && data.contains(&"csv".to_string()), "{data:?}");
    let fields = labels_at(12, 4);
    assert!(fields.contains(&"epochs".to_string()) && fields.contains(&"optimizer".to_string()), "{fields:?}");
    assert!(!fields.contains(&"cnot".to_string()), "{fields:?}");
    shut_down(client);
}

#[test]
fn the_training_language_completes_and_encode_hovers() {
    let mut client = initialized();
    let text = "qubits 1\ninput x[2]\nencode linear(1), tanh\ncircuit { ry(x[0]) 0 }\nmeasure expval(Z(0))\n\
                train {\n    data xor()\n    test \n    loss \n    features \n    schedule \n}\n";
    open(&mut client, text);
    let labels = |client: &mut Client, line: u32, character: u32| -> Vec<String> {
        let reply = client.request("textDocument/completion", position(line, character));
        reply["result"].as_array().into_iter().flatten().filter_map(|i| i["label"].as_str().map(String::from)).collect()
    };
    let found = labels(&mut client, 7, 9);
    assert!(found.iter().any(|l| l == "xor") && found.iter().any(|l| l == "csv"), "after `test`: {found:?}");
    let found = labels(&mut client, 8, 9);
    for loss in ["nll", "bce", "mse(onehot)", "mse(signed)"] {
        assert!(found.contains(&loss.to_string()), "{loss} after `loss`: {found:?}");
    }
    assert!(labels(&mut client, 9, 13).contains(&"standardize".to_string()));
    assert_eq!(labels(&mut client, 10, 13), ["step", "exponential", "cosine"]);
    let found = labels(&mut client, 6, 0);
    assert!(found.contains(&"minimize".to_string()) && found.contains(&"maximize".to_string()), "{found:?}");

    let reply = client.request("textDocument/hover", position(2, 3));
    let hover = reply["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(hover.contains("encode LAYER, … (declaration)"), "{reply}");
    shut_down(client);
}
