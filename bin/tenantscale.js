#!/usr/bin/env node
// Entry point of the `tenantscale` CLI. The TypeScript sources are compiled to build/ by
// `npm run build`, which `npm ci` runs through the `prepare` script.
'use strict';
let main;
try {
  ({ main } = require('../build/cli/index.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('build/cli/index.js')) {
    process.stderr.write('tenantscale: not built yet; run `npm ci` (or `npm run build`) first\n');
    process.exit(1);
  }
  throw err;
}
// A reader that stops early (`tenantscale plan | head`) closes the pipe: stop quietly, as other
// command-line tools do, instead of crashing with EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
main(process.argv).then((code) => { process.exitCode = code; });
