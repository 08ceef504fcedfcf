/**
 * Reading the tenant list: untrusted text (it arrives in pull requests, forks included) to plain
 * data, in bounded time and memory, or one short problem with its line and column.
 *
 * The work is bounded, not the file: every limit but two scales with the tenant limit
 * (`ReadLimits.maxTenants`, default `DEFAULT_MAX_TENANTS`; `--max-tenants N` or the stack setting
 * `tenantscale:limits.maxTenants`), and each is refused before the expensive step it protects:
 * - the file: at most `fileBytes` (a backstop for comments: `stat` before reading a byte);
 * - the YAML content (the text but for comment lines and blank lines): at most `contentBytes`,
 *   before parsing (the parse's memory grows with the content, about 140 bytes per node);
 * - aliases: at most `aliases` per document (js-yaml's `maxAliases`), and the document with
 *   every alias expanded at most `expandedBytes` (an "alias bomb" of 600 bytes expands to
 *   gigabytes; js-yaml shares the aliased object, but validation, merging and output walk it
 *   expanded);
 * - tenants: at most `maxTenants`, and the YAML nodes at most `nodesBase + nodesPerTenant` per
 *   tenant of the list, before the schema (the expensive step: about 0.1 ms per tenant);
 * - fixed, whatever the list's size: nesting at most `MAX_DEPTH` levels (js-yaml's `maxDepth`,
 *   while parsing) and one value at most `MAX_VALUE_BYTES` characters.
 */
import { readFileSync, statSync } from 'node:fs';
import { constructFromEvents, CORE_SCHEMA, EVENT_ID, getScalarValue, parseEvents, YAMLException } from 'js-yaml';
import type { Event } from 'js-yaml';
import { Problem } from './problem';

/**
 * Tenants read by default: 50,000. A generated 50,000-tenant list is about 11 MB and is read and
 * validated in about 6 s CPU and 600 MiB (docs/benchmarks.md); a larger platform raises it.
 */
export const DEFAULT_MAX_TENANTS = 50_000;

/** What the reader may be told by its caller (a CLI flag, a stack setting). */
export interface ReadLimits {
  /**
   * Most tenants the list may hold; the file, content, alias and node limits scale with it.
   * @default DEFAULT_MAX_TENANTS
   */
  readonly maxTenants?: number;
}

/** Every limit of the reader, resolved from `ReadLimits` (see `readLimits`). */
export interface ResolvedLimits {
  readonly maxTenants: number;
  /** Largest file, comments included. */
  readonly fileBytes: number;
  /** Largest YAML content (the text but for comment lines and blank lines). */
  readonly contentBytes: number;
  /** Largest document with every alias expanded (characters of values and keys plus 2 per node). */
  readonly expandedBytes: number;
  /** Most aliases (`*name`) per document. */
  readonly aliases: number;
  /** Most YAML nodes: `nodesBase` plus `nodesPerTenant` per tenant in the list. */
  readonly nodesBase: number;
  readonly nodesPerTenant: number;
}

/** Per tenant of the limit: file bytes (comments included). A generated list has ~220 bytes per tenant. */
export const FILE_BYTES_PER_TENANT = 1024;
/** Per tenant of the limit: bytes of YAML content, and twice that with aliases expanded. */
export const CONTENT_BYTES_PER_TENANT = 256;
/** What any list may have beyond its tenants: a `defaults` block, comments, one large tenant. */
export const BASE_BYTES = 1024 * 1024;
/** Per tenant of the limit: aliases (`resources: *small` on every tenant stays possible), beyond `BASE_ALIASES`. */
export const ALIASES_PER_TENANT = 2;
export const BASE_ALIASES = 1_000;
/** YAML nodes per tenant in the list (a generated tenant has ~34; one with 64 args and 100 env vars ~400), beyond `BASE_NODES`. */
export const NODES_PER_TENANT = 200;
/** Nodes any list may have beyond its tenants: a `defaults` block, one tenant with thousands of env vars. */
export const BASE_NODES = 20_000;

/** The limits for a tenant limit (`maxTenants`, default `DEFAULT_MAX_TENANTS`). Pure. */
export function readLimits(limits: ReadLimits = {}): ResolvedLimits {
  const maxTenants = limits.maxTenants ?? DEFAULT_MAX_TENANTS;
  const contentBytes = BASE_BYTES + maxTenants * CONTENT_BYTES_PER_TENANT;
  return {
    maxTenants,
    fileBytes: BASE_BYTES + maxTenants * FILE_BYTES_PER_TENANT,
    contentBytes,
    expandedBytes: 2 * contentBytes,
    aliases: BASE_ALIASES + maxTenants * ALIASES_PER_TENANT,
    nodesBase: BASE_NODES,
    nodesPerTenant: NODES_PER_TENANT,
  };
}

/** How to raise the limits, in every refusal that a larger platform could hit. */
export const LIMIT_OVERRIDE = 'raise the tenant limit with --max-tenants N or the stack setting tenantscale:limits.maxTenants (every size limit scales with it)';

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

function fileProblem(message: string, fix: string, position?: { line: number; column: number }, allowed = ALLOWED): Problem {
  return { tenant: 'file', field: '', message, allowed, fix, ...(position ? { line: position.line, column: position.column } : {}) };
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
const count = (n: number) => n.toLocaleString('en-US');
/** "for 50,000 tenants (limits.maxTenants)": which tenant limit a size limit was derived from. */
const forTenants = (limits: ResolvedLimits) => `for ${count(limits.maxTenants)} tenants (limits.maxTenants)`;

/** A limit that scales with the tenant limit: the problem names the limit, its value and the override. */
function limitProblem(message: string, allowed: string, fix: string, position?: { line: number; column: number }): Problem {
  return fileProblem(message, `${fix}; or ${LIMIT_OVERRIDE}`, position, allowed);
}

/** The problem of a file that is too large, or undefined. */
export function fileSizeProblem(bytes: number, limits: ResolvedLimits = readLimits()): Problem | undefined {
  if (bytes <= limits.fileBytes) return undefined;
  return limitProblem(
    `the tenants file is ${mib(bytes)}, more than the ${mib(limits.fileBytes)} tenantscale reads ${forTenants(limits)}`,
    `a file of at most ${mib(limits.fileBytes)} (1 MiB plus ${kib(FILE_BYTES_PER_TENANT)} per tenant of the limit, comments included)`,
    'remove large comment blocks, split the list across stacks, or move shared fields into `defaults`',
  );
}

const valueTooLong = (length: number) =>
  `a value of ${count(length)} characters is longer than the ${kib(MAX_VALUE_BYTES)} any tenant field can hold (kubectl apply keeps the whole object in a 256 KiB annotation; etcd refuses objects over 1.5 MiB)`;
const VALUE_FIX = 'shorten the value; put large configuration in a ConfigMap or Secret of the tenant namespace and reference it';

/**
 * The problem of a text over the file or content limit: when one line alone is longer than any
 * value may be (a 10 MB env value), that value with its position, else the size. Content is
 * the text but for lines that are blank or start with `#` (a comment, or a `#` line of a block
 * scalar: one node however long, refused by the value limit). One linear scan, no parse.
 */
export function oversizeProblem(text: string, limits: ResolvedLimits = readLimits()): Problem | undefined {
  // UTF-8 bytes are at most 3 per UTF-16 unit: count them only when they could matter.
  const bytes = text.length * 3 > limits.fileBytes ? Buffer.byteLength(text, 'utf8') : text.length;
  const tooLarge = fileSizeProblem(bytes, limits);
  let content = 0;
  let longLine: { line: number; start: number; end: number } | undefined;
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    let first = start;
    while (first < end && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9 || text.charCodeAt(first) === 13)) first++;
    if (first < end && text.charCodeAt(first) !== 35 /* # */) {
      content += end - start + 1;
      if (longLine === undefined && end - start > MAX_VALUE_BYTES) longLine = { line, start, end };
    }
    start = end + 1;
  }
  if (!tooLarge && content <= limits.contentBytes) return undefined;
  if (longLine) {
    const head = text.slice(longLine.start, longLine.start + 1000);
    const colon = /^(\s*(?:- )?[^:#\s]+:\s+)/.exec(head);
    const column = (colon ? colon[1].length : head.length - head.trimStart().length) + 1;
    // A flow collection (`[1, 2, …]`) on one line is many values, not one.
    if (!'[{'.includes(head.charAt(column - 1))) return fileProblem(valueTooLong(longLine.end - longLine.start - column + 1), VALUE_FIX, { line: longLine.line, column });
  }
  return (
    tooLarge ??
    limitProblem(
      `the tenants file holds ${mib(content)} of YAML (comments and blank lines not counted), more than the ${mib(limits.contentBytes)} tenantscale reads ${forTenants(limits)}`,
      `at most ${mib(limits.contentBytes)} of YAML (1 MiB plus ${CONTENT_BYTES_PER_TENANT} bytes per tenant of the limit; a generated tenant is about 220 bytes)`,
      'move fields every tenant repeats into `defaults`, or split the list across stacks',
    )
  );
}

/**
 * Reads a tenants file from disk: a missing file, a directory and an oversized file are refused
 * (the size before reading a byte). Returns the text, or the problem.
 */
export function readTenantsFile(file: string, limits: ResolvedLimits = readLimits()): { text: string } | { problem: Problem } {
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
  const tooLarge = fileSizeProblem(size, limits);
  if (tooLarge) return { problem: tooLarge };
  try {
    return { text: readFileSync(file, 'utf8') };
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
export function parseTenantsYaml(text: string, limits: ResolvedLimits = readLimits()): ReadResult {
  const tooLarge = oversizeProblem(text, limits);
  if (tooLarge) return { problem: tooLarge };
  let events: Event[];
  let documents: unknown[];
  try {
    events = parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch (err) {
    return { problem: syntaxProblem(err, limits) };
  }
  // Counted on the events, before js-yaml builds a single object (a list over the limit costs its parse only).
  const listed = tenantEntries(text, events);
  const tooMany = countProblem(listed, events, limits);
  if (tooMany) return { problem: tooMany };
  try {
    documents = constructFromEvents(events, { source: text, schema: CORE_SCHEMA, maxAliases: limits.aliases });
  } catch (err) {
    return { problem: syntaxProblem(err, limits) };
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
  const overrun = measureEvents(text, events, limits);
  if (overrun) return { problem: fileProblem(overrun.message, overrun.fix, lineColumn(text, overrun.offset), overrun.allowed) };
  // A list the events do not show as one (`tenants: *all`) is counted once built.
  const entries = (documents[0] as { tenants?: unknown } | null)?.tenants;
  const built = Array.isArray(entries) && entries.length > listed ? countProblem(entries.length, events, limits) : undefined;
  if (built) return { problem: built };
  return { data: documents[0], source: sourceMap(text, events) };
}

/** Too many tenants, or too many YAML nodes for the tenants there are: refused before the schema reads them. */
function countProblem(tenants: number, events: readonly Event[], limits: ResolvedLimits): Problem | undefined {
  if (tenants > limits.maxTenants) {
    return fileProblem(
      `the list has ${count(tenants)} tenants, more than the ${count(limits.maxTenants)} tenantscale reads (limits.maxTenants)`,
      `raise the limit: --max-tenants ${tenants} (synth, plan) or \`pulumi config set --path tenantscale:limits.maxTenants ${tenants}\` (synth --stack, pulumi up); or split the list across stacks`,
      undefined,
      `at most ${count(limits.maxTenants)} tenants (limits.maxTenants, default ${count(DEFAULT_MAX_TENANTS)})`,
    );
  }
  const nodesAllowed = limits.nodesBase + tenants * limits.nodesPerTenant;
  let nodes = 0;
  for (const e of events) if (e.type !== EVENT_ID.POP && e.type !== EVENT_ID.DOCUMENT) nodes++;
  if (nodes > nodesAllowed) {
    return fileProblem(
      `the document has ${count(nodes)} YAML nodes, more than the ${count(nodesAllowed)} read for its ${count(tenants)} tenant${tenants === 1 ? '' : 's'}`,
      'remove the fields tenantscale does not read (a tenant needs a few dozen nodes), or move repeated fields into `defaults`',
      undefined,
      `at most ${count(limits.nodesBase)} nodes plus ${limits.nodesPerTenant} per tenant of the list`,
    );
  }
  return undefined;
}

/**
 * Entries of the first document's top-level `tenants` list, counted on the events: 0 when the
 * document is not a mapping or `tenants` is not written as a list there. Pure.
 */
export function tenantEntries(text: string, events: readonly Event[]): number {
  // Depth 1: inside the document; 2: inside its root mapping; 3: inside the `tenants` list.
  let depth = 0;
  let documents = 0;
  let rootIsMapping = false;
  let rootChildren = 0;
  let lastKey: string | undefined;
  let counting = false;
  let entries = 0;
  for (const e of events) {
    if (e.type === EVENT_ID.POP) {
      depth--;
      if (depth <= 2 && counting) return entries;
      continue;
    }
    if (e.type === EVENT_ID.DOCUMENT) {
      if (++documents > 1) break;
      depth++;
      continue;
    }
    if (depth === 1) rootIsMapping = e.type === EVENT_ID.MAPPING;
    else if (depth === 2 && rootIsMapping) {
      if (rootChildren++ % 2 === 0) lastKey = e.type === EVENT_ID.SCALAR ? getScalarValue(text, e) : undefined;
      else counting = lastKey === 'tenants' && e.type === EVENT_ID.SEQUENCE;
    } else if (depth === 3 && counting) entries++;
    if (e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE) depth++;
  }
  return entries;
}

function syntaxProblem(err: unknown, limits: ResolvedLimits): Problem {
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
    return limitProblem(
      `the document uses more than ${count(limits.aliases)} aliases (*name), the most tenantscale reads ${forTenants(limits)}`,
      `at most ${count(limits.aliases)} aliases (${count(BASE_ALIASES)} plus ${ALIASES_PER_TENANT} per tenant of the limit)`,
      'write the shared fields once in `defaults` instead of aliasing them',
      position,
    );
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
  /** What is allowed, when it is a limit of the reader rather than the shape of the file. */
  readonly allowed?: string;
}

/**
 * Walks the event stream once: the size of the document with every alias expanded (characters
 * of values plus 2 per node), its depth with aliases followed, the longest value, and aliases
 * to a node that is still open (js-yaml builds such a document as a cycle, which no validator
 * could walk to its end). An anchor's expanded size and depth are recorded when its node closes,
 * so an alias costs one lookup however large its expansion: linear in the events, even for an
 * alias bomb. Pure.
 */
export function measureEvents(text: string, events: readonly Event[], limits: ResolvedLimits = readLimits()): Overrun | undefined {
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
    if (total > limits.expandedBytes) {
      return {
        message: `with its aliases (*name) expanded the document is larger than the ${mib(limits.expandedBytes)} tenantscale reads ${forTenants(limits)} (an alias bomb, or aliases of large values)`,
        allowed: `at most ${mib(limits.expandedBytes)} with aliases expanded (twice the content limit)`,
        fix: `write shared fields once in \`defaults\` instead of aliasing them; or ${LIMIT_OVERRIDE}`,
        offset,
      };
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
