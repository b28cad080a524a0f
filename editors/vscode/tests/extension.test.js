// Activates extension.js against stand-ins for the `vscode` API and the language client, and checks
// what it does: the client it starts, the commands it registers, and the command lines it types into
// the "qmlc" terminal. VS Code itself cannot run here, so this is the extension's logic, not its UI.

'use strict';

const assert = require('node:assert');
const Module = require('node:module');
const path = require('node:path');
const test = require('node:test');

/** Everything the stand-ins saw, reset by `fresh()`. */
let seen;

class Uri {
  constructor(scheme, fsPath) {
    this.scheme = scheme;
    this.fsPath = fsPath;
  }
  static parse(text) {
    const match = /^file:\/\/(.*)$/.exec(text);
    return match ? new Uri('file', decodeURIComponent(match[1])) : new Uri('untitled', text);
  }
  static file(fsPath) {
    return new Uri('file', fsPath);
  }
}

function makeDocument(uri, dirty) {
  return {
    uri,
    isDirty: dirty,
    save: async () => {
      seen.saved.push(uri.fsPath);
      return true;
    },
  };
}

const vscode = {
  Uri,
  env: { shell: '/bin/bash' },
  commands: {
    registerCommand(name, callback) {
      seen.commands.set(name, callback);
      return { dispose() {} };
    },
    executeCommand(name, ...args) {
      return seen.commands.get(name)(...args);
    },
  },
  workspace: {
    getConfiguration(section) {
      assert.strictEqual(section, 'qmlc');
      return { get: (key) => seen.settings[key] };
    },
    openTextDocument: async (uri) => makeDocument(uri, true),
    onDidChangeConfiguration: () => ({ dispose() {} }),
  },
  window: {
    terminals: [],
    activeTextEditor: undefined,
    createOutputChannel: (name) => ({ name, appendLine() {}, dispose() {} }),
    createTerminal({ name }) {
      const terminal = {
        name,
        exitStatus: undefined,
        show() {},
        sendText: (text) => seen.sent.push({ terminal: name, text }),
      };
      vscode.window.terminals.push(terminal);
      seen.terminalsCreated += 1;
      return terminal;
    },
    showInputBox: async (options) => {
      seen.asked.push(options);
      return seen.answers.shift();
    },
    showWarningMessage: async (message) => seen.warnings.push(message),
    showErrorMessage: async (message) => seen.errors.push(message),
  },
};

class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    seen.clients.push({ id, name, serverOptions, clientOptions, stopped: false });
    this.record = seen.clients[seen.clients.length - 1];
  }
  async start() {}
  async stop() {
    this.record.stopped = true;
  }
}
const languageClient = { LanguageClient, TransportKind: { stdio: 0 } };

// `require('vscode')` and `require('vscode-languageclient/node')` inside extension.js get the stand-ins.
const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'vscode') {
    return vscode;
  }
  if (request === 'vscode-languageclient/node') {
    return languageClient;
  }
  return originalLoad.call(this, request, parent, isMain);
};

const extension = require(path.join(__dirname, '..', 'extension.js'));

async function fresh(settings = {}) {
  seen = {
    commands: new Map(),
    clients: [],
    sent: [],
    saved: [],
    warnings: [],
    errors: [],
    terminalsCreated: 0,
    settings,
    // What the next input boxes answer (`undefined`: the user pressed Escape), and what they showed.
    answers: [],
    asked: [],
  };
  vscode.window.terminals = [];
  vscode.window.activeTextEditor = undefined;
  await extension.activate({ subscriptions: [] });
}

test('activation starts `qmlc lsp` for the language qmlc', async () => {
  await fresh();
  assert.strictEqual(seen.clients.length, 1);
  const client = seen.clients[0];
  assert.strictEqual(client.id, 'qmlc');
  assert.deepStrictEqual(client.serverOptions.run.args, ['lsp']);
  assert.strictEqual(client.serverOptions.run.command, 'qmlc');
  assert.deepStrictEqual(client.clientOptions.documentSelector, [{ language: 'qmlc' }]);
});

test('the setting qmlc.serverPath names the executable', async () => {
  await fresh({ serverPath: '/opt/qmlc/bin/qmlc' });
  assert.strictEqual(seen.clients[0].serverOptions.run.command, '/opt/qmlc/bin/qmlc');
  await vscode.commands.executeCommand('qmlc.run', 'file:///work/model.qml');
  assert.strictEqual(seen.sent[0].text, '/opt/qmlc/bin/qmlc run /work/model.qml');
});

test('every command of the manifest is registered', async () => {
  await fresh();
  const manifest = require(path.join(__dirname, '..', 'package.json'));
  for (const { command } of manifest.contributes.commands) {
    assert.ok(seen.commands.has(command), `${command} is not registered`);
  }
});

test('a lens command saves the file and runs qmlc in one reused terminal', async () => {
  await fresh();
  await vscode.commands.executeCommand('qmlc.run', 'file:///work/model.qml');
  await vscode.commands.executeCommand('qmlc.grad', 'file:///work/model.qml');
  await vscode.commands.executeCommand('qmlc.draw', 'file:///work/model.qml');
  await vscode.commands.executeCommand('qmlc.train', 'file:///work/model.qml');
  assert.deepStrictEqual(
    seen.sent.map((entry) => entry.text),
    [
      'qmlc run /work/model.qml',
      'qmlc grad /work/model.qml',
      'qmlc draw /work/model.qml',
      'qmlc train /work/model.qml',
    ]
  );
  assert.ok(seen.sent.every((entry) => entry.terminal === 'qmlc'));
  assert.strictEqual(seen.terminalsCreated, 1);
  assert.strictEqual(seen.saved.length, 4);
});

test('run and grad ask for the inputs the lens names and pass them as --input', async () => {
  await fresh();
  seen.answers = ['x=0.1,0.2  t=3', undefined];
  await vscode.commands.executeCommand('qmlc.run', 'file:///work/model.qml', ['x[2]', 't']);
  assert.strictEqual(seen.asked[0].prompt, 'Values for x[2], t, as name=v,v,… separated by spaces');
  assert.strictEqual(seen.asked[0].placeHolder, 'x=0.1,0.1 t=0.1');
  assert.deepStrictEqual(seen.sent.map((entry) => entry.text), ['qmlc run /work/model.qml --input x=0.1,0.2 --input t=3']);
  // Escape in the input box runs nothing.
  await vscode.commands.executeCommand('qmlc.grad', 'file:///work/model.qml', ['x[2]', 't']);
  assert.strictEqual(seen.sent.length, 1);
});

test('the train lens of a named block adds --block NAME', async () => {
  await fresh();
  await vscode.commands.executeCommand('qmlc.train', 'file:///work/model.qml', 'finetune');
  assert.strictEqual(seen.sent[0].text, 'qmlc train /work/model.qml --block finetune');
});

test('a path with spaces is quoted for the shell', async () => {
  await fresh();
  await vscode.commands.executeCommand('qmlc.run', "file:///work/my models/it's.qml");
  assert.strictEqual(seen.sent[0].text, `qmlc run '/work/my models/it'\\''s.qml'`);
});

test('without an argument the active editor is used, and without one nothing runs', async () => {
  await fresh();
  await vscode.commands.executeCommand('qmlc.run');
  assert.strictEqual(seen.sent.length, 0);
  assert.strictEqual(seen.warnings.length, 1);
  vscode.window.activeTextEditor = { document: makeDocument(Uri.file('/work/active.qml'), false) };
  await vscode.commands.executeCommand('qmlc.draw');
  assert.strictEqual(seen.sent[0].text, 'qmlc draw /work/active.qml');
  assert.strictEqual(seen.saved.length, 0, 'a saved document is not saved again');
});

test('restartServer stops the client and starts a new one', async () => {
  await fresh();
  await vscode.commands.executeCommand('qmlc.restartServer');
  assert.strictEqual(seen.clients.length, 2);
  assert.ok(seen.clients[0].stopped);
  assert.ok(!seen.clients[1].stopped);
  await extension.deactivate();
  assert.ok(seen.clients[1].stopped);
});
