// What the extension decides without VS Code: the server command, the
// documents it attaches to and the file patterns. Kept free of the `vscode`
// module so that plain Node tests can check it.

import * as path from "path";

/** The client id; VS Code reads `aslLint.trace.server` through it. */
export const CLIENT_ID = "aslLint";

/** The language ids, shared with the AWS Toolkit. */
export const LANGUAGE_IDS = ["asl", "asl-yaml"] as const;
export type LanguageId = (typeof LANGUAGE_IDS)[number];

/** File-name suffixes of each language. */
export const EXTENSIONS: Record<LanguageId, string[]> = {
  asl: [".asl.json"],
  "asl-yaml": [".asl.yaml", ".asl.yml"],
};

/**
 * Plain JSON and YAML documents are sent to the server too: it lints those
 * that hold a state machine (a definition named otherwise, a CloudFormation
 * or SAM template, a Serverless Framework file) and ignores the rest.
 */
export const TEMPLATE_LANGUAGE_IDS = ["json", "yaml"] as const;

/** The names of the configuration file the server reads. */
export const CONFIG_FILE_NAMES = ["asl-lint.toml", ".asl-lint.toml"];

/** The program run when `aslLint.path` is not set. */
export const DEFAULT_COMMAND = "asl-lint";

/** The `DocumentFilter`s of the language client used here (structural copies). */
export type DocumentFilter =
  | { scheme: string; language: string }
  | { scheme: string; pattern: string };

/**
 * The documents the server is started for: the two ASL languages and plain
 * JSON and YAML (templates; the server decides by content), saved or not,
 * and any file named like a definition whatever language mode the user
 * picked for it.
 */
export function documentSelector(): DocumentFilter[] {
  const byLanguage: DocumentFilter[] = [...LANGUAGE_IDS, ...TEMPLATE_LANGUAGE_IDS].flatMap(
    (language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ],
  );
  const suffixes = Object.values(EXTENSIONS)
    .flat()
    .map((e) => e.replace(/^\.asl\./, ""));
  return [...byLanguage, { scheme: "file", pattern: `**/*.asl.{${suffixes.join(",")}}` }];
}

/** The language a file name belongs to, by its suffix (case-insensitive). */
export function languageOf(fileName: string): LanguageId | undefined {
  const lower = fileName.toLowerCase();
  return LANGUAGE_IDS.find((id) => EXTENSIONS[id].some((e) => lower.endsWith(e)));
}

/** Where relative paths and `${workspaceFolder}` point, and what `~` is. */
export interface PathContext {
  workspaceFolder?: string;
  home?: string;
}

export interface ServerCommand {
  command: string;
  args: string[];
}

/**
 * The command that starts the server, from the `aslLint.path` setting.
 *
 * An unset or blank setting runs `asl-lint` from `PATH`. A bare name is
 * looked up on `PATH` too. `~` and `${workspaceFolder}` are expanded, and a
 * relative path (one with a directory separator) is taken from the first
 * workspace folder.
 */
export function serverCommand(setting: unknown, ctx: PathContext = {}): ServerCommand {
  const args = ["lsp"];
  if (typeof setting !== "string" || setting.trim() === "") {
    return { command: DEFAULT_COMMAND, args };
  }
  let p = setting.trim();
  if (ctx.workspaceFolder !== undefined) {
    p = p.split("${workspaceFolder}").join(ctx.workspaceFolder);
  }
  if (ctx.home !== undefined && (p === "~" || p.startsWith("~/") || p.startsWith("~\\"))) {
    p = ctx.home + p.slice(1);
  }
  const isBareName = !p.includes("/") && !p.includes("\\");
  if (isBareName || isAbsolute(p)) {
    return { command: p, args };
  }
  if (ctx.workspaceFolder !== undefined) {
    return { command: joinPath(ctx.workspaceFolder, p), args };
  }
  return { command: p, args };
}

function isAbsolute(p: string): boolean {
  return path.posix.isAbsolute(p) || path.win32.isAbsolute(p);
}

function joinPath(folder: string, relative: string): string {
  return path.win32.isAbsolute(folder) && !folder.startsWith("/")
    ? path.win32.resolve(folder, relative)
    : path.posix.resolve(folder, relative.split("\\").join("/"));
}

/** What to tell the user when the server does not start. */
export function startFailureMessage(command: string, error: unknown): string {
  const why = error instanceof Error ? error.message : String(error);
  return (
    `asl-lint: could not start \`${command} lsp\` (${why}). ` +
    `Put asl-lint on PATH or set "aslLint.path" to the program.`
  );
}
