#!/usr/bin/env node
// Compiles the TypeScript sources into build/ when they changed since the last build.
//
// `npm ci` runs no install scripts here, neither the dependencies' nor this project's own
// `prepare` (.npmrc sets ignore-scripts=true, which every npm version honours; see docs/commands.md,
// "Installing"). So the first command after `npm ci` compiles: bin/tenantscale.js and the npm
// scripts that run build/ directly (test, bench) call this first. The check is cheap (one stat
// per source file): a fingerprint of the path, size and modification time of every file tsc
// reads from this repository, kept in build/.sources-fingerprint after a successful build.
// Concurrent callers (Jest spawning the CLI, two terminals) take a lock directory, so only one
// runs tsc and the others wait for it.
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'build');
const FINGERPRINT = path.join(BUILD, '.sources-fingerprint');
const LOCK = path.join(BUILD, '.build-lock');
const TSBUILDINFO = path.join(BUILD, '.tsbuildinfo');
/** How long a caller waits for another process's build before giving up. */
const LOCK_WAIT_MS = 10 * 60 * 1000;

/** The top-level source directories of tsconfig.json's `include` (e.g. "cli/**\/*.ts" → "cli"). */
function sourceDirs() {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  return [...new Set((tsconfig.include || []).map((p) => p.split('/')[0]))].sort();
}

/** Path, size and mtime of every .ts file under `dir` (node_modules skipped), appended to `out`. */
function collect(dir, out) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') collect(full, out);
    } else if (entry.name.endsWith('.ts')) {
      const s = fs.statSync(full);
      out.push(`${path.relative(ROOT, full)}\0${s.size}\0${s.mtimeMs}`);
    }
  }
}

/** A fingerprint of everything tsc reads from the repository. */
function fingerprint() {
  const lines = [];
  for (const file of ['tsconfig.json', 'package.json', 'package-lock.json']) {
    const s = fs.statSync(path.join(ROOT, file));
    lines.push(`${file}\0${s.size}\0${s.mtimeMs}`);
  }
  for (const dir of sourceDirs()) collect(path.join(ROOT, dir), lines);
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

function upToDate(print) {
  try {
    return fs.existsSync(path.join(BUILD, 'cli', 'index.js')) && fs.readFileSync(FINGERPRINT, 'utf8') === print;
  } catch {
    return false;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Takes the lock directory; removes one left by a process that is gone. Returns false on timeout. */
function lock() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  fs.mkdirSync(BUILD, { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return true;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
    } catch {
      // being created or removed right now
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) fs.rmSync(LOCK, { recursive: true, force: true });
    else if (Date.now() > deadline) return false;
    else sleep(100);
  }
}

/**
 * Compiles when build/ is missing or older than the sources. Returns 0 when build/ is up to date
 * afterwards, else tsc's exit code (its errors are on stderr).
 */
function ensureBuilt({ always = false, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (!always && upToDate(fingerprint())) return 0;
  if (!lock()) {
    log(`tenantscale: another build holds ${LOCK} for over ${LOCK_WAIT_MS / 60000} minutes; remove it if no build is running`);
    return 1;
  }
  try {
    const print = fingerprint();
    if (!always && upToDate(print)) return 0; // another process built while we waited
    if (!always) log('tenantscale: compiling the TypeScript sources into build/ (first run after npm ci, or a source changed)');
    let tsc;
    try {
      tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
    } catch {
      log('tenantscale: build/ is out of date and TypeScript is not installed; run `npm ci` (with the dev dependencies) first');
      return 1;
    }
    // tsc is incremental (tsconfig.json, build/.tsbuildinfo): after a source change it re-checks
    // and re-emits what the change reaches, a few seconds instead of a full compile. Its record
    // says nothing of outputs removed since: without build/cli/index.js, compile from scratch.
    if (!fs.existsSync(path.join(BUILD, 'cli', 'index.js'))) fs.rmSync(TSBUILDINFO, { force: true });
    const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) return result.status === null ? 1 : result.status;
    fs.writeFileSync(FINGERPRINT, print);
    return 0;
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

module.exports = { ensureBuilt, fingerprint };

// `--always` (npm run build): compile even when up to date, e.g. to type-check.
if (require.main === module) process.exitCode = ensureBuilt({ always: process.argv.includes('--always') });
