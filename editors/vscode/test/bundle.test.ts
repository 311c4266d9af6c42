import * as assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";

// `npm run compile` bundles vscode-languageclient into dist/extension.js; the
// package ships without node_modules, so the bundle must load on its own.
test("the bundle loads with only the vscode module provided", () => {
  const Module = require("node:module");
  const load = Module._load;
  const stub = new Proxy(
    {},
    { get: (_t, key) => (key === "__esModule" ? false : function Stub() {}) },
  );
  Module._load = function (request: string, ...rest: unknown[]) {
    return request === "vscode" ? stub : load.call(this, request, ...rest);
  };
  try {
    const ext = require(path.join(__dirname, "..", "..", "dist", "extension.js"));
    assert.equal(typeof ext.activate, "function");
    assert.equal(typeof ext.deactivate, "function");
  } finally {
    Module._load = load;
  }
});
