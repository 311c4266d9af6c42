// Drives the AWS "amazon-states-language-service" (the library behind the
// AWS Toolkit's ASL support) over many files in one process, the way an
// editor would validate them: parse, then doValidation.
//
//   node asls-driver.js LIST_FILE
//
// LIST_FILE holds one path per line. Prints one JSON line:
// {"files": N, "with_errors": N, "diagnostics": N, "seconds": S}
// (the time covers reading, parsing and validating, not start-up).
// Needs `npm install amazon-states-language-service` where node finds it
// (NODE_PATH or a node_modules folder above the working directory).
'use strict';
const fs = require('fs');
const asl = require('amazon-states-language-service');

async function main() {
  const list = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
  const json = asl.getLanguageService({});
  const yaml = asl.getYamlLanguageService({});
  const start = process.hrtime.bigint();
  let withErrors = 0;
  let diagnostics = 0;
  for (const path of list) {
    const text = fs.readFileSync(path, 'utf8');
    const isYaml = /\.ya?ml$/i.test(path);
    const ls = isYaml ? yaml : json;
    const doc = asl.TextDocument.create('file://' + path, isYaml ? 'asl-yaml' : 'asl', 1, text);
    const parsed = ls.parseJSONDocument(doc);
    const found = await ls.doValidation(doc, parsed);
    diagnostics += found.length;
    if (found.some((d) => d.severity === 1)) withErrors += 1;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(JSON.stringify({ files: list.length, with_errors: withErrors, diagnostics, seconds }));
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
