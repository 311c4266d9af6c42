// Bundles the extension and vscode-languageclient into dist/extension.js, so
// the package needs no node_modules (`vsce package --no-dependencies`).
import { build } from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [join(root, "src", "extension.ts")],
  outfile: join(root, "dist", "extension.js"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node18",
  external: ["vscode"],
  minify: process.env.NODE_ENV === "production",
  sourcemap: false,
  logLevel: "warning",
});
