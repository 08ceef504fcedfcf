/**
 * The one path from constructs to Kubernetes objects. `tenantscale synth` writes what these
 * functions return, the tests read it, and the Pulumi program applies it: there is no second way
 * manifests are built.
 */
import { App, Chart } from 'cdk8s';
import { Document, parse, stringify } from 'yaml';
import { TenantSpec } from '../tenants/schema';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from './platform-settings';
import { goSafeTags, hasLoneSurrogate } from './go-yaml-tags';
import { Tenant } from './tenant';

/** A plain Kubernetes object as synthesized. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/**
 * Synthesizes one tenant. Each tenant gets its own App and Chart: cdk8s resolves a chart's
 * dependencies across the whole construct tree, so one App holding N tenants costs O(N²), while
 * one App per tenant is linear.
 */
export function tenantManifests(spec: TenantSpec, settings: PlatformSettings = DEFAULT_PLATFORM_SETTINGS): Manifest[] {
  const app = new App({ outdir: '.', recordConstructMetadata: false });
  const chart = new Chart(app, spec.name, { disableResourceNameHashes: true });
  new Tenant(chart, 'tenant', { spec, settings });
  return chart.toJson() as Manifest[];
}

/**
 * The `yaml` options every document is written with: YAML 1.1 quoting (kubectl, Argo CD), plus
 * quoting of what YAML 1.2 core would read as another type (`compat: 'core'`: "0o17" is an
 * integer to kustomize's kyaml and other 1.2 readers), plus what Go's YAML readers misread
 * (`goSafeTags`: "0X1F", "<<", U+2028, ...), no folding, no anchors.
 */
export const YAML_OPTIONS = {
  version: '1.1',
  compat: 'core',
  customTags: goSafeTags,
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
} as const;

/** The reference serialization of one document: `yaml`'s `stringify` with YAML_OPTIONS. */
export function referenceYaml(value: unknown): string {
  return stringify(value, YAML_OPTIONS);
}

/**
 * Serializes objects as a multi-document YAML stream that kubectl (YAML 1.1) and every GitOps
 * tool (YAML 1.1 or 1.2) read identically: strings such as "on", "yes", "0755", "1e3" or "0o17"
 * stay strings; no line folding; keys in synthesized order. Deterministic byte for byte.
 *
 * The bytes are those of `yaml`'s `stringify(object, YAML_OPTIONS)` per document, joined by
 * `---` (see `documentYaml` for the one exception). Documents made only of plain objects, arrays,
 * finite numbers, booleans, null and printable ASCII strings (every synthesized object) take a
 * direct emitter that is about twenty times faster; anything else (non-ASCII or multi-line
 * strings, quotes, backslashes, document markers, ...) goes through `yaml` itself.
 * test/synth/yaml-emitter.test.ts checks the two agree.
 */
export function toYaml(objects: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < objects.length; i++) {
    if (i > 0) out += '---\n';
    out += documentYaml(objects[i]);
  }
  return out;
}

/**
 * One YAML document (ending in a newline): exactly what `stringify(value, YAML_OPTIONS)` writes
 * whenever that reads back unchanged. `yaml` loses the whitespace of some multi-line strings
 * written as block scalars (" \n" comes back as "\n"); those documents are written with quoted
 * strings instead, and a document that still would not read back as written is refused.
 */
export function documentYaml(value: unknown): string {
  return fastDocumentYaml(value) ?? checkedYaml(value);
}

/** The `yaml` path, verified by reading the text back as YAML 1.1 and 1.2 (for JSON values). */
function checkedYaml(value: unknown): string {
  const problem = unwritable(value, '', 0);
  if (problem !== undefined) {
    throw new Error(`cannot write ${objectName(value)} as YAML: ${problem.what} at ${problem.path || 'the top level'}: ${problem.why}`);
  }
  const text = stringify(value, YAML_OPTIONS);
  // Dates, Maps, class instances, BigInts: no JSON value to compare with; written as before.
  if (!isJsonValue(value, 0)) return text;
  const expected = JSON.stringify(value);
  if (readsBackAs(text, expected)) return text;
  const quoted = stringify(value, { ...YAML_OPTIONS, blockQuote: false });
  if (readsBackAs(quoted, expected)) return quoted;
  throw new Error(`cannot write this object as YAML that reads back unchanged: ${expected.slice(0, 200)}`);
}

/** `Deployment tenant-a/app` for a Kubernetes object, `this object` otherwise. */
function objectName(value: unknown): string {
  const o = value as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  if (!o || typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') return 'this object';
  return `${o.kind} ${typeof o.metadata.namespace === 'string' ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** What no YAML text can carry to every reader, and where: the first `<<` key or lone-surrogate string. */
function unwritable(value: unknown, path: string, depth: number): { path: string; what: string; why: string } | undefined {
  if (typeof value === 'string') {
    return hasLoneSurrogate(value)
      ? { path, what: `the string ${JSON.stringify(value.slice(0, 80))}`, why: 'it holds a lone UTF-16 surrogate, which has no UTF-8 encoding, so no reader gets it back; remove or replace that character' }
      : undefined;
  }
  if (value === null || typeof value !== 'object' || depth > 100) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unwritable(value[i], `${path}[${i}]`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, v] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    // kubectl (go-yaml v2) reads a quoted "<<" as a key, but kustomize (kyaml) drops it: measured
    // with kustomize v5.5.0, `"<<": {a: 1}` disappears from `kubectl kustomize` output.
    if (key === '<<') return { path: path || 'the top level', what: 'the key "<<"', why: 'YAML 1.1 readers such as kubectl take a plain "<<" as a merge key, and kustomize drops the key even when it is quoted; rename it' };
    if (hasLoneSurrogate(key)) return { path: here, what: `the key ${JSON.stringify(key.slice(0, 80))}`, why: 'it holds a lone UTF-16 surrogate, which has no UTF-8 encoding; rename it' };
    const found = unwritable(v, here, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Plain objects, arrays, strings, numbers, booleans and null only (undefined members allowed), no deeper than 100. */
function isJsonValue(value: unknown, depth: number): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object': {
      if (depth > 100) return false;
      if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1));
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      return Object.values(value).every((v) => isJsonValue(v, depth + 1));
    }
    default:
      return false;
  }
}

function readsBackAs(text: string, expectedJson: string): boolean {
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (JSON.stringify(parse(text, { version })) !== expectedJson) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The direct emitter: the document for `value`, or `undefined` when the value holds anything the
 * emitter does not reproduce exactly (the caller then uses `yaml`). Exported for the equivalence
 * tests.
 */
export function fastDocumentYaml(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const body = emitNode(value, '');
  return body === undefined ? undefined : `${body}\n`;
}

/**
 * A collection or scalar at block indentation `indent`, as `yaml` renders it (block style, two
 * spaces per level, sequences indented under their key, empty collections as `{}` / `[]`).
 * The first line carries no indentation: the caller has placed it.
 */
function emitNode(value: unknown, indent: string): string | undefined {
  switch (typeof value) {
    case 'string':
      return scalarText(value);
    case 'number':
      // `yaml` writes finite numbers with JSON.stringify (same as String), and -0 as "-0".
      return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const item = emitNode(value[i], inner);
      if (item === undefined) return undefined;
      out += i === 0 ? `- ${item}` : `\n${indent}- ${item}`;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    // '' and keys over 1024 characters become explicit `? key` entries; `<<` is refused (mergeKeyPath).
    if (key === '' || key.length > 1024 || key === '<<') return undefined;
    const keyText = scalarText(key);
    if (keyText === undefined) return undefined;
    const v = (value as Record<string, unknown>)[key];
    const text = emitNode(v, inner);
    if (text === undefined) return undefined;
    const nested = typeof v === 'object' && v !== null && text !== '{}' && text !== '[]';
    const line = nested ? `${keyText}:\n${inner}${text}` : `${keyText}: ${text}`;
    out += i === 0 ? line : `\n${indent}${line}`;
  }
  return out;
}

/** Printable ASCII without `"` and `\`: such a string is written plain or as `"string"`, never escaped. */
const SIMPLE = /^[ !#-[\]-~]*$/;
/**
 * `---` or `...` at the start: `yaml` picks a block scalar or quotes depending on context. A
 * leading `%` (Envoy Gateway's `%ROUTE_NAMESPACE%` stat names) is double-quoted like any other
 * NOT_PLAIN string; the emitter tests compare every case with `yaml`.
 */
const DOCUMENT_MARKER = /^(---|\.\.\.)/;
/** `yaml`'s test for strings that cannot be plain scalars (stringifyString.js, plainString). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;

/** The tags (YAML 1.1, YAML 1.2 core as `compat`, and go-yaml's readings) that would read a plain scalar as something other than a string. */
const NON_STRING_TESTS: readonly RegExp[] = (() => {
  const schema = new Document(null, YAML_OPTIONS).schema;
  const tests: RegExp[] = [];
  for (const tag of [...schema.tags, ...(schema.compat ?? [])]) {
    if (tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test instanceof RegExp) tests.push(tag.test);
  }
  return tests;
})();

const SCALAR_CACHE_LIMIT = 50_000;
const scalarCache = new Map<string, string | undefined>();

/**
 * A string scalar (key or value) as `yaml` writes it in block context, or `undefined` when it is
 * not a simple string. Memoized: the same label keys and values recur in every object.
 */
export function scalarText(s: string): string | undefined {
  const cached = scalarCache.get(s);
  if (cached !== undefined || scalarCache.has(s)) return cached;
  const text = computeScalarText(s);
  if (scalarCache.size >= SCALAR_CACHE_LIMIT) scalarCache.clear();
  scalarCache.set(s, text);
  return text;
}

function computeScalarText(s: string): string | undefined {
  if (!SIMPLE.test(s) || DOCUMENT_MARKER.test(s)) return undefined;
  // Without `"` in the string, `yaml` quotes with double quotes, and with no control character,
  // backslash or newline there is nothing to escape.
  if (s === '' || NOT_PLAIN.test(s)) return `"${s}"`;
  for (const test of NON_STRING_TESTS) if (test.test(s)) return `"${s}"`;
  return s;
}
