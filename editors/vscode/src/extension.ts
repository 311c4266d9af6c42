// Starts `asl-lint lsp` for Amazon States Language documents.

import * as os from "os";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";
import { CLIENT_ID, documentSelector, serverCommand, startFailureMessage } from "./settings";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("asl-lint");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("aslLint.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("aslLint.path")) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

async function start(): Promise<void> {
  const setting = vscode.workspace.getConfiguration("aslLint").get<string>("path");
  const { command, args } = serverCommand(setting, {
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
  });
  const serverOptions: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel: output,
  };
  const c = new LanguageClient(CLIENT_ID, "asl-lint", serverOptions, clientOptions);
  try {
    await c.start();
    client = c;
  } catch (error) {
    const choice = await vscode.window.showErrorMessage(
      startFailureMessage(command, error),
      "Open Settings",
    );
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "aslLint.path");
    }
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c !== undefined) {
    await c.stop();
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}
