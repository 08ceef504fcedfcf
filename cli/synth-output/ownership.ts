/**
 * What synth may replace in an output directory, decided before anything is built: the files on
 * its record that still hold what it wrote. Output written before the record existed (tenantscale
 * 0.1 wrote dist/ without one) is adopted when every file in it is recognisably tenantscale's own
 * output; anything else makes synth refuse the directory, naming what it did not write.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { KUSTOMIZATION_FILE, KUSTOMIZATION_HEADER } from '../kustomization';
import { parseRecord, Record, RECORD_FILE, RecordError, sha256 } from './record';

/** Directories synth creates at the top of its output directory (they may be empty). */
export const OWNED_DIRS = ['tenants', 'platform'] as const;

/** Staging directory the previous tenantscale version kept inside the output directory. */
const LEGACY_STAGING = /^\.tenantscale-staging-(\d+)$/;

/** Paths named in a refusal before "… and N more". */
export const LISTED = 10;

/** Why synth will not write into a directory, for the user: what, the paths concerned, the fix. */
export interface Refusal {
  readonly problem: string;
  /** Offending paths relative to the output directory (directories end in "/ (directory)"). */
  readonly paths: readonly string[];
  readonly fix: string;
}

/** The outcome of inspecting an output directory. */
export interface Ownership {
  /** Set when synth must not write there. */
  readonly refusal?: Refusal;
  /** Files synth wrote there (on its record or adopted): path → digest of their content now. */
  readonly owned: Map<string, string>;
  /** Staging directories of the previous version inside the output directory, whose synth is gone. */
  readonly legacyStaging: readonly string[];
}

export interface OwnershipContext {
  /** The tenant list (any input synth reads): the output directory must not contain it. */
  readonly inputs: readonly string[];
  /** Directories the output directory must be neither nor contain (the tenantscale sources). */
  readonly protectedDirs: readonly string[];
}

/** Whether `inner` is `outer` or inside it (both absolute, real paths). */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel));
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realish(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realish(parent), relative(parent, path));
  }
}

/** Whether a process with this pid is running (on this machine). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Inspects `outDir` (absolute): refuses a directory that contains an input or the sources, a Git
 * repository root, or one holding anything synth did not write; otherwise returns the files synth
 * owns there. Foreign directories are reported, not descended into, so the walk stays bounded by
 * what synth itself writes.
 */
export function inspectOutput(outDir: string, context: OwnershipContext): Ownership {
  const none: Ownership = { owned: new Map(), legacyStaging: [] };
  if (!existsSync(outDir)) return none;
  if (!statSync(outDir).isDirectory()) {
    return { ...none, refusal: { problem: 'is not a directory', paths: [], fix: 'give --out a directory (default dist)' } };
  }
  const real = realpathSync(outDir);
  // What a refusal for a protected directory lists: what synth would not recognise as its own there.
  const entries = (): string[] => [...(walk(real, undefined).refusal?.paths ?? [])];
  const inputs = context.inputs.filter((input) => isWithin(realish(input), real));
  if (inputs.length > 0) {
    return {
      ...none,
      refusal: {
        problem: `contains the tenant list (${inputs.map((i) => relative(real, realish(i)) || i).join(', ')}), which synth reads`,
        paths: entries(),
        fix: 'write the output to a directory of its own: --out dist (the default)',
      },
    };
  }
  const sources = context.protectedDirs.filter((dir) => isWithin(realish(dir), real));
  if (sources.length > 0) {
    return { ...none, refusal: { problem: `contains the tenantscale sources (${sources.join(', ')})`, paths: entries(), fix: 'write the output to a directory of its own: --out dist (the default)' } };
  }
  if (existsSync(join(real, '.git'))) {
    return { ...none, refusal: { problem: 'is the root of a Git repository', paths: entries(), fix: 'write the output to a directory of its own: --out dist (the default)' } };
  }
  const recordPath = join(real, RECORD_FILE);
  let record: Record | undefined;
  if (existsSync(recordPath)) {
    try {
      record = parseRecord(readFileSync(recordPath, 'utf8'));
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      return { ...none, refusal: { problem: `has a ${RECORD_FILE} that is not a tenantscale record: ${RECORD_FILE} ${err.message}`, paths: [], fix: `remove ${RECORD_FILE} if this is not tenantscale output, or choose another --out` } };
    }
  }
  return walk(real, record);
}

/** Walks the output directory's top level and the directories synth writes. */
function walk(real: string, record: Record | undefined): Ownership {
  const owned = new Map<string, string>();
  const foreign: string[] = [];
  const changed: string[] = [];
  const legacyStaging: string[] = [];
  const busy: string[] = [];
  const ownedDirs = new Set<string>(OWNED_DIRS);
  for (const path of record?.keys() ?? []) {
    for (let d = dirname(path); d !== '.'; d = dirname(d)) ownedDirs.add(d);
  }
  const visit = (rel: string): void => {
    const full = join(real, rel);
    const stat = lstatSync(full);
    if (stat.isDirectory()) {
      const staging = LEGACY_STAGING.exec(rel);
      if (staging) {
        (isAlive(Number(staging[1])) ? busy : legacyStaging).push(rel);
      } else if (ownedDirs.has(rel)) {
        for (const name of readdirSync(full).sort()) visit(`${rel}/${name}`);
      } else foreign.push(`${rel}/ (directory)`);
      return;
    }
    if (!stat.isFile()) {
      foreign.push(`${rel} (${stat.isSymbolicLink() ? 'symbolic link' : 'not a regular file'})`);
      return;
    }
    const content = readFileSync(full);
    const digest = sha256(content);
    if (record !== undefined) {
      const digests = record.get(rel);
      if (digests === undefined) foreign.push(rel);
      else if (!digests.has(digest)) changed.push(`${rel} (changed since synth wrote it)`);
      else owned.set(rel, digest);
    } else if (isLegacyOutput(rel, content.toString('utf8'))) owned.set(rel, digest);
    else foreign.push(rel);
  };
  for (const name of readdirSync(real).sort()) if (name !== RECORD_FILE) visit(name);
  if (busy.length > 0) {
    return { owned, legacyStaging, refusal: { problem: 'is being written by another tenantscale synth (an older version, staging inside it)', paths: busy, fix: 'wait for that synth to finish' } };
  }
  const offending = [...changed, ...foreign];
  if (offending.length === 0) return { owned, legacyStaging };
  const what = record !== undefined ? `not on synth's record (${RECORD_FILE})` : `no tenantscale record (${RECORD_FILE}), and not recognisably tenantscale output`;
  return {
    owned,
    legacyStaging,
    refusal: {
      problem: `holds ${offending.length} ${offending.length === 1 ? 'entry' : 'entries'} that tenantscale synth did not write (${what}); synth replaces what it wrote and never deletes anything else`,
      paths: offending,
      fix: 'move these out of the directory, or give --out a new or empty directory (default dist)',
    },
  };
}

const MANAGED_BY = 'app.kubernetes.io/managed-by: tenantscale';

/**
 * Whether a file in a directory without a record is what a previous tenantscale synth wrote:
 * `tenants/<name>.yaml` whose first document is the Namespace `tenant-<name>` and every document
 * carries tenantscale's managed-by label; `platform/platform.yaml` whose every document carries
 * it; the kustomization.yaml `--kustomize` writes (its generated header).
 */
export function isLegacyOutput(rel: string, text: string): boolean {
  if (rel === KUSTOMIZATION_FILE) return text.startsWith(KUSTOMIZATION_HEADER);
  const documents = text.split(/\n---\n/);
  const labelled = documents.every((doc) => doc.split('\n').some((line) => line.trim() === MANAGED_BY));
  if (rel === 'platform/platform.yaml') return labelled;
  const tenant = /^tenants\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.yaml$/.exec(rel);
  if (!tenant || !labelled) return false;
  let first: unknown;
  try {
    first = parse(documents[0]);
  } catch {
    return false;
  }
  const ns = first as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | null;
  return ns?.apiVersion === 'v1' && ns.kind === 'Namespace' && ns.metadata?.name === `tenant-${tenant[1]}`;
}

/** The refusal as lines: the problem, at most LISTED paths then a count, the fix. */
export function refusalLines(outDir: string, refusal: Refusal): string[] {
  const shown = refusal.paths.slice(0, LISTED).map((p) => `  ${p}`);
  if (refusal.paths.length > LISTED) shown.push(`  … and ${refusal.paths.length - LISTED} more`);
  return [`✗ ${outDir}: refusing to write there; nothing was written. It ${refusal.problem}`, ...shown, `  fix: ${refusal.fix}`];
}
