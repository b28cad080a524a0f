//! The server's message loop driven through channels: life cycle, errors and coalescing.

use super::transport::{Incoming, Outgoing};
use super::Server;
use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::sync::mpsc::channel;

/// Runs a server over `messages` and returns what it sent and its exit status.
fn serve(messages: Vec<Value>) -> (Vec<Value>, u8) {
    let (incoming_sender, incoming) = channel();
    let (outgoing, outgoing_receiver) = channel();
    for message in messages {
        let incoming = match serde_json::from_value::<Message>(message) {
            Ok(message) => Incoming::Message(message),
            Err(error) => panic!("a test message is a message: {error}"),
        };
        incoming_sender.send(incoming).expect("the channel is open");
    }
    drop(incoming_sender);
    let status = Server::new(outgoing).serve(&incoming);
    let sent = outgoing_receiver
        .try_iter()
        .map(|message| match message {
            Outgoing::Message(message) => serde_json::to_value(message).expect("a message is JSON"),
            Outgoing::Raw(value) => value,
        })
        .collect();
    (sent, status)
}

fn request(id: i32, method: &str, params: Value) -> Value {
    serde_json::to_value(Request::new(RequestId::from(id), method.to_string(), params)).expect("JSON")
}

fn notification(method: &str, params: Value) -> Value {
    serde_json::to_value(Notification::new(method.to_string(), params)).expect("JSON")
}

fn initialize() -> Value {
    request(1, "initialize", json!({"capabilities": {}}))
}

fn response(sent: &[Value], id: i32) -> &Value {
    sent.iter().find(|m| m["id"] == id).unwrap_or_else(|| panic!("a response to {id} in {sent:?}"))
}

const URI: &str = "file:///m.qml";

#[test]
fn the_life_cycle_ends_with_status_zero_only_after_shutdown() {
    let (sent, status) = serve(vec![
        request(0, "textDocument/hover", json!({})),
        initialize(),
        request(2, "shutdown", Value::Null),
        request(3, "textDocument/hover", json!({})),
        notification("exit", Value::Null),
    ]);
    assert_eq!(status, 0);
    assert_eq!(response(&sent, 0)["error"]["code"], -32002);
    assert_eq!(response(&sent, 1)["result"]["capabilities"]["hoverProvider"], true);
    assert_eq!(response(&sent, 2)["result"], Value::Null);
    assert_eq!(response(&sent, 3)["error"]["code"], -32600);
    let (_, status) = serve(vec![initialize(), notification("exit", Value::Null)]);
    assert_eq!(status, 1);
    let (_, status) = serve(vec![initialize()]);
    assert_eq!(status, 1, "the input ended without shutdown");
}

#[test]
fn unknown_methods_unknown_documents_and_bad_params_get_errors() {
    let position = json!({"textDocument": {"uri": "file:///never.qml"}, "position": {"line": 0, "character": 0}});
    let (sent, _) = serve(vec![
        initialize(),
        request(2, "textDocument/unknown", json!({})),
        request(3, "textDocument/hover", position),
        request(4, "textDocument/hover", json!({"textDocument": 5})),
        notification("textDocument/didChange", json!({"nonsense": true})),
    ]);
    assert_eq!(response(&sent, 2)["error"]["code"], -32601);
    assert_eq!(response(&sent, 3)["error"]["code"], -32803);
    assert_eq!(response(&sent, 4)["error"]["code"], -32602);
    assert!(sent.iter().any(|m| m["method"] == "window/logMessage"), "{sent:?}");
}

#[test]
fn a_burst_of_changes_is_analysed_and_published_once() {
    let mut messages = vec![
        initialize(),
        notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "qmlc", "version": 1, "text": "qubits 1\n"}}),
        ),
    ];
    for version in 2..1002 {
        messages.push(notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [
                {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "h 0\n"}
            ]}),
        ));
    }
    let (sent, _) = serve(messages);
    let published: Vec<&Value> = sent.iter().filter(|m| m["method"] == "textDocument/publishDiagnostics").collect();
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(published[0]["params"]["version"], 1001);
}

#[test]
fn a_request_cancelled_in_the_same_batch_is_answered_request_cancelled() {
    let position = json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 1}});
    let (sent, _) = serve(vec![
        initialize(),
        notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "qmlc", "version": 1, "text": "qubits 1\n"}}),
        ),
        request(2, "textDocument/hover", position.clone()),
        request(3, "textDocument/hover", position),
        notification("$/cancelRequest", json!({"id": 2})),
    ]);
    assert_eq!(response(&sent, 2)["error"]["code"], -32800);
    assert!(response(&sent, 3)["result"]["contents"].is_object(), "{sent:?}");
}

#[test]
fn a_change_arriving_during_an_analysis_supersedes_its_diagnostics() {
    let (outgoing, outgoing_receiver) = channel();
    let mut server = Server::new(outgoing);
    let open = notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "qmlc", "version": 1, "text": "qubits 1\ncircuit { hh 0 }\n"}}),
    );
    for message in [initialize(), open] {
        let message = serde_json::from_value::<Message>(message).expect("a message");
        assert_eq!(server.handle(Incoming::Message(message)), None);
    }
    // The change is already waiting when the analysis of version 1 ends.
    let (incoming_sender, incoming) = channel();
    let change = notification(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "qubits 1\ncircuit { h 0 }\nmeasure expval(Z(0))\n"}]}),
    );
    let change = serde_json::from_value::<Message>(change).expect("a message");
    incoming_sender.send(Incoming::Message(change)).expect("the channel is open");
    let mut queue = std::collections::VecDeque::new();
    server.publish_diagnostics(&incoming, &mut queue);
    let published = |receiver: &std::sync::mpsc::Receiver<Outgoing>| {
        receiver
            .try_iter()
            .filter_map(|message| match message {
                Outgoing::Message(Message::Notification(notification)) => Some(notification.params),
                _ => None,
            })
            .collect::<Vec<Value>>()
    };
    assert_eq!(published(&outgoing_receiver), Vec::<Value>::new(), "version 1's diagnostics are stale");
    assert_eq!(queue.len(), 1);
    let change = queue.pop_front().expect("the change");
    assert_eq!(server.handle(change), None);
    server.publish_diagnostics(&incoming, &mut queue);
    let sent = published(&outgoing_receiver);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["version"], 2);
    assert_eq!(sent[0]["diagnostics"], json!([]));
}

#[test]
fn a_response_from_the_client_is_ignored() {
    let reply = serde_json::to_value(Response::new_ok(RequestId::from(9), Value::Null)).expect("JSON");
    let (sent, _) = serve(vec![initialize(), reply]);
    assert_eq!(sent.len(), 1, "{sent:?}");
}
