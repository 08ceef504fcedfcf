/**
 * The record synth keeps in its output directory: every file it wrote there and the SHA-256 of
 * what it wrote, one `<sha256>  <path>` line each (sha256sum's format, so `sha256sum --check`
 * verifies it), sorted by path. synth replaces or removes only files on it, and only while they
 * still hold what it wrote. The name ends in neither .yaml, .yml nor .json, so `kubectl apply -R
 * -f`, Argo CD and Flux do not read it as a manifest.
 */
import { createHash } from 'node:crypto';

/** File name of the record, at the root of the output directory. */
export const RECORD_FILE = '.tenantscale-output.sha256';

const HEADER = [
  '# tenantscale synth: the files it wrote in this directory and their SHA-256 (sha256sum format).',
  '# synth replaces or removes only these files, and refuses a directory that holds anything else.',
];

/** One path segment synth may write: no separators, not `.` or `..`, nothing a shell or YAML quotes. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Path → the SHA-256 digests the file may have (one, or two while a run swaps old for new). */
export type Record = Map<string, Set<string>>;

/** A record that cannot be read: the line, and why. */
export class RecordError extends Error {}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Whether `path` is a relative path inside the directory, of plain segments (e.g. `tenants/a.yaml`). */
export function isRecordablePath(path: string): boolean {
  return path.split('/').every((segment) => SEGMENT.test(segment));
}

/** The record's text: header, then one line per path and digest, sorted (byte-for-byte deterministic). */
export function formatRecord(record: Record): string {
  const lines: string[] = [];
  for (const path of [...record.keys()].sort(byCodePoint)) {
    if (!isRecordablePath(path)) throw new RecordError(`cannot record "${path}": not a plain relative path`);
    for (const digest of [...record.get(path)!].sort()) lines.push(`${digest}  ${path}`);
  }
  return `${[...HEADER, ...lines].join('\n')}\n`;
}

/** Parses a record; throws RecordError naming the first line that is not `<sha256>  <plain relative path>`. */
export function parseRecord(text: string): Record {
  const record: Record = new Map();
  text.split('\n').forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m || !isRecordablePath(m[2])) {
      throw new RecordError(`line ${i + 1}: ${JSON.stringify(line.slice(0, 200))} is not "<sha256>  <relative path inside the directory>"`);
    }
    const digests = record.get(m[2]) ?? new Set<string>();
    digests.add(m[1]);
    record.set(m[2], digests);
  });
  return record;
}

/** Both records' digests for every path of either (what a run records while it swaps). */
export function unionRecord(a: Record, b: Record): Record {
  const union: Record = new Map();
  for (const record of [a, b]) {
    for (const [path, digests] of record) union.set(path, new Set([...(union.get(path) ?? []), ...digests]));
  }
  return union;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
