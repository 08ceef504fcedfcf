/**
 * Where synth builds its output before it replaces the previous one: a hidden directory beside
 * the output directory (`.dist.tenantscale-staging-<pid>` next to `dist`), on the same filesystem
 * so the final renames are atomic, and outside what `kubectl apply -R -f dist` or `git add dist`
 * read. It holds a `.gitignore` of `*` (so `git add .` one level up skips it too) and an owner
 * file (pid, host). It is removed when synth ends, on SIGINT, SIGTERM and SIGHUP (the handler runs
 * between two chunks of tenants, removes it, then re-raises the signal so the exit status is the
 * usual 128+n), and on process.exit; after a kill -9 the next synth on the same directory sweeps
 * it once its pid is gone.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { formatRecord, Record, RECORD_FILE, sha256, unionRecord } from './record';
import { isAlive, OWNED_DIRS, Ownership, Refusal } from './ownership';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What a staging directory's owner file says. */
interface Owner {
  readonly pid: number;
  readonly host: string;
}

/** The staging directory name prefix for an output directory: `.<name>.tenantscale-staging-`. */
export function stagingPrefix(outDir: string): string {
  return `.${basename(outDir)}.tenantscale-staging-`;
}

/** Thrown when synth must not write into a directory; runSynth prints it. */
export class OutputRefusedError extends Error {
  public constructor(public readonly outDir: string, public readonly refusal: Refusal) {
    super(`${outDir}: ${refusal.problem}`);
  }
}

/**
 * Removes the staging directories of `outDir` whose synth is gone (its pid no longer runs on this
 * host). Throws OutputRefusedError when another synth is writing `outDir`, or when a staging
 * directory belongs to another host (its pid cannot be checked from here).
 */
export function sweepStaging(outDir: string): string[] {
  const parent = dirname(outDir);
  const prefix = stagingPrefix(outDir);
  const swept: string[] = [];
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    const dir = join(parent, name);
    if (!lstatSync(dir).isDirectory()) continue;
    const owner = readOwner(dir) ?? { pid: Number(name.slice(prefix.length)), host: hostname() };
    if (owner.host !== hostname()) {
      throw new OutputRefusedError(outDir, {
        problem: `has a staging directory of a synth on host "${owner.host}" (pid ${owner.pid}), which cannot be checked from here`,
        paths: [dir],
        fix: `remove ${dir} once no synth runs there`,
      });
    }
    if (owner.pid !== process.pid && isAlive(owner.pid)) {
      throw new OutputRefusedError(outDir, { problem: `is being written: another tenantscale synth (pid ${owner.pid}) is writing it`, paths: [dir], fix: 'wait for that synth to finish' });
    }
    rmSync(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}

function readOwner(dir: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as Owner;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A staging directory for one synth run into `outDir`; `tree` is where the output is built. */
export class Staging {
  /** Sweeps stale staging directories, then creates this run's and arms the cleanup. */
  public static open(outDir: string): Staging {
    sweepStaging(outDir);
    return new Staging(outDir);
  }

  public readonly dir: string;
  /** The new output, laid out as the output directory will be. */
  public readonly tree: string;
  /** The previous output, moved here by `publish` before it is removed. */
  private readonly previous: string;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.discard();
    process.kill(process.pid, signal);
  };
  private readonly onExit = (): void => this.discard();
  private discarded = false;

  private constructor(private readonly outDir: string) {
    this.dir = join(dirname(outDir), `${stagingPrefix(outDir)}${process.pid}`);
    this.tree = join(this.dir, 'output');
    this.previous = join(this.dir, 'previous');
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir);
    for (const signal of SIGNALS) process.on(signal, this.onSignal);
    process.on('exit', this.onExit);
    writeFileSync(join(this.dir, '.gitignore'), '*\n');
    writeFileSync(join(this.dir, 'owner.json'), `${JSON.stringify({ pid: process.pid, host: hostname() } satisfies Owner)}\n`);
    for (const owned of OWNED_DIRS) mkdirSync(join(this.tree, owned), { recursive: true });
  }

  /** Removes the staging directory (and with it the previous output, once published); disarms the cleanup. */
  public discard(): void {
    if (this.discarded) return;
    this.discarded = true;
    for (const signal of SIGNALS) process.off(signal, this.onSignal);
    process.off('exit', this.onExit);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Replaces the previous output with the staged tree. Synchronous, so no signal handler runs in
   * between: first a record of the previous and the new files (so a kill -9 midway leaves a
   * directory whose every file is on the record), then per top-level entry two renames (the
   * previous one into the staging directory, the new one into place: never missing, never
   * half-written), entries the new output no longer has moved out, and the record of the new
   * files last. Returns the new record.
   */
  public publish(ownership: Ownership): Record {
    const fresh = recordTree(this.tree);
    const previous: Record = new Map([...ownership.owned].map(([path, digest]) => [path, new Set([digest])]));
    mkdirSync(this.outDir, { recursive: true });
    mkdirSync(this.previous);
    const late = unexpectedEntries(this.outDir, ownership);
    if (late.length > 0) {
      throw new OutputRefusedError(this.outDir, { problem: 'gained files while synth ran, which it did not write', paths: late, fix: 'move these out of the directory and run synth again' });
    }
    this.placeFile(RECORD_FILE, formatRecord(unionRecord(previous, fresh)));
    const names = readdirSync(this.tree).sort();
    for (const name of names) this.replace(name);
    const gone = new Set([...ownership.owned.keys()].map((path) => path.split('/')[0]));
    for (const name of [...gone, ...ownership.legacyStaging]) {
      if (!names.includes(name) && existsSync(join(this.outDir, name))) renameSync(join(this.outDir, name), join(this.previous, name));
    }
    this.placeFile(RECORD_FILE, formatRecord(fresh));
    return fresh;
  }

  /** Moves the staged top-level entry `name` into the output directory, the previous one out. */
  private replace(name: string): void {
    const target = join(this.outDir, name);
    const staged = join(this.tree, name);
    if (!lstatSync(staged).isDirectory() || !existsSync(target)) {
      renameSync(staged, target); // a file replaces a file atomically
      return;
    }
    renameSync(target, join(this.previous, name));
    try {
      renameSync(staged, target);
    } catch (err) {
      renameSync(join(this.previous, name), target);
      throw err;
    }
  }

  /** Writes `text` as `<outDir>/<name>` atomically (written in the staging directory, renamed). */
  private placeFile(name: string, text: string): void {
    const temp = join(this.dir, `${name}.tmp`);
    writeFileSync(temp, text);
    renameSync(temp, join(this.outDir, name));
  }
}

/** The record of every file under `root`: relative path → its digest. */
export function recordTree(root: string, dir = ''): Record {
  const record: Record = new Map();
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) for (const [path, digests] of recordTree(root, rel)) record.set(path, digests);
    else record.set(rel, new Set([sha256(readFileSync(join(root, rel)))]));
  }
  return record;
}

/** Entries now in the output directory's owned directories that the inspection did not find. */
function unexpectedEntries(outDir: string, ownership: Ownership): string[] {
  const late: string[] = [];
  const dirs = new Set<string>([...OWNED_DIRS, ...[...ownership.owned.keys()].filter((p) => p.includes('/')).map((p) => dirname(p))]);
  for (const dir of dirs) {
    const full = join(outDir, dir);
    if (!existsSync(full) || !lstatSync(full).isDirectory()) continue;
    for (const entry of readdirSync(full, { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (!ownership.owned.has(rel) && !(entry.isDirectory() && dirs.has(rel))) late.push(rel);
    }
  }
  return late.sort();
}
