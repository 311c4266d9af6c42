#!/bin/sh
# Builds the .vsix: installs the locked dependencies when missing, compiles,
# tests and packages. The package carries the bundled dist/extension.js, so
# node_modules stays out of it.
set -eu
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run compile
npm test
NODE_ENV=production npx vsce package --no-dependencies "$@"
