/**
 * Validation of the tenant list. Pure functions: text or parsed YAML in, resolved tenants and
 * every problem out. Nothing is built until the whole list is clean.
 */
import { checkKindsAcrossTenants, checkTenantKind } from './kind-rules';
import { z } from 'zod';
import { formatValue, Problem, TenantListError } from './problem';
import { cpuMillis, isCpuQuantity, isMemoryQuantity, memoryBytes } from './quantity';
import { parseTenantsYaml, readLimits, readTenantsFile, SourceMap } from './read';
import { argvItemProblem, argvNulProblems, argvShapeProblem } from './rules/command';
import { ClusterRanges, egressProblems } from './rules/egress';
import { envNotSecretProblems, envValueProblem, plaintextCredentialProblem } from './rules/env';
import { domainConflicts, domainProblems, platformDomainProblems, underDomain } from './rules/domains';
import { hostProblems, overlapProblem, wildcardOverlaps } from './rules/hosts';
import { imageGrammarReason, unpinnedImageReason } from './rules/image';
import { labelKeyProblems } from './rules/labels';
import { OFFLINE_POD_BOUND, PodBound, quantityBoundProblems } from './rules/quantities';
import { objectSizeProblem } from './rules/size';
import { gpuProblems, NodePoolFacts, placementProblems } from './rules/placement';
import { edgeTimeoutProblems } from './rules/edge-timeout';
import { routingProblems } from './rules/routing';
import { tlsHostProblems } from './rules/tls';
import { vpaBoundProblems, withVpaBounds } from './rules/vpa';
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

export { parseTenantsYaml } from './read';
export { unpinnedImageReason } from './rules/image';

/** What validation may know beyond the file. */
export interface ValidationOptions {
  /**
   * Most CPU and memory one pod may request: the largest node pool when the stack is known.
   * @default OFFLINE_POD_BOUND
   */
  readonly podBound?: PodBound;
  /**
   * The stack's node pools: tenants naming a pool are checked against them (the pool exists, a
   * node fits the requests, a cold start covers a node boot when the pool can be empty).
   * @default undefined (offline: placement is not checked; `unplacedChecks` says what)
   */
  readonly nodePools?: readonly NodePoolFacts[];
  /**
   * The platform's tenant domain (`tls.tenantDomain`): no tenant may own it or a domain above it,
   * cover it with a wildcard, or take its apex (`platformDomainProblems`).
   * @default undefined (not checked: the file alone does not know it)
   */
  readonly tenantDomain?: string;
  /**
   * The cluster's pod and Service ranges: egress entries may not overlap them (tenants/rules/egress.ts).
   * @default DOKS_DEFAULT_CLUSTER_RANGES (offline, and stacks that do not set them)
   */
  readonly clusterRanges?: ClusterRanges;
  /**
   * Most tenants the list may hold; the reader's size limits scale with it (tenants/read.ts
   * `readLimits`). From `--max-tenants` or the stack setting `tenantscale:limits.maxTenants`.
   * @default DEFAULT_MAX_TENANTS (50,000)
   */
  readonly maxTenants?: number;
}

export interface ValidationResult {
  /** The resolved tenants, in file order; empty when there are problems. */
  readonly tenants: TenantSpec[];
  readonly problems: Problem[];
}

/** Reads, parses and validates a tenants file. Throws `TenantListError` listing every problem. */
export function loadTenants(file: string, options: ValidationOptions = {}): TenantSpec[] {
  const read = readTenantsFile(file, readLimits({ maxTenants: options.maxTenants }));
  if ('problem' in read) throw new TenantListError(file, [read.problem]);
  const result = validateTenantsText(read.text, options);
  if (result.problems.length > 0) throw new TenantListError(file, result.problems);
  return result.tenants;
}

/** Parses YAML text (within the limits of tenants/read.ts) and validates it; problems carry line and column. */
export function validateTenantsText(text: string, options: ValidationOptions = {}): ValidationResult {
  if (text.trim() === '') {
    return fail('the tenants file is empty', 'a YAML mapping with a `tenants` list', 'add `tenants:` with at least one entry');
  }
  const parsed = parseTenantsYaml(text, readLimits({ maxTenants: options.maxTenants }));
  return 'problem' in parsed ? { tenants: [], problems: [parsed.problem] } : validateTenantsDocument(parsed.data, { ...options, source: parsed.source });
}

function fail(message: string, allowed: string, fix: string): ValidationResult {
  return { tenants: [], problems: [{ tenant: 'file', field: '', message, allowed, fix }] };
}

/** Validates a parsed tenants document: shape, defaults merge, per-tenant and cross-tenant rules. */
export function validateTenantsDocument(doc: unknown, options: ValidationOptions & { readonly source?: SourceMap } = {}): ValidationResult {
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
  const { source } = options;
  const raw = doc as { defaults?: unknown; tenants?: unknown };
  const entries = Array.isArray(raw.tenants) ? raw.tenants : [];
  const tenantLabel = (i: number): string => {
    const name = (entries[i] as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name !== '' ? name : `#${i + 1}`;
  };
  /** The text of the value at `path`, as written in the file (for quoting it in a fix). */
  const sourceText = (path: readonly PropertyKey[]): string | undefined => {
    const at = source?.locate(path);
    return at && at.end > at.start ? source!.text(at.start, at.end) : undefined;
  };
  // Every problem with the place in the document it is about: the entry (or defaults, or the file).
  const located: { problem: Problem; base: readonly PropertyKey[] }[] = [];
  const add = (base: readonly PropertyKey[], list: readonly Problem[]) => {
    for (const problem of list) located.push({ problem, base });
  };

  // 1. The file as written, but for the entries: unknown top-level fields, the defaults block, a
  //    `tenants` that is not a list. Each entry is parsed once, in step 2.
  const shape = TenantsFileShallow.safeParse(doc, { reportInput: true });
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      if (issue.path[0] === 'defaults') {
        add(['defaults'], issueProblems(issue, 'defaults', issue.path.slice(1), TenantDefaultsSchema, sourceText(issue.path)));
      } else {
        add([], issueProblems(issue, 'file', issue.path, TenantsFileSchema, sourceText(issue.path)));
      }
    }
  }
  const finish = (): ValidationResult => ({ tenants: [], problems: located.map(({ problem, base }) => positioned(problem, base, source, doc)) });
  if (entries.length === 0 && located.length === 0) {
    return fail('the tenants list is empty', 'at least one tenant', 'add an entry under `tenants:` with a name and hosts');
  }
  if (located.some(({ problem }) => problem.tenant === 'file')) return finish();
  const defaultsBroken = located.some(({ problem }) => problem.tenant === 'defaults');

  // 2. Each entry with the defaults merged under it: fields, required fields and built-in
  //    defaults, then the cross-field rules. An entry with problems still gets the cross-field
  //    rules on its valid fields, so every problem is reported in one run. With a broken
  //    defaults block, each entry is checked as written (its own fields only).
  const tenants: TenantSpec[] = [];
  entries.forEach((entry, i) => {
    if (located.length >= MAX_PROBLEMS) return;
    const label = tenantLabel(i);
    if (!isMapping(entry)) {
      add(['tenants', i], [{ tenant: label, field: '', value: entry, message: `a tenant entry must be a mapping, not ${Array.isArray(entry) ? 'a list' : yamlType(entry === null ? 'null' : typeof entry)}`, allowed: 'a mapping with name, hosts and any tenant field', fix: 'write the entry as "- name: …" with "hosts: […]" indented under it' }]);
      return;
    }
    const merged = defaultsBroken ? entry : mergeDefaults(raw.defaults, entry);
    const schema = defaultsBroken ? TenantEntrySchema : TenantSpecSchema;
    const parsed = schema.safeParse(merged, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const text = sourceText(['tenants', i, ...issue.path]) ?? sourceText(['defaults', ...issue.path]);
        add(['tenants', i], issueProblems(issue, label, issue.path, schema, text));
      }
      add(['tenants', i], checkTenant(isMapping(merged) ? { ...merged, name: label } : { name: label }, options));
      return;
    }
    if (defaultsBroken) {
      add(['tenants', i], checkTenant({ ...(merged as Record<string, unknown>), name: label }, options));
      return;
    }
    const spec = parsed.data as TenantSpec;
    const rules = [...checkTenant(spec, options), ...checkTenantKind(spec), ...gpuProblems(spec), ...edgeTimeoutProblems(spec), ...routingProblems(spec), ...vpaBoundProblems(merged, spec)];
    // A field another rule already refuses (e.g. a request above the largest pool's bound) is not reported twice.
    const placement = options.nodePools ? placementProblems(spec, options.nodePools).problems.filter((p) => !rules.some((r) => r.field === p.field)) : [];
    const own = [...rules, ...placement];
    add(['tenants', i], own);
    if (own.length === 0) tenants.push(withVpaBounds(merged, spec));
  });

  // 3. Rules across tenants.
  // The entry a cross-tenant problem is about: of the entries with its tenant's name, the last
  // one (a duplicate name is reported on the later entry) that holds the value, if any does.
  const entriesByName = new Map<string, number[]>();
  entries.forEach((_, i) => {
    const label = tenantLabel(i);
    const list = entriesByName.get(label);
    if (list) list.push(i);
    else entriesByName.set(label, [i]);
  });
  const entryOf = (p: Problem): number | undefined => {
    const candidates = entriesByName.get(p.tenant) ?? [];
    const holding = candidates.filter((i) => {
      const held = valueAt(entries[i], fieldPath(p.field));
      return held === p.value || (Array.isArray(held) && held.includes(p.value));
    });
    return holding.length > 0 ? holding[holding.length - 1] : candidates[candidates.length - 1];
  };
  const addAcross = (list: readonly Problem[]) => {
    for (const problem of list) {
      if (located.length > MAX_PROBLEMS) break;
      const i = entryOf(problem);
      add(i === undefined ? [] : ['tenants', i], [problem]);
    }
  };
  if (located.length < MAX_PROBLEMS) addAcross(checkAcrossTenants(entries.map((e, i) => ({ index: i, entry: e as Partial<TenantSpec> })), options.tenantDomain));
  if (located.length === 0) addAcross(checkKindsAcrossTenants(tenants));
  if (located.length >= MAX_PROBLEMS) {
    located.splice(MAX_PROBLEMS);
    const stop: Problem = { tenant: 'file', field: '', message: `validation stopped after ${MAX_PROBLEMS.toLocaleString('en-US')} problems (the list may have more)`, allowed: 'a list with fewer problems', fix: 'fix these first, then run again' };
    located.unshift({ problem: stop, base: [] });
  }
  return located.length > 0 ? finish() : { tenants, problems: [] };
}

/**
 * The problem with its line and column: the value it names in the entry (an item of a list when the
 * value is one, e.g. `uses: [a, b]`), else the same field in `defaults` (marked `inDefaults`: the
 * tenant inherits the value), else the nearest enclosing field written, else the entry itself.
 */
function positioned(problem: Problem, base: readonly PropertyKey[], source: SourceMap | undefined, doc: unknown): Problem {
  const value = displayValue(problem.value);
  const bounded = value === problem.value ? problem : { ...problem, value };
  if (!source || problem.line !== undefined) return bounded;
  const field = fieldPath(problem.field);
  // An unknown field, or a problem with a key (a label key, an invalid record key): the key itself.
  const unknownKey = problem.message.startsWith('unknown field') || (typeof problem.value === 'string' && problem.field.endsWith(`.${problem.value}`));
  const inEntry = base[0] === 'tenants';
  for (let n = field.length; n > 0; n--) {
    const path = field.slice(0, n);
    const own = locateValue(source, doc, [...base, ...path], n === field.length ? problem.value : undefined, unknownKey);
    if (own) return { ...bounded, line: own.line, column: own.column };
    const inherited = inEntry ? locateValue(source, doc, ['defaults', ...path], n === field.length ? problem.value : undefined, unknownKey) : undefined;
    if (inherited) return { ...bounded, line: inherited.line, column: inherited.column, inDefaults: true };
  }
  const at = source.locate(base);
  return at ? { ...bounded, line: at.line, column: at.column } : bounded;
}

/** `warm[0].to` and `hosts.1` as path parts (`warm`, `0`, `to`); a dotted key stays whole in `locate`. */
function fieldPath(field: string): string[] {
  return field ? field.replace(/\[(\d+)\]/g, '.$1').split('.') : [];
}

/** The position of `path`; when it holds a list and `value` is one of its items, the position of that item. */
function locateValue(source: SourceMap, doc: unknown, path: readonly PropertyKey[], value: unknown, key: boolean): ReturnType<SourceMap['locate']> {
  const at = source.locate(path, { key });
  if (!at || key || value === undefined || (typeof value === 'object' && value !== null)) return at;
  const list = valueAt(doc, path);
  const index = Array.isArray(list) ? list.indexOf(value) : -1;
  return (index >= 0 ? source.locate([...path, index]) : undefined) ?? at;
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let cur = doc;
  for (const part of path) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isMapping(cur)) cur = cur[String(part)];
    else return undefined;
  }
  return cur;
}

/** Values kept as they are when short; collections, long strings and non-finite numbers become their rendering. */
function displayValue(value: unknown): unknown {
  if (value === undefined || value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.length <= 200 ? value : formatValue(value);
  if (typeof value === 'object') {
    // Small mappings (a scaling.metric block) stay readable; anything larger is summarised.
    const keys = Object.keys(value);
    if (keys.length <= 4 && keys.every((k) => { const v = (value as Record<string, unknown>)[k]; return v === null || typeof v !== 'object' || Object.keys(v).length <= 4; })) {
      const json = JSON.stringify(value);
      if (json !== undefined && json.length <= 200) return value;
    }
    return formatValue(value);
  }
  return String(value);
}

/**
 * Problems collected before validation stops: a hostile list can hold one per tenant and more
 * (19,000 tenants with one bad host are 38,000 problems); past this, time goes into reporting
 * what nobody reads.
 */
export const MAX_PROBLEMS = 1000;

/** The file with each entry left to step 2 (one parse per entry instead of two). */
const TenantsFileShallow = TenantsFileSchema.extend({ tenants: z.array(z.unknown()) });

/** Keys whose value replaces the default instead of merging with it. */
const REPLACE = new Set(['hosts', 'domains', 'scaling.metric']);

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

/** Fields only a tenant entry may set (`defaults` refuses them). */
const ENTRY_ONLY = new Set(['name', 'hosts', 'domains']);

function issueProblems(issue: z.core.$ZodIssue, tenant: string, path: readonly PropertyKey[], root: z.ZodType, sourceText?: string): Problem[] {
  const field = path.map(String).join('.');
  const input = (issue as { input?: unknown }).input;
  if (path.length === 2 && path[0] === 'env' && input !== undefined) {
    const env = envValueProblem(tenant, String(path[1]), input, sourceText);
    if (env) return [env];
  }
  if ((path[0] === 'command' || path[0] === 'args') && input !== undefined) {
    const argv = path.length === 1 ? argvShapeProblem(tenant, path[0], input) : path.length === 2 ? argvItemProblem(tenant, path[0], Number(path[1]), input, sourceText) : undefined;
    if (argv) return [argv];
  }
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
        ? `${hint?.fix ?? `set ${field}`}${tenant === 'defaults' || tenant === 'file' || ENTRY_ONLY.has(field) ? '' : ' (on the tenant, or once in `defaults`)'}`
        : (hint?.fixFor?.(input) ?? hint?.fix ?? `correct ${field || 'the value'}`),
    },
  ];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `wrong type: expected ${yamlType(issue.expected)}`;
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
  return issue.code === 'invalid_type' ? yamlType(issue.expected) : 'see tenants/tenants.schema.json';
}

/** A zod type named as a YAML reader knows it, with its article ("a mapping", not "a object"). */
export function yamlType(expected: string): string {
  const names: Record<string, string> = { object: 'a mapping', record: 'a mapping', array: 'a list', string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false', null: 'null' };
  return names[expected] ?? (/^[aeiou]/i.test(expected) ? `an ${expected}` : `a ${expected}`);
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

/** A tenant as written, possibly incomplete or with invalid fields (defaults merged). */
export type LooseTenant = Record<string, unknown>;

/** Split paths, shared: `get` runs ~30 times per tenant on the same few paths. */
const SPLIT_PATHS = new Map<string, readonly string[]>();

function get(o: unknown, path: string): unknown {
  let keys = SPLIT_PATHS.get(path);
  if (keys === undefined) SPLIT_PATHS.set(path, (keys = path.split('.')));
  let cur = o;
  for (const key of keys) {
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
export function checkTenant(t: TenantSpec | LooseTenant, options: ValidationOptions = {}): Problem[] {
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
  const grammar = image === undefined ? undefined : imageGrammarReason(image);
  const reason = image === undefined || grammar ? undefined : unpinnedImageReason(image);
  if (grammar) {
    add('image', image, `not a valid image reference: ${grammar}; the kubelet would fail the pod with InvalidImageName`, 'registry/repository:tag or registry/repository@sha256:<digest>, repository in lowercase (distribution reference grammar)', `write it as e.g. "ghcr.io/acme/app:1.4.2"${image && image.trim() !== image ? ` (without the surrounding spaces: "${image.trim()}")` : ''}`);
  }
  if (reason) {
    add('image', image, `image is not pinned: ${reason}`, 'repo:tag with a tag other than latest, or repo@sha256:<digest>', 'pin a released version, e.g. ghcr.io/stefanprodan/podinfo:6.7.1');
  }
  const hosts = get(t, 'hosts');
  if (Array.isArray(hosts)) problems.push(...hostProblems(name, hosts), ...tlsHostProblems(name, hosts, get(t, 'tls') ?? BUILTIN_DEFAULTS.tls));
  const domains = get(t, 'domains');
  if (Array.isArray(domains)) problems.push(...domainProblems(name, domains));
  for (const resource of ['cpu', 'memory'] as const) {
    const { valid, value } = QUANTITY[resource];
    const quantity = (path: string) => {
      const v = str(path);
      return v !== undefined && valid(v) ? v : undefined;
    };
    const request = quantity(`resources.requests.${resource}`);
    const limit = quantity(`resources.limits.${resource}`);
    for (const [kind, v] of [['requests', request], ['limits', limit]] as const) {
      if (v !== undefined) problems.push(...quantityBoundProblems(name, `resources.${kind}.${resource}`, resource, v, options.podBound ?? OFFLINE_POD_BOUND));
    }
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
  const envMap = isMapping(env) ? env : {};
  const notSecretList = get(t, 'envNotSecret');
  const notSecretNames = Array.isArray(notSecretList) ? notSecretList.filter((n): n is string => typeof n === 'string') : [];
  const notSecret = new Set(notSecretNames);
  for (const [key, value] of Object.entries(envMap)) {
    const credential = typeof value === 'string' ? plaintextCredentialProblem(name, key, value, { notSecret }) : undefined;
    if (credential) problems.push(credential);
  }
  problems.push(...envNotSecretProblems(name, notSecretNames, envMap));
  for (const field of ['command', 'args'] as const) {
    const list = get(t, field);
    if (Array.isArray(list)) problems.push(...argvNulProblems(name, field, list));
  }
  const egress = get(t, 'egress');
  if (Array.isArray(egress)) problems.push(...egressProblems(name, egress, options.clusterRanges));
  const labels = get(t, 'labels');
  const labelMap = isMapping(labels) ? labels : {};
  for (const key of Object.keys(labelMap)) problems.push(...labelKeyProblems(name, key));
  const list = (field: string) => {
    const l = get(t, field);
    return Array.isArray(l) ? l : [];
  };
  const size = objectSizeProblem(name, envMap, labelMap, { command: list('command'), args: list('args') });
  if (size) problems.push(size);
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

/** Rules across tenants: unique names, unique hosts, no wildcard host over another tenant's host, no host in another tenant's domain. Works on entries as written. */
export function checkAcrossTenants(entries: { index: number; entry: Partial<TenantSpec> }[], tenantDomain?: string): Problem[] {
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
    for (const [i, host] of entry.hosts.entries()) {
      if (typeof host !== 'string') continue;
      const key = host.toLowerCase();
      if (own.has(key)) {
        problems.push({ tenant: name, field: `hosts.${i}`, value: host, message: 'host listed twice for this tenant', allowed: 'each host once', fix: 'remove the repeated host' });
        continue;
      }
      own.add(key);
      const owner = hosts.get(key);
      if (owner !== undefined && owner !== name) {
        problems.push({
          tenant: name,
          field: `hosts.${i}`,
          value: host,
          message: `host already claimed by tenant "${owner}"; the interceptor would route it to only one of them`,
          allowed: 'each host claimed by one tenant',
          fix: `remove ${host} from one of "${owner}" and "${name}"`,
        });
      } else hosts.set(key, name);
    }
  }
  const byTenant = entries.map(({ index, entry }) => ({
    tenant: typeof entry?.name === 'string' ? entry.name : `#${index + 1}`,
    hosts: Array.isArray(entry?.hosts) ? entry.hosts.filter((h): h is string => typeof h === 'string') : [],
  }));
  // Both rules can pair every tenant with every other: at most MAX_PROBLEMS each (validation stops there anyway).
  for (const overlap of wildcardOverlaps(byTenant, MAX_PROBLEMS)) problems.push(overlapProblem(overlap));
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((h): h is string => typeof h === 'string') : []);
  const withDomains = byTenant.map((t, i) => ({ ...t, domains: strings(entries[i].entry?.domains) }));
  if (tenantDomain === undefined) {
    problems.push(...domainConflicts(withDomains, MAX_PROBLEMS));
    return problems;
  }
  // A claim on the platform's tenant domain is reported on the claimant, not as every other
  // tenant's host intruding into it.
  for (const problem of platformDomainProblems(withDomains, tenantDomain)) problems.push(problem);
  problems.push(...domainConflicts(withDomains.map((t) => ({ ...t, domains: t.domains.filter((d) => !underDomain(tenantDomain, d)) })), MAX_PROBLEMS));
  return problems;
}
