// `npm run lint:electron`: Doyensec's Electronegativity over src/. Any HIGH or CRITICAL finding
// fails the check unless scripts/electronegativity-accepted.json explains why it is acceptable;
// lower findings are printed with their explanation (or flagged as unexplained).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const electronVersion = require('electron/package.json').version;
const accepted = JSON.parse(
  readFileSync(new URL('./electronegativity-accepted.json', import.meta.url), 'utf8'),
);

// The scanner tries to fetch translations and Electron release data; offline it says so on
// stdout and carries on with what it ships. Keep our output readable.
const log = console.log;
console.log = () => {};
const result = await run(
  { input: resolve('src'), isRelative: true, electronVersionOverride: electronVersion },
  false,
).finally(() => {
  console.log = log;
});

let failed = false;
for (const error of result.errors) {
  console.error(`electronegativity could not parse ${error.file}: ${error.message}`);
  failed = true;
}
for (const issue of result.issues) {
  const key = `${issue.id} ${issue.file}`;
  const reason = accepted[key] ?? accepted[issue.id];
  const severity = issue.severity.name;
  const where = `${issue.file}:${issue.location.line}`;
  if (reason) {
    console.log(`ok   ${severity.padEnd(8)} ${issue.id} ${where}: ${reason}`);
  } else if (severity === 'HIGH' || severity === 'CRITICAL') {
    console.error(
      `FAIL ${severity.padEnd(8)} ${issue.id} ${where}: ${issue.description} (${issue.shortenedURL})`,
    );
    failed = true;
  } else {
    console.log(
      `note ${severity.padEnd(8)} ${issue.id} ${where}: unexplained; ${issue.shortenedURL}`,
    );
  }
}
console.log(
  `electronegativity: ${result.issues.length} findings, ${failed ? 'FAILED' : 'no unexplained high-severity finding'}`,
);
process.exit(failed ? 1 : 0);
