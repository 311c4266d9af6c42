import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import {
  CONFIG_FILE_NAMES,
  EXTENSIONS,
  LANGUAGE_IDS,
  TEMPLATE_LANGUAGE_IDS,
  documentSelector,
  languageOf,
  serverCommand,
  startFailureMessage,
} from "../src/settings";

// The tests run from out/test; the manifest is two levels up.
const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
);

test("the default command is asl-lint lsp from PATH", () => {
  for (const unset of [undefined, null, "", "   ", 42]) {
    assert.deepEqual(serverCommand(unset), { command: "asl-lint", args: ["lsp"] });
  }
  assert.deepEqual(serverCommand("asl-lint-dev"), { command: "asl-lint-dev", args: ["lsp"] });
});

test("absolute paths are kept, relative ones start at the workspace folder", () => {
  const ctx = { workspaceFolder: "/work/project", home: "/home/me" };
  assert.equal(serverCommand("/opt/asl-lint/bin/asl-lint", ctx).command, "/opt/asl-lint/bin/asl-lint");
  assert.equal(serverCommand("./target/debug/asl-lint", ctx).command, "/work/project/target/debug/asl-lint");
  assert.equal(serverCommand("tools/asl-lint", ctx).command, "/work/project/tools/asl-lint");
  assert.equal(serverCommand("../bin/asl-lint", ctx).command, "/work/bin/asl-lint");
  assert.equal(serverCommand("  /trimmed/asl-lint  ", ctx).command, "/trimmed/asl-lint");
  // Without a workspace folder a relative path is left to the process.
  assert.equal(serverCommand("./asl-lint").command, "./asl-lint");
});

test("~ and ${workspaceFolder} are expanded", () => {
  const ctx = { workspaceFolder: "/w", home: "/home/me" };
  assert.equal(serverCommand("~/.cargo/bin/asl-lint", ctx).command, "/home/me/.cargo/bin/asl-lint");
  assert.equal(serverCommand("${workspaceFolder}/bin/asl-lint", ctx).command, "/w/bin/asl-lint");
  // `~user` is not expanded.
  assert.equal(serverCommand("~other/asl-lint", ctx).command, "/w/~other/asl-lint");
});

test("Windows paths", () => {
  const ctx = { workspaceFolder: "C:\\work\\project" };
  assert.equal(serverCommand("C:\\tools\\asl-lint.exe", ctx).command, "C:\\tools\\asl-lint.exe");
  assert.equal(
    serverCommand(".\\target\\debug\\asl-lint.exe", ctx).command,
    "C:\\work\\project\\target\\debug\\asl-lint.exe",
  );
});

test("the selector covers both languages and the file patterns", () => {
  const sel = documentSelector();
  for (const language of LANGUAGE_IDS) {
    assert.ok(sel.some((f) => "language" in f && f.language === language && f.scheme === "file"));
    assert.ok(sel.some((f) => "language" in f && f.language === language && f.scheme === "untitled"));
  }
  assert.ok(sel.some((f) => "pattern" in f && f.pattern === "**/*.asl.{json,yaml,yml}" && f.scheme === "file"));
  // Templates: the server sniffs plain JSON and YAML documents.
  for (const language of TEMPLATE_LANGUAGE_IDS) {
    assert.ok(sel.some((f) => "language" in f && f.language === language && f.scheme === "file"));
  }
});

test("file names map to languages", () => {
  assert.equal(languageOf("/x/order.asl.json"), "asl");
  assert.equal(languageOf("C:\\x\\Order.ASL.YML"), "asl-yaml");
  assert.equal(languageOf("order.asl.yaml"), "asl-yaml");
  assert.equal(languageOf("package.json"), undefined);
  assert.equal(languageOf("asl.json"), undefined);
});

test("the manifest agrees with the code", () => {
  const languages = manifest.contributes.languages as { id: string; extensions: string[] }[];
  assert.deepEqual(
    languages.map((l) => l.id),
    [...LANGUAGE_IDS],
  );
  for (const l of languages) {
    assert.deepEqual(l.extensions, EXTENSIONS[l.id as keyof typeof EXTENSIONS]);
  }
  for (const id of [...LANGUAGE_IDS, ...TEMPLATE_LANGUAGE_IDS]) {
    assert.ok(manifest.activationEvents.includes(`onLanguage:${id}`));
  }
  // VS Code's JSON language server serves only json/jsonc unless a language
  // participates: without this, `jsonValidation` never reaches `asl` files.
  assert.deepEqual(manifest.contributes.jsonLanguageParticipants, [
    { languageId: "asl", comments: false },
  ]);
  const jsonFiles = manifest.contributes.jsonValidation[0].fileMatch as string[];
  for (const pattern of jsonFiles) {
    const suffix = pattern.replace(/^\*/, "");
    const language = languageOf(`x${suffix}`);
    assert.ok(
      language !== undefined &&
        manifest.contributes.jsonLanguageParticipants.some(
          (p: { languageId: string }) => p.languageId === language,
        ),
      `${pattern} gets a language the JSON server does not serve`,
    );
  }
  assert.deepEqual(manifest.contributes.jsonValidation[0].fileMatch, ["*.asl.json"]);
  assert.equal(manifest.contributes.jsonValidation[0].url, "./schemas/asl.schema.json");
  assert.deepEqual(manifest.contributes.tomlValidation[0].fileMatch, CONFIG_FILE_NAMES);
  const props = manifest.contributes.configuration.properties;
  assert.equal(props["aslLint.path"].default, "asl-lint");
  assert.deepEqual(props["aslLint.trace.server"].enum, ["off", "messages", "verbose"]);
  assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes("aslLint.path"));
});

test("every file the manifest names exists after the build", () => {
  const root = path.join(__dirname, "..", "..");
  const files = [
    ...manifest.contributes.languages.map((l: { configuration: string }) => l.configuration),
    ...manifest.contributes.grammars.map((g: { path: string }) => g.path),
    manifest.contributes.jsonValidation[0].url,
  ];
  for (const f of files) {
    assert.ok(fs.existsSync(path.join(root, f)), `${f} is missing`);
    JSON.parse(fs.readFileSync(path.join(root, f), "utf8"));
  }
  // The copied schema is the repository's.
  const copied = fs.readFileSync(path.join(root, "schemas", "asl.schema.json"), "utf8");
  const original = fs.readFileSync(path.join(root, "..", "..", "schemas", "asl.schema.json"), "utf8");
  assert.equal(copied, original);
});

test("a failed start names the command and the setting", () => {
  const m = startFailureMessage("asl-lint", new Error("spawn asl-lint ENOENT"));
  assert.match(m, /`asl-lint lsp`/);
  assert.match(m, /ENOENT/);
  assert.match(m, /aslLint\.path/);
});
