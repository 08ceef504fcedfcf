/**
 * Validation of the tenant list. Pure functions: text or parsed YAML in, resolved tenants and
 * every problem out. Nothing is built until the whole list is clean.
 */
import { checkKindsAcrossTenants, checkTenantKind } from './kind-rules';
import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { Problem, TenantListError } from './problem';
import { cpuMillis, isCpuQuantity, isMemoryQuantity, memoryBytes } from './quantity';
import {
  BUILTIN_DEFAULTS,
  hintAt,
  keysAt,
  schemaAt,
  fieldHints,
  TenantDefaultsSchema,
  TenantEntrySchema,
  TenantsFileSchema,
  TenantSpec,
  TenantSpecSchema,
} from './schema';

export interface ValidationResult {
  /** The resolved tenants, in file order; empty when there are problems. */
  readonly tenants: TenantSpec[];
  readonly problems: Problem[];
}

/** Reads, parses and validates a tenants file. Throws `TenantListError` listing every problem. */
export function loadTenants(file: string): TenantSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TenantListError(file, [
      {
        tenant: 'file',
        field: '',
        message: code === 'ENOENT' ? 'the tenants file does not exist' : `cannot read the tenants file (${code})`,
        allowed: 'a readable YAML file with `defaults` and `tenants`',
        fix: `create ${file} (see tenants/tenants.yaml in the repository) or pass --tenants FILE`,
      },
    ]);
  }
  const result = validateTenantsText(text);
  if (result.problems.length > 0) throw new TenantListError(file, result.problems);
  return result.tenants;
}

/** Parses YAML text and validates it. */
export function validateTenantsText(text: string): ValidationResult {
  if (text.trim() === '') {
    return fail('the tenants file is empty', 'a YAML mapping with a `tenants` list', 'add `tenants:` with at least one entry');
  }
  const parsed = parseTenantsYaml(text);
  return 'problem' in parsed ? { tenants: [], problems: [parsed.problem] } : validateTenantsDocument(parsed.data);
}

/**
 * YAML 1.2 (core schema) text to plain data. js-yaml reads a 10,000-tenant list about 6× faster
 * than `yaml`'s document parser; when it refuses the text (syntax error, duplicate key,
 * several documents), `yaml` parses it again to report the problem with its line and column.
 */
export function parseTenantsYaml(text: string): { data: unknown } | { problem: Problem } {
  try {
    return { data: loadYaml(text, { schema: CORE_SCHEMA }) };
  } catch {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length === 0) return { data: doc.toJS() };
    const e = doc.errors[0];
    const line = e.linePos?.[0];
    return {
      problem: {
        tenant: 'file',
        field: '',
        message: `the tenants file is not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${e.message.split('\n')[0]}`,
        allowed: 'YAML: a mapping with `defaults` and `tenants`',
        fix: 'fix the YAML syntax at that position (indentation, quotes, duplicate keys)',
      },
    };
  }
}

function fail(message: string, allowed: string, fix: string): ValidationResult {
  return { tenants: [], problems: [{ tenant: 'file', field: '', message, allowed, fix }] };
}

/** Validates a parsed tenants document: shape, defaults merge, per-tenant and cross-tenant rules. */
export function validateTenantsDocument(doc: unknown): ValidationResult {
  if (doc === null || doc === undefined) {
    return fail('the tenants file is empty', 'a YAML mapping with a `tenants` list', 'add `tenants:` with at least one entry');
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return fail(
      `the tenants file must be a mapping, not ${Array.isArray(doc) ? 'a list' : typeof doc}`,
      'a mapping with the keys `defaults` and `tenants`',
      'start the file with `tenants:` and indent the entries under it',
    );
  }
  const raw = doc as { defaults?: unknown; tenants?: unknown };
  const entries = Array.isArray(raw.tenants) ? raw.tenants : [];
  const tenantLabel = (i: number): string => {
    const name = (entries[i] as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name !== '' ? name : `#${i + 1}`;
  };

  // 1. The file as written: unknown fields, types and formats, in defaults and in every entry.
  const problems: Problem[] = [];
  const brokenEntries = new Set<number>();
  const shape = TenantsFileSchema.safeParse(doc, { reportInput: true });
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      const [head, index, ...rest] = issue.path;
      if (head === 'tenants' && typeof index === 'number') {
        brokenEntries.add(index);
        problems.push(...issueProblems(issue, tenantLabel(index), rest, TenantEntrySchema));
      } else if (head === 'defaults') {
        problems.push(...issueProblems(issue, 'defaults', issue.path.slice(1), TenantDefaultsSchema));
      } else {
        problems.push(...issueProblems(issue, 'file', issue.path, TenantsFileSchema));
      }
    }
  }
  if (entries.length === 0 && problems.length === 0) {
    return fail('the tenants list is empty', 'at least one tenant', 'add an entry under `tenants:` with a name and hosts');
  }
  if (problems.some((p) => p.tenant === 'file')) return { tenants: [], problems };
  const defaultsBroken = problems.some((p) => p.tenant === 'defaults');

  // 2. Each entry with the defaults merged under it: required fields and built-in defaults, then
  //    the cross-field rules. An entry (or defaults block) that already has problems still gets
  //    the cross-field rules on its valid fields, so every problem is reported in one run.
  const tenants: TenantSpec[] = [];
  entries.forEach((entry, i) => {
    const label = tenantLabel(i);
    const merged = mergeDefaults(raw.defaults, entry);
    if (brokenEntries.has(i) || defaultsBroken) {
      problems.push(...checkTenant(isMapping(merged) ? { ...merged, name: label } : { name: label }));
      return;
    }
    const parsed = TenantSpecSchema.safeParse(merged, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(...issueProblems(issue, label, issue.path, TenantSpecSchema));
      return;
    }
    const own = [...checkTenant(parsed.data), ...checkTenantKind(parsed.data)];
    problems.push(...own);
    if (own.length === 0) tenants.push(parsed.data);
  });

  // 3. Rules across tenants.
  problems.push(...checkAcrossTenants(entries.map((e, i) => ({ index: i, entry: e as Partial<TenantSpec> }))));
  if (problems.length === 0) problems.push(...checkKindsAcrossTenants(tenants));
  return problems.length > 0 ? { tenants: [], problems } : { tenants, problems: [] };
}

/** Keys whose value replaces the default instead of merging with it. */
const REPLACE = new Set(['hosts', 'scaling.metric']);

/**
 * Merges the `defaults` block under a tenant entry: the tenant's value wins; mappings (resources,
 * scaling, env, labels, …) merge key by key; lists and `scaling.metric` replace the default whole.
 */
export function mergeDefaults(defaults: unknown, entry: unknown, path = ''): unknown {
  if (!isMapping(defaults) || !isMapping(entry) || REPLACE.has(path)) return entry === undefined ? defaults : entry;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(entry)) {
    const child = path ? `${path}.${key}` : key;
    out[key] = key in defaults ? mergeDefaults(defaults[key], value, child) : value;
  }
  return out;
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function issueProblems(issue: z.core.$ZodIssue, tenant: string, path: readonly PropertyKey[], root: z.ZodType): Problem[] {
  const field = path.map(String).join('.');
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(root, path);
    return issue.keys.map((key) => {
      const guess = closest(key, known);
      return {
        tenant,
        field: field ? `${field}.${key}` : key,
        message: 'unknown field (a typo would otherwise be silently ignored)',
        allowed: known.length ? `one of ${known.join(', ')}` : 'no other fields here',
        fix: guess ? `did you mean "${guess}"? rename it` : 'remove it',
      };
    });
  }
  if (issue.code === 'invalid_key') {
    const record = schemaAt(root, path.slice(0, -1)) as any;
    let keySchema = record;
    while (keySchema && keySchema._zod.def.type !== 'record') keySchema = keySchema._zod.def.innerType;
    const hint = keySchema ? fieldHints.get(keySchema._zod.def.keyType) : undefined;
    return [
      {
        tenant,
        field,
        value: path[path.length - 1],
        message: 'invalid key',
        allowed: hint?.allowed ?? 'a valid key',
        fix: hint?.fix ?? 'rename the key',
      },
    ];
  }
  const hint = hintAt(root, path);
  const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_union') && input === undefined;
  return [
    {
      tenant,
      field,
      value: missing ? undefined : input,
      message: missing ? 'required field is missing' : describeIssue(issue),
      allowed: hint?.allowed ?? describeExpected(issue),
      fix: missing
        ? `${hint?.fix ?? `set ${field}`} (on the tenant, or once in \`defaults\`)`
        : (hint?.fix ?? `correct ${field || 'the value'}`),
    },
  ];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `wrong type: expected ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' ? 'too few entries' : issue.origin === 'string' ? 'too short' : 'too small';
    case 'too_big':
      return issue.origin === 'string' ? 'too long' : issue.origin === 'array' ? 'too many entries' : 'too large';
    case 'invalid_format':
      return 'malformed value';
    case 'invalid_union':
      return 'not one of the accepted forms';
    default:
      return issue.message;
  }
}

function describeExpected(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_type' ? `a ${issue.expected}` : 'see tenants/tenants.schema.json';
}

/** Levenshtein-closest known key within distance 2 (or sharing a 4-character prefix). */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (best === undefined && word.length >= 4 && c.toLowerCase().startsWith(word.slice(0, 4).toLowerCase()))) {
      best = c;
      bestDistance = Math.min(d, bestDistance);
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

// ---- rules on one resolved tenant -------------------------------------------------------------

const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;
const RESERVED_LABEL_PREFIXES = ['tenantscale.io/', 'app.kubernetes.io/', 'kubernetes.io/', 'k8s.io/'];

/** Why an image reference is not pinned, or undefined if it is (tag other than `latest`, or digest). */
export function unpinnedImageReason(image: string): string | undefined {
  const at = image.indexOf('@');
  if (at >= 0) {
    return /^sha256:[a-f0-9]{64}$/.test(image.slice(at + 1)) ? undefined : 'the digest is not sha256:<64 hex digits>';
  }
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'it has no tag, so it means "latest" and changes under you';
  const tag = image.slice(colon + 1);
  if (tag === 'latest') return 'the tag "latest" changes under you and defeats IfNotPresent image caching';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return `"${tag}" is not a valid tag`;
  return undefined;
}

/** A tenant as written, possibly incomplete or with invalid fields (defaults merged). */
export type LooseTenant = Record<string, unknown>;

function get(o: unknown, path: string): unknown {
  let cur = o;
  for (const key of path.split('.')) {
    if (!isMapping(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

const QUANTITY = { cpu: { valid: isCpuQuantity, value: cpuMillis }, memory: { valid: isMemoryQuantity, value: memoryBytes } };

/**
 * Cross-field rules of one tenant. Works on a resolved TenantSpec and on an entry whose shape has
 * problems: each rule runs only when the fields it reads are valid, so a tenant with a malformed
 * quantity still hears about its min > max in the same run.
 */
export function checkTenant(t: TenantSpec | LooseTenant): Problem[] {
  const problems: Problem[] = [];
  const name = String(get(t, 'name') ?? '?');
  const add = (field: string, value: unknown, message: string, allowed: string, fix: string) =>
    problems.push({ tenant: name, field, value, message, allowed, fix });
  const int = (path: string, fallback?: number) => {
    const v = get(t, path) ?? fallback;
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  };
  const str = (path: string) => {
    const v = get(t, path);
    return typeof v === 'string' ? v : undefined;
  };

  const min = int('scaling.min', BUILTIN_DEFAULTS.scalingMin);
  const max = int('scaling.max');
  if (min !== undefined && max !== undefined && min > max) {
    add('scaling.min', min, `min is greater than max (${max})`, 'min ≤ max', `lower scaling.min to ${max} or raise scaling.max to ${min}`);
  }
  if (get(t, 'stateful') === true && min === 0) {
    add(
      'scaling.min',
      min,
      'a stateful tenant would scale to zero and lose its in-memory state and sessions',
      'scaling.min ≥ 1 when stateful: true',
      'set scaling.min: 1 (or stateful: false if the workload survives `kubectl delete pod` cleanly)',
    );
  }
  const image = str('image');
  const reason = image === undefined ? undefined : unpinnedImageReason(image);
  if (reason) {
    add('image', image, `image is not pinned: ${reason}`, 'repo:tag with a tag other than latest, or repo@sha256:<digest>', 'pin a released version, e.g. ghcr.io/stefanprodan/podinfo:6.7.1');
  }
  for (const resource of ['cpu', 'memory'] as const) {
    const { valid, value } = QUANTITY[resource];
    const quantity = (path: string) => {
      const v = str(path);
      return v !== undefined && valid(v) ? v : undefined;
    };
    const request = quantity(`resources.requests.${resource}`);
    const limit = quantity(`resources.limits.${resource}`);
    if (request !== undefined && value(request) === 0n) {
      add(`resources.requests.${resource}`, request, `the ${resource} request is zero; HPA utilisation and quota arithmetic divide by it`, `a ${resource} request above zero`, `set resources.requests.${resource} to the steady-state usage, e.g. ${resource === 'cpu' ? '"100m"' : '"128Mi"'}`);
    }
    if (request !== undefined && limit !== undefined && value(limit) < value(request)) {
      add(`resources.limits.${resource}`, limit, `the ${resource} limit is below the request (${request}); Kubernetes rejects the pod`, `a limit ≥ the request (${request})`, `raise resources.limits.${resource} to at least ${request} or lower the request`);
    }
    const lo = quantity(`vpa.minAllowed.${resource}`);
    const hi = quantity(`vpa.maxAllowed.${resource}`);
    if (lo !== undefined && hi !== undefined && value(hi) < value(lo)) {
      add(`vpa.maxAllowed.${resource}`, hi, `vpa.maxAllowed is below vpa.minAllowed (${lo})`, 'maxAllowed ≥ minAllowed', `raise vpa.maxAllowed.${resource} or lower vpa.minAllowed.${resource}`);
    }
  }
  const metric = get(t, 'scaling.metric');
  if (isMapping(metric)) {
    const kinds = (['requestRate', 'concurrency'] as const).filter((k) => metric[k] !== undefined);
    if (kinds.length !== 1) {
      add(
        'scaling.metric',
        metric,
        kinds.length === 0 ? 'no scaling metric is set' : 'both requestRate and concurrency are set; the add-on uses one',
        'exactly one of requestRate {target, window, granularity} or concurrency {target}',
        kinds.length === 0 ? 'add scaling.metric.requestRate.target (e.g. 10) or scaling.metric.concurrency.target' : 'keep one of the two',
      );
    }
    const window = str('scaling.metric.requestRate.window') ?? BUILTIN_DEFAULTS.window;
    const granularity = str('scaling.metric.requestRate.granularity') ?? BUILTIN_DEFAULTS.granularity;
    if (metric.requestRate !== undefined && durationMs(window) < durationMs(granularity)) {
      add('scaling.metric.requestRate.window', window, `the window is shorter than the granularity (${granularity})`, 'window ≥ granularity', 'use e.g. window "1m" with granularity "1s"');
    }
  }
  const env = get(t, 'env');
  for (const [key, value] of Object.entries(isMapping(env) ? env : {})) {
    if (typeof value !== 'object' && SECRET_LIKE.test(key)) {
      add(`env.${key}`, '<redacted>', 'looks like a secret written in plain text; the tenant list is in Git', 'a reference {secret: <Secret name>, key: <key>} for credentials', `create a Secret in tenant-${name} and write ${key}: {secret: <name>, key: <key>}`);
    }
  }
  const labels = get(t, 'labels');
  for (const key of Object.keys(isMapping(labels) ? labels : {})) {
    const prefix = RESERVED_LABEL_PREFIXES.find((p) => key.startsWith(p));
    if (prefix) {
      add(`labels.${key}`, key, `the prefix "${prefix}" is reserved for ownership and routing labels set by tenantscale and Kubernetes`, 'labels outside tenantscale.io/, app.kubernetes.io/, kubernetes.io/ and k8s.io/', 'use your own prefix, e.g. "example.com/plan", or a bare key such as "plan"');
    }
  }
  const metricsPath = str('metrics.path');
  if (metricsPath !== undefined && metricsPath === str('probes.readiness')) {
    add('metrics.path', metricsPath, 'the metrics path is the readiness probe path', 'a metrics endpoint distinct from the probes', 'point metrics.path at the Prometheus endpoint, e.g. "/metrics"');
  }
  return problems;
}

/** Milliseconds of a duration such as `1m` or `500ms`. */
export function durationMs(d: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(d);
  if (!m) return NaN;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** Rules across tenants: unique names and unique hosts. Works on entries as written. */
export function checkAcrossTenants(entries: { index: number; entry: Partial<TenantSpec> }[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Map<string, number>();
  const hosts = new Map<string, string>();
  for (const { index, entry } of entries) {
    const name = typeof entry?.name === 'string' ? entry.name : `#${index + 1}`;
    if (typeof entry?.name === 'string') {
      const first = names.get(entry.name);
      if (first !== undefined) {
        problems.push({
          tenant: name,
          field: 'name',
          value: entry.name,
          message: `duplicate tenant name (entries #${first + 1} and #${index + 1}); both would write namespace tenant-${entry.name}`,
          allowed: 'each name once',
          fix: 'rename one of the two tenants or merge them',
        });
      } else names.set(entry.name, index);
    }
    if (!Array.isArray(entry?.hosts)) continue;
    const own = new Set<string>();
    for (const host of entry.hosts) {
      if (typeof host !== 'string') continue;
      const key = host.toLowerCase();
      if (own.has(key)) {
        problems.push({ tenant: name, field: 'hosts', value: host, message: 'host listed twice for this tenant', allowed: 'each host once', fix: 'remove the repeated host' });
        continue;
      }
      own.add(key);
      const owner = hosts.get(key);
      if (owner !== undefined && owner !== name) {
        problems.push({
          tenant: name,
          field: 'hosts',
          value: host,
          message: `host already claimed by tenant "${owner}"; the interceptor would route it to only one of them`,
          allowed: 'each host claimed by one tenant',
          fix: `remove ${host} from one of "${owner}" and "${name}"`,
        });
      } else hosts.set(key, name);
    }
  }
  return problems;
}
