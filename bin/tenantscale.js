#!/usr/bin/env node
// Entry point of the `tenantscale` CLI. The TypeScript sources are compiled to build/ on first
// use and again whenever a source changed (scripts/build-if-stale.js): `npm ci` runs no install
// scripts, this project's own `prepare` included (.npmrc: ignore-scripts=true).
'use strict';
const built = require('../scripts/build-if-stale.js').ensureBuilt();
if (built !== 0) process.exit(built);
const { main } = require('../build/cli/index.js');
// A reader that stops early (`tenantscale plan | head`) closes the pipe: stop quietly, as other
// command-line tools do, instead of crashing with EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
main(process.argv).then((code) => { process.exitCode = code; });
