// Reads one JSON-encoded JSONata expression per line on stdin and prints, per
// line, `ok` when jsonata@2.0.6 parses it or `error <position> <code> <message>`
// when it does not. Parsing only: nothing is evaluated.
'use strict';
const path = require('path');
const readline = require('readline');
const jsonata = require(path.join(__dirname, 'node_modules', 'jsonata'));

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on('line', (line) => {
  if (line.trim() === '') {
    return;
  }
  let expr;
  try {
    expr = JSON.parse(line);
  } catch (e) {
    process.stdout.write('bad-input\n');
    return;
  }
  try {
    jsonata(expr);
    process.stdout.write('ok\n');
  } catch (e) {
    const pos = typeof e.position === 'number' ? e.position : -1;
    const msg = JSON.stringify(String(e.message || e));
    process.stdout.write(`error ${pos} ${e.code || '?'} ${msg}\n`);
  }
});
