// The qmlc extension for VS Code: starts `qmlc lsp` for `.qml` files of the language `qmlc`, and runs
// the code lenses' commands (`qmlc run|grad|train|draw FILE`) in a terminal.
//
// Plain CommonJS on purpose: the extension has no build step, so the folder is the extension.

'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** The one language client; replaced by `qmlc.restartServer`. */
let client;

/** The executable from the `qmlc.serverPath` setting: a bare name is looked up on the PATH. */
function serverPath() {
  const configured = vscode.workspace.getConfiguration('qmlc').get('serverPath');
  return typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : 'qmlc';
}

function createClient(outputChannel) {
  const executable = { command: serverPath(), args: ['lsp'], transport: TransportKind.stdio };
  const serverOptions = { run: executable, debug: executable };
  const clientOptions = {
    documentSelector: [{ language: 'qmlc' }],
    // The client reads the `qmlc.trace.server` setting itself, from its id `qmlc`.
    outputChannel,
  };
  return new LanguageClient('qmlc', 'qmlc', serverOptions, clientOptions);
}

async function startClient(outputChannel) {
  client = createClient(outputChannel);
  try {
    await client.start();
  } catch (error) {
    const message = error && error.message ? error.message : String(error);
    vscode.window
      .showErrorMessage(
        `qmlc: could not start \`${serverPath()} lsp\` (${message}). Install qmlc on the PATH or set "qmlc.serverPath".`,
        'Open Settings'
      )
      .then((choice) => {
        if (choice === 'Open Settings') {
          vscode.commands.executeCommand('workbench.action.openSettings', 'qmlc.serverPath');
        }
      });
  }
}

/** Quotes one argument for the terminal's shell (POSIX shells, or PowerShell and cmd on Windows). */
function quote(argument) {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(argument)) {
    return argument;
  }
  if (process.platform === 'win32') {
    return `"${argument.replace(/"/g, '""')}"`;
  }
  return `'${argument.replace(/'/g, `'\\''`)}'`;
}

/** The terminal named "qmlc", reused while it is open. */
function terminal() {
  const existing = vscode.window.terminals.find((candidate) => candidate.name === 'qmlc' && !candidate.exitStatus);
  return existing || vscode.window.createTerminal({ name: 'qmlc' });
}

/**
 * The document a command acts on: the URI the code lens passed (a string, or a Uri when called from
 * another extension), or else the active editor's document.
 */
async function targetDocument(uriArgument) {
  if (typeof uriArgument === 'string' && uriArgument !== '') {
    return vscode.workspace.openTextDocument(vscode.Uri.parse(uriArgument));
  }
  if (uriArgument instanceof vscode.Uri) {
    return vscode.workspace.openTextDocument(uriArgument);
  }
  const editor = vscode.window.activeTextEditor;
  return editor ? editor.document : undefined;
}

/**
 * Asks for the values of the model's inputs (`x[2]`, `t`), which the server's Run and Gradient
 * lenses pass, and returns them as `--input` arguments; `undefined` if the user cancelled.
 */
async function inputArguments(inputs) {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    return [];
  }
  const example = inputs
    .map((input) => {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/.exec(input);
      if (!match) return `${input}=0`;
      const size = (match[2] || '1').split(',').reduce((product, n) => product * (parseInt(n, 10) || 1), 1);
      return `${match[1]}=${Array(Math.min(size, 4)).fill('0.1').join(',')}${size > 4 ? ',…' : ''}`;
    })
    .join(' ');
  const answer = await vscode.window.showInputBox({
    title: 'qmlc: input values',
    prompt: `Values for ${inputs.join(', ')}, as name=v,v,… separated by spaces`,
    placeHolder: example,
  });
  if (answer === undefined) {
    return undefined;
  }
  return answer.split(/\s+/).filter((word) => word !== '').flatMap((word) => ['--input', word]);
}

/**
 * Runs `qmlc SUBCOMMAND FILE [--block NAME | --input …]` on a saved document in the "qmlc"
 * terminal. `extra` is the train block's name for `train`, and the model's inputs for `run` and
 * `grad`.
 */
async function runSubcommand(subcommand, uriArgument, extra) {
  const blockName = subcommand === 'train' ? extra : undefined;
  const document = await targetDocument(uriArgument);
  if (!document) {
    vscode.window.showWarningMessage(`qmlc: open a .qml file to ${subcommand} it.`);
    return;
  }
  if (document.uri.scheme !== 'file') {
    vscode.window.showWarningMessage(`qmlc: ${subcommand} needs a file on disk; save this document first.`);
    return;
  }
  // The command line reads the file, so what the editor shows must be on disk first.
  if (document.isDirty && !(await document.save())) {
    vscode.window.showWarningMessage(`qmlc: ${path.basename(document.uri.fsPath)} could not be saved.`);
    return;
  }
  const words = [serverPath(), subcommand, document.uri.fsPath];
  if (typeof blockName === 'string' && blockName !== '') {
    words.push('--block', blockName);
  }
  if (subcommand === 'run' || subcommand === 'grad') {
    const inputs = await inputArguments(extra);
    if (inputs === undefined) {
      return;
    }
    words.push(...inputs);
  }
  let line = words.map(quote).join(' ');
  // PowerShell runs a quoted program name only after its call operator.
  if (line.startsWith('"') && /pwsh|powershell/i.test(vscode.env.shell || '')) {
    line = `& ${line}`;
  }
  const shell = terminal();
  shell.show(true);
  shell.sendText(line);
}

function activate(context) {
  const outputChannel = vscode.window.createOutputChannel('qmlc');
  context.subscriptions.push(outputChannel);

  for (const subcommand of ['run', 'grad', 'draw']) {
    context.subscriptions.push(
      vscode.commands.registerCommand(`qmlc.${subcommand}`, (uri, inputs) => runSubcommand(subcommand, uri, inputs))
    );
  }
  context.subscriptions.push(
    vscode.commands.registerCommand('qmlc.train', (uri, blockName) => runSubcommand('train', uri, blockName))
  );
  context.subscriptions.push(
    vscode.commands.registerCommand('qmlc.restartServer', async () => {
      if (client) {
        const previous = client;
        client = undefined;
        try {
          await previous.stop();
        } catch (error) {
          outputChannel.appendLine(`qmlc: stopping the server failed: ${error}`);
        }
      }
      await startClient(outputChannel);
    })
  );
  // A new server path takes effect at once.
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('qmlc.serverPath')) {
        vscode.commands.executeCommand('qmlc.restartServer');
      }
    })
  );

  return startClient(outputChannel);
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
