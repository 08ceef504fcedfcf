/**
 * Reading the tenant list: untrusted text (it arrives in pull requests, forks included) to plain
 * data, in bounded time and memory, or one short problem with its line and column.
 *
 * Limits, each refused before the expensive step it protects:
 * - the file: at most `MAX_FILE_BYTES` (checked with `stat` before reading, then on the text);
 * - nesting: at most `MAX_DEPTH` levels (js-yaml's `maxDepth`, while parsing);
 * - aliases: at most `MAX_ALIASES` per document (js-yaml's `maxAliases`), and the document with
 *   every alias expanded at most `MAX_EXPANDED_BYTES` (an "alias bomb" of 600 bytes expands to
 *   gigabytes; js-yaml shares the aliased object, but validation, merging and output walk it
 *   expanded);
 * - one value: at most `MAX_VALUE_BYTES` characters.
 */
import { readFileSync, statSync } from 'node:fs';
import { constructFromEvents, CORE_SCHEMA, EVENT_ID, getScalarValue, parseEvents, YAMLException } from 'js-yaml';
import type { Event } from 'js-yaml';
import { Problem } from './problem';

/**
 * Largest tenants file read: 4 MiB. A 10,000-tenant list (the scale tenantscale is benchmarked
 * at) is 2.2 MB in the generated form of bench/bench.ts, so this leaves room for ~400 bytes per tenant;
 * reading and validating a file of this size stays under 2 s and 300 MiB (docs/benchmarks.md).
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Largest single value: 256 KiB. No field of a tenant can be longer and still be applied:
 * `kubectl apply` (client-side) copies the whole object into the last-applied-configuration
 * annotation, and annotations may total 256 KiB (kubernetes/apimachinery@v0.28.15
 * pkg/api/validation/objectmeta.go:36 TotalAnnotationSizeLimitB); etcd refuses any object over
 * 1.5 MiB (etcd-io/etcd server/embed/config.go DefaultMaxRequestBytes).
 */
export const MAX_VALUE_BYTES = 256 * 1024;

/** Deepest nesting: the schema needs 7 levels (tenants → entry → scaling → metric → requestRate → target). */
export const MAX_DEPTH = 32;

/** Aliases (`*name`) per document. */
export const MAX_ALIASES = 10_000;

/** Size of the document with every alias expanded, counted as characters of values and keys plus 2 per node. */
export const MAX_EXPANDED_BYTES = 2 * MAX_FILE_BYTES;

const ALLOWED = 'a YAML mapping with `defaults` and `tenants`';

/** Where a value is in the tenants file. */
export interface SourcePosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Offsets of the value's text (end exclusive), for quoting it as written. */
  readonly start: number;
  readonly end: number;
}

/** Finds the position of a value in the file from its path (keys and list indexes). */
export interface SourceMap {
  /** The value at `path`; with `key: true`, the mapping key naming it. Undefined if the path is not in the file. */
  locate(path: readonly PropertyKey[], options?: { key?: boolean }): SourcePosition | undefined;
  /** The text of the file between two offsets. */
  text(start: number, end: number): string;
}

export type ReadResult = { readonly data: unknown; readonly source: SourceMap } | { readonly problem: Problem };

function fileProblem(message: string, fix: string, position?: { line: number; column: number }): Problem {
  return { tenant: 'file', field: '', message, allowed: ALLOWED, fix, ...(position ? { line: position.line, column: position.column } : {}) };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** The problem of a file that is too large, or undefined. */
export function fileSizeProblem(bytes: number): Problem | undefined {
  if (bytes <= MAX_FILE_BYTES) return undefined;
  return fileProblem(
    `the tenants file is ${mib(bytes)}, more than the ${mib(MAX_FILE_BYTES)} tenantscale reads`,
    `split the list or move shared fields into \`defaults\` (a 10,000-tenant list is about 2 MiB)`,
  );
}

/** Files read to look for an over-long line when they are over the limit (beyond this, only the size is reported). */
const OVERSIZE_SCAN_BYTES = 4 * MAX_FILE_BYTES;

const valueTooLong = (length: number) =>
  `a value of ${length.toLocaleString('en-US')} characters is longer than the ${kib(MAX_VALUE_BYTES)} any tenant field can hold (kubectl apply keeps the whole object in a 256 KiB annotation; etcd refuses objects over 1.5 MiB)`;
const VALUE_FIX = 'shorten the value; put large configuration in a ConfigMap or Secret of the tenant namespace and reference it';

/**
 * The problem of a text over the file limit: when one line alone is longer than any value may be
 * (a 10 MB env value), that value with its position, else the file size. One linear scan, no parse.
 */
export function oversizeProblem(text: string): Problem | undefined {
  const bytes = text.length > MAX_FILE_BYTES / 4 ? Buffer.byteLength(text, 'utf8') : text.length;
  const tooLarge = fileSizeProblem(bytes);
  if (!tooLarge) return undefined;
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const head = end - start > MAX_VALUE_BYTES ? text.slice(start, start + 1000) : '';
    if (head !== '' && !/^\s*(#|$)/.test(head)) {
      const colon = /^(\s*(?:- )?[^:#\s]+:\s+)/.exec(head);
      const column = (colon ? colon[1].length : head.length - head.trimStart().length) + 1;
      return fileProblem(valueTooLong(end - start - column + 1), VALUE_FIX, { line, column });
    }
    start = end + 1;
  }
  return tooLarge;
}

/**
 * Reads a tenants file from disk: a missing file, a directory and an oversized file are refused
 * (the size before reading a byte). Returns the text, or the problem.
 */
export function readTenantsFile(file: string): { text: string } | { problem: Problem } {
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      return {
        problem: {
          tenant: 'file',
          field: '',
          message: `${file} is a directory, not a tenants file`,
          allowed: 'the path of a YAML file with `defaults` and `tenants`',
          fix: `pass the file itself, e.g. --tenants ${file.replace(/\/+$/, '')}/tenants.yaml`,
        },
      };
    }
    size = stat.size;
  } catch (err) {
    return { problem: readProblem(file, err) };
  }
  const tooLarge = fileSizeProblem(size);
  if (tooLarge && size > OVERSIZE_SCAN_BYTES) return { problem: tooLarge };
  try {
    const text = readFileSync(file, 'utf8');
    const oversize = tooLarge ? oversizeProblem(text) : undefined;
    return oversize ? { problem: oversize } : { text };
  } catch (err) {
    return { problem: readProblem(file, err) };
  }
}

function readProblem(file: string, err: unknown): Problem {
  const code = (err as NodeJS.ErrnoException).code;
  return {
    tenant: 'file',
    field: '',
    message: code === 'ENOENT' ? 'the tenants file does not exist' : `cannot read the tenants file (${code ?? String(err)})`,
    allowed: 'a readable YAML file with `defaults` and `tenants`',
    fix: code === 'ENOENT' ? `create ${file} (see tenants/tenants.yaml in the repository) or pass --tenants FILE` : `make ${file} readable or pass --tenants FILE`,
  };
}

/**
 * YAML 1.2 (core schema) text to plain data and a map back to line and column, within the limits
 * above. js-yaml reads a 10,000-tenant list about 6× faster than `yaml`'s document parser; its
 * event stream (nodejs/js-yaml 5.5.0 `parseEvents`, offsets into the text) is kept to locate
 * problems, and turned into a position tree only when a problem needs one.
 */
export function parseTenantsYaml(text: string): ReadResult {
  const tooLarge = oversizeProblem(text);
  if (tooLarge) return { problem: tooLarge };
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
    documents = constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxAliases: MAX_ALIASES });
  } catch (err) {
    return { problem: syntaxProblem(err) };
  }
  // A trailing `---` (an empty document, as many generated files end) is harmless; content is not.
  if (documents.slice(1).some((d) => d !== null && d !== undefined)) {
    const second = secondDocumentOffset(events);
    const at = second === undefined ? undefined : lineColumn(text, second);
    return {
      problem: fileProblem(
        `the file holds ${documents.length} YAML documents (separated by \`---\`); the tenant list is one document`,
        'merge the documents into one `tenants:` list and remove the `---` separator',
        at,
      ),
    };
  }
  const overrun = measureEvents(text, events);
  if (overrun) return { problem: fileProblem(overrun.message, overrun.fix, lineColumn(text, overrun.offset)) };
  return { data: documents[0], source: sourceMap(text, events) };
}

function syntaxProblem(err: unknown): Problem {
  if (!(err instanceof YAMLException)) {
    return fileProblem(`the tenants file cannot be read as YAML: ${String((err as Error)?.message ?? err).split('\n')[0]}`, 'fix the YAML syntax');
  }
  const mark = err.mark;
  const position = mark ? { line: mark.line + 1, column: mark.column + 1 } : undefined;
  const reason = err.reason;
  if (/maxDepth/.test(reason)) {
    return fileProblem(`the document nests deeper than ${MAX_DEPTH} levels`, 'a tenant list needs about 7 levels: flatten the value at that position', position);
  }
  if (/maxAliases/.test(reason)) {
    return fileProblem(`the document uses more than ${MAX_ALIASES.toLocaleString('en-US')} aliases (*name)`, 'write the shared fields once in `defaults` instead of aliasing them', position);
  }
  return fileProblem(
    `the tenants file is not valid YAML${position ? ` (line ${position.line}, column ${position.column})` : ''}: ${reason}`,
    'fix the YAML syntax at that position (indentation, quotes, duplicate keys)',
    position,
  );
}

function secondDocumentOffset(events: readonly Event[]): number | undefined {
  let documents = 0;
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) documents++;
    if (documents === 2 && (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE)) return e.start;
    if (documents === 2 && e.type === EVENT_ID.SCALAR) return e.valueStart;
  }
  return undefined;
}

/** A limit the document breaks, and the offset in the text where it breaks it. */
export interface Overrun {
  readonly message: string;
  readonly fix: string;
  readonly offset: number;
}

/**
 * Walks the event stream once: the size of the document with every alias expanded (characters
 * of values plus 2 per node), its depth with aliases followed, the longest value, and aliases
 * to a node that is still open (js-yaml builds such a document as a cycle, which no validator
 * could walk to its end). An anchor's expanded size and depth are recorded when its node closes,
 * so an alias costs one lookup however large its expansion: linear in the events, even for an
 * alias bomb. Pure.
 */
export function measureEvents(text: string, events: readonly Event[]): Overrun | undefined {
  type Frame = { bytes: number; depth: number; anchor?: string; start: number };
  const stack: Frame[] = [{ bytes: 0, depth: 0, start: 0 }];
  const anchors = new Map<string, { bytes: number; depth: number }>();
  const open = new Set<string>();
  const anchorOf = (e: { anchorStart: number; anchorEnd: number }) => (e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : undefined);
  const add = (bytes: number, depth: number, offset: number): Overrun | undefined => {
    const top = stack[stack.length - 1];
    top.bytes += bytes;
    top.depth = Math.max(top.depth, depth);
    let total = 0;
    for (const f of stack) total += f.bytes;
    if (total > MAX_EXPANDED_BYTES) {
      return { message: `with its aliases (*name) expanded the document is larger than ${mib(MAX_EXPANDED_BYTES)} (an alias bomb, or aliases of large values)`, fix: 'write shared fields once in `defaults` instead of aliasing them', offset };
    }
    if (stack.length - 1 + depth > MAX_DEPTH) {
      return { message: `with its aliases followed the document nests deeper than ${MAX_DEPTH} levels`, fix: 'remove the nested aliases', offset };
    }
    return undefined;
  };
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) continue;
    if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
      const anchor = anchorOf(e);
      if (anchor !== undefined) open.add(anchor);
      stack.push({ bytes: 2, depth: 0, anchor, start: e.start });
      continue;
    }
    if (e.type === EVENT_ID.POP) {
      if (stack.length === 1) continue; // the document's own end
      const frame = stack.pop()!;
      if (frame.anchor !== undefined) {
        open.delete(frame.anchor);
        anchors.set(frame.anchor, { bytes: frame.bytes, depth: frame.depth + 1 });
      }
      // The closed node's size moves into its parent; its depth, plus one, too.
      const over = add(frame.bytes, frame.depth + 1, frame.start);
      if (over) return over;
      continue;
    }
    if (e.type === EVENT_ID.SCALAR) {
      const length = e.valueEnd - e.valueStart;
      if (length > MAX_VALUE_BYTES) return { message: valueTooLong(length), fix: VALUE_FIX, offset: e.valueStart };
      const anchor = anchorOf(e);
      if (anchor !== undefined) anchors.set(anchor, { bytes: length + 2, depth: 0 });
      const over = add(length + 2, 0, e.valueStart);
      if (over) return over;
      continue;
    }
    if (e.type === EVENT_ID.ALIAS) {
      const name = text.slice(e.anchorStart, e.anchorEnd);
      if (open.has(name)) return { message: `the alias *${name} refers to the node that contains it (a recursive document)`, fix: `remove the alias *${name}`, offset: Math.max(0, e.anchorStart - 1) };
      const target = anchors.get(name) ?? { bytes: 0, depth: 0 };
      const over = add(target.bytes, target.depth, Math.max(0, e.anchorStart - 1));
      if (over) return over;
    }
  }
  return undefined;
}

// ---- positions ---------------------------------------------------------------------------------

interface PosNode {
  readonly start: number;
  readonly end: number;
  /** Mapping entries: key text → key position and value node. */
  readonly map?: Map<string, { key: PosNode; value: PosNode }>;
  readonly seq?: PosNode[];
}

/** Line and column (1-based) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** A `SourceMap` over the first document of `events`; the position tree is built on first use. */
function sourceMap(text: string, events: readonly Event[]): SourceMap {
  let root: PosNode | undefined;
  let lineStarts: number[] | undefined;
  const position = (node: PosNode): SourcePosition => {
    lineStarts ??= computeLineStarts(text);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= node.start) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: node.start - lineStarts[lo] + 1, start: node.start, end: node.end };
  };
  return {
    locate(path, options = {}) {
      root ??= positionTree(text, events);
      let node: PosNode | undefined = root;
      let key: PosNode | undefined;
      // Parts are keys and indexes; a key containing dots (a label key such as
      // `example.com/plan`) may arrive split, so the longest run of parts that names a key wins.
      for (let i = 0; i < path.length; i++) {
        if (!node) return undefined;
        const part = path[i];
        if (node.seq) {
          node = node.seq[Number(part)];
          key = undefined;
        } else if (node.map) {
          let entry: { key: PosNode; value: PosNode } | undefined;
          for (let j = path.length; j > i && !entry; j--) {
            entry = node.map.get(path.slice(i, j).map(String).join('.'));
            if (entry) i = j - 1;
          }
          node = entry?.value;
          key = entry?.key;
        } else return undefined;
      }
      const target = options.key ? key ?? node : node;
      return target ? position(target) : undefined;
    },
    text: (start, end) => text.slice(start, end),
  };
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Builds the position tree of the first document from the event stream (aliases point at their anchor's node). */
function positionTree(text: string, events: readonly Event[]): PosNode | undefined {
  const anchors = new Map<string, PosNode>();
  type Open = { node: PosNode; pendingKey?: PosNode & { text: string } };
  const stack: Open[] = [];
  let root: PosNode | undefined;
  const anchorOf = (e: { anchorStart: number; anchorEnd: number }) => (e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : undefined);
  const attach = (node: PosNode, keyText?: string) => {
    const parent = stack[stack.length - 1];
    if (!parent) {
      root ??= node;
      return;
    }
    if (parent.node.seq) parent.node.seq.push(node);
    else if (parent.node.map) {
      if (parent.pendingKey === undefined) parent.pendingKey = Object.assign(node, { text: keyText ?? '' });
      else {
        parent.node.map.set(parent.pendingKey.text, { key: parent.pendingKey, value: node });
        parent.pendingKey = undefined;
      }
    }
  };
  for (const e of events) {
    if (e.type === EVENT_ID.DOCUMENT) {
      if (root !== undefined) break;
      continue;
    }
    if (e.type === EVENT_ID.POP) {
      const closed = stack.pop();
      if (closed) attach(closed.node);
      continue;
    }
    if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) {
      const node: PosNode = e.type === EVENT_ID.MAPPING ? { start: e.start, end: e.start, map: new Map() } : { start: e.start, end: e.start, seq: [] };
      const anchor = anchorOf(e);
      if (anchor) anchors.set(anchor, node);
      stack.push({ node });
      continue;
    }
    if (e.type === EVENT_ID.SCALAR) {
      const node: PosNode = { start: e.valueStart, end: e.valueEnd };
      const anchor = anchorOf(e);
      if (anchor) anchors.set(anchor, node);
      const parent = stack[stack.length - 1];
      const isKey = parent?.node.map !== undefined && parent.pendingKey === undefined;
      attach(node, isKey ? getScalarValue(text, e) : undefined);
      continue;
    }
    if (e.type === EVENT_ID.ALIAS) {
      // The alias's own position (the `*`), with its anchor's children so deeper paths resolve.
      const target = anchors.get(text.slice(e.anchorStart, e.anchorEnd));
      attach({ start: Math.max(0, e.anchorStart - 1), end: e.anchorEnd, map: target?.map, seq: target?.seq }, undefined);
    }
  }
  return root;
}
