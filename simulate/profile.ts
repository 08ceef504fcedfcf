/**
 * Traffic profiles: the built-in ones and the profile file (tenants/profile.yaml by convention),
 * validated like the tenant list: every problem names the field, the value, what is allowed and the
 * fix, and nothing is simulated until the whole file is clean.
 *
 * File format (every key optional; see docs/simulate.md "Profile file"):
 *
 *   base: assistant            # a built-in profile to start from: assistant | business-hours | always-busy
 *   days: 7                    # simulated days (1-31); the month repeats them
 *   seed: 1
 *   traffic:                   # over the base profile's traffic, for every tenant
 *     hourly: [24 numbers]     # relative traffic per hour of day
 *     weekly: [7 numbers]      # relative traffic per day, Monday first
 *     conversationsPerDay: 7   # or peakActiveFraction: 0.1
 *     conversationMinutes: 10
 *     requestsPerMinute: 1
 *     serviceSeconds: 5
 *     steady: false
 *   classes:                   # per tenant class: tenants whose labels include all of `labels`
 *     - labels: { plan: business }
 *       traffic: { requestsPerMinute: 6 }
 *   tenants:                   # per tenant, over its class
 *     fatima: { conversationsPerDay: 20 }
 *   wake: { nodeProvisioningSeconds: 60, imagePullMBps: 50, containerStartSeconds: 2,
 *           kedaActivationSeconds: 1, defaultImageSizeMB: 50, imageSizeMB: { "repo:tag": 120 } }
 *   cluster: { scanIntervalSeconds: 10, scaleDownDelayAfterAddSeconds: 600,
 *              daemonSetCpuMilliPerNode: 200, daemonSetMemoryMiBPerNode: 256 }
 *   prices: { date, source, loadBalancerPerUnitMonthlyUsd, haControlPlaneMonthlyUsd,
 *             nodeSizes: { s-2vcpu-4gb: { vcpu, memoryGiB, monthlyUsd, allocatableMemoryGiB, allocatableCpuMilli, gpus? } } }
 */
import { readFileSync, statSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { Problem } from '../tenants/problem';
import { DEFAULT_PRICES, NodeSize, PriceTable } from '../core/prices';
import { TrafficSpec } from './traffic';
import { ClusterSettings, DEFAULT_CLUSTER, DEFAULT_WAKE, WakeSettings } from '../core/wake-defaults';

export { DEFAULT_CLUSTER, DEFAULT_WAKE } from '../core/wake-defaults';
export type { ClusterSettings, WakeSettings } from '../core/wake-defaults';


export interface TenantClass {
  readonly labels: Readonly<Record<string, string>>;
  readonly traffic: Partial<TrafficSpec>;
}

/** A resolved profile. */
export interface Profile {
  readonly name: string;
  readonly days: number;
  readonly seed: number;
  readonly traffic: TrafficSpec;
  readonly classes: readonly TenantClass[];
  readonly tenants: Readonly<Record<string, Partial<TrafficSpec>>>;
  readonly wake: WakeSettings;
  readonly cluster: ClusterSettings;
  readonly prices: PriceTable;
}

/** The lessons' day (seed 000 "A Day in the Life"): quiet at night, first users at 8:30, peak at noon, quieting after 5 PM. */
export const ASSISTANT_HOURLY = [0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.05, 0.15, 0.45, 0.8, 0.9, 1, 1, 0.9, 0.85, 0.8, 0.7, 0.5, 0.35, 0.3, 0.25, 0.2, 0.1, 0.05];
const WORKWEEK = [1, 1, 1, 1, 1, 0.5, 0.4];


const ASSISTANT: TrafficSpec = {
  hourly: ASSISTANT_HOURLY,
  weekly: WORKWEEK,
  // In conversation ~5% of a weekday: 7.2 conversations × 10 min = 72 min of 1,440.
  conversationsPerDay: 7.2,
  conversationMinutes: 10,
  requestsPerMinute: 1,
  serviceSeconds: 5,
  steady: false,
};

export const BUILTIN_PROFILES: Readonly<Record<string, { readonly description: string; readonly traffic: TrafficSpec }>> = {
  assistant: {
    description: 'the lessons\' AI assistant, idle ~95% of the day: ~7 ten-minute conversations a weekday, one message a minute, 5 s per reply, busiest 11:00-13:00',
    traffic: ASSISTANT,
  },
  'business-hours': {
    description: 'steady traffic 09:00-17:00 on weekdays (2 requests a minute, 1 s each), nothing at night or at weekends',
    traffic: {
      hourly: Array.from({ length: 24 }, (_, h) => (h >= 9 && h < 17 ? 1 : 0)),
      weekly: [1, 1, 1, 1, 1, 0, 0],
      conversationsPerDay: 0,
      conversationMinutes: 10,
      requestsPerMinute: 2,
      serviceSeconds: 1,
      steady: true,
    },
  },
  'always-busy': {
    description: 'every tenant busy all the time: 30 requests a minute, 1 s each, day and night',
    traffic: { hourly: new Array(24).fill(1), weekly: new Array(7).fill(1), conversationsPerDay: 0, conversationMinutes: 10, requestsPerMinute: 30, serviceSeconds: 1, steady: true },
  },
};

export const BUILTIN_NAMES = Object.keys(BUILTIN_PROFILES);

/** A built-in profile with the default settings. */
export function builtinProfile(name: string, overrides: { days?: number; seed?: number } = {}): Profile {
  const builtin = BUILTIN_PROFILES[name];
  if (!builtin) throw new Error(`unknown profile "${name}" (built-in: ${BUILTIN_NAMES.join(', ')})`);
  return {
    name,
    days: overrides.days ?? 7,
    seed: overrides.seed ?? 1,
    traffic: builtin.traffic,
    classes: [],
    tenants: {},
    wake: DEFAULT_WAKE,
    cluster: DEFAULT_CLUSTER,
    prices: DEFAULT_PRICES,
  };
}

/**
 * The lessons' scenario from `--active-fraction F` alone: the assistant's daily shape with a fraction F
 * of tenants in conversation at the busiest hour.
 */
export function withActiveFraction(profile: Profile, fraction: number): Profile {
  return { ...profile, name: `${profile.name}, ${Math.round(fraction * 1000) / 10}% active at peak`, traffic: { ...profile.traffic, steady: false, peakActiveFraction: fraction } };
}

// ---- the file ------------------------------------------------------------------------------------

const HINTS: Record<string, { allowed: string; fix: string }> = {
  base: { allowed: `one of ${BUILTIN_NAMES.join(', ')}`, fix: 'write e.g. base: assistant' },
  days: { allowed: 'an integer from 1 to 31', fix: 'simulate one week: days: 7' },
  seed: { allowed: 'an integer from 0 to 4294967295', fix: 'write e.g. seed: 1' },
  hourly: { allowed: 'a list of exactly 24 numbers from 0 to 1000000 (hour 0 = midnight), not all 0', fix: 'list one relative weight per hour, e.g. [0, 0, …, 1, 1, …, 0]' },
  weekly: { allowed: 'a list of exactly 7 numbers from 0 to 1000000, Monday first, not all 0', fix: 'write e.g. weekly: [1, 1, 1, 1, 1, 0.5, 0.4]' },
  conversationsPerDay: { allowed: 'a number from 0 to 10000', fix: 'write e.g. conversationsPerDay: 7' },
  peakActiveFraction: { allowed: 'a number above 0 and below 1', fix: 'write e.g. peakActiveFraction: 0.1 for 10% of tenants in conversation at the busiest hour' },
  conversationMinutes: { allowed: 'a number above 0, at most 1440', fix: 'write e.g. conversationMinutes: 10' },
  requestsPerMinute: { allowed: 'a number from 0 to 60000', fix: 'write e.g. requestsPerMinute: 1' },
  serviceSeconds: { allowed: 'a number above 0, at most 3600', fix: 'write e.g. serviceSeconds: 5' },
  steady: { allowed: 'true or false', fix: 'write steady: true for traffic without conversations' },
  labels: { allowed: 'a mapping of label keys to label values (strings)', fix: 'write e.g. labels: { plan: business }' },
  nodeProvisioningSeconds: { allowed: 'a number from 0 to 3600', fix: 'write e.g. nodeProvisioningSeconds: 60' },
  imagePullMBps: { allowed: 'a number above 0, at most 100000', fix: 'write e.g. imagePullMBps: 50' },
  containerStartSeconds: { allowed: 'a number from 0 to 3600', fix: 'write e.g. containerStartSeconds: 2' },
  kedaActivationSeconds: { allowed: 'a number from 0 to 600', fix: 'write e.g. kedaActivationSeconds: 1' },
  defaultImageSizeMB: { allowed: 'a number from 0 to 100000', fix: 'write e.g. defaultImageSizeMB: 50' },
  imageSizeMB: { allowed: 'a mapping of image references to sizes in MB (0 to 100000)', fix: 'write e.g. imageSizeMB: { "ghcr.io/acme/bot:1.2.3": 120 }' },
  scanIntervalSeconds: { allowed: 'a number from 1 to 600', fix: 'write e.g. scanIntervalSeconds: 10' },
  scaleDownDelayAfterAddSeconds: { allowed: 'a number from 0 to 86400', fix: 'write e.g. scaleDownDelayAfterAddSeconds: 600' },
  daemonSetCpuMilliPerNode: { allowed: 'an integer from 0 to 100000', fix: 'write e.g. daemonSetCpuMilliPerNode: 200' },
  daemonSetMemoryMiBPerNode: { allowed: 'an integer from 0 to 1000000', fix: 'write e.g. daemonSetMemoryMiBPerNode: 256' },
  nodeSizes: { allowed: 'a mapping of Droplet size slugs to { vcpu, memoryGiB, monthlyUsd, allocatableMemoryGiB, allocatableCpuMilli, gpus (NVIDIA GPUs per node, default 0) }', fix: 'write e.g. nodeSizes: { s-2vcpu-4gb: { vcpu: 2, memoryGiB: 4, monthlyUsd: 24, allocatableMemoryGiB: 2.5, allocatableCpuMilli: 1900 } }' },
  monthlyUsd: { allowed: 'a number from 0 to 1000000', fix: 'write the monthly price in US dollars, e.g. 24' },
  vcpu: { allowed: 'an integer from 1 to 1024', fix: 'write e.g. vcpu: 2' },
  memoryGiB: { allowed: 'a number above 0, at most 16384', fix: 'write e.g. memoryGiB: 4' },
  allocatableMemoryGiB: { allowed: 'a number above 0, at most memoryGiB', fix: 'read it with kubectl describe node (Allocatable: memory), e.g. 2.5' },
  allocatableCpuMilli: { allowed: 'an integer above 0, at most vcpu × 1000', fix: 'read it with kubectl describe node (Allocatable: cpu), e.g. 1900' },
  loadBalancerPerUnitMonthlyUsd: { allowed: 'a number from 0 to 100000', fix: 'write e.g. loadBalancerPerUnitMonthlyUsd: 12' },
  haControlPlaneMonthlyUsd: { allowed: 'a number from 0 to 100000', fix: 'write e.g. haControlPlaneMonthlyUsd: 40' },
  date: { allowed: 'a date YYYY-MM-DD', fix: 'write the day you read the prices, e.g. "2026-08-15"' },
  source: { allowed: 'a text of at most 500 characters', fix: 'name where the prices come from' },
};

const num = (min: number, max: number) => z.number().min(min).max(max);
const positive = (max: number) => z.number().gt(0).max(max);
const shape = (n: number) =>
  z
    .array(num(0, 1e6))
    .length(n)
    .refine((v) => v.some((x) => x > 0), 'all weights are 0');

const TrafficFileSchema = z.strictObject({
  hourly: shape(24).optional(),
  weekly: shape(7).optional(),
  conversationsPerDay: num(0, 10000).optional(),
  peakActiveFraction: z.number().gt(0).lt(1).optional(),
  conversationMinutes: positive(1440).optional(),
  requestsPerMinute: num(0, 60000).optional(),
  serviceSeconds: positive(3600).optional(),
  steady: z.boolean().optional(),
});

const NodeSizeSchema = z.strictObject({
  vcpu: z.number().int().min(1).max(1024),
  memoryGiB: positive(16384),
  monthlyUsd: num(0, 1e6),
  allocatableMemoryGiB: positive(16384),
  allocatableCpuMilli: z.number().int().gt(0).max(1024000),
  gpus: z.number().int().min(0).max(16).optional(),
});

const ProfileFileSchema = z.strictObject({
  base: z.enum(BUILTIN_NAMES as [string, ...string[]]).optional(),
  days: z.number().int().min(1).max(31).optional(),
  seed: z.number().int().min(0).max(4294967295).optional(),
  traffic: TrafficFileSchema.optional(),
  classes: z
    .array(z.strictObject({ labels: z.record(z.string().min(1).max(317), z.string().max(63)), traffic: TrafficFileSchema }))
    .max(100)
    .optional(),
  tenants: z.record(z.string().regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/).max(56), TrafficFileSchema).optional(),
  wake: z
    .strictObject({
      nodeProvisioningSeconds: num(0, 3600).optional(),
      imagePullMBps: positive(100000).optional(),
      containerStartSeconds: num(0, 3600).optional(),
      kedaActivationSeconds: num(0, 600).optional(),
      defaultImageSizeMB: num(0, 100000).optional(),
      imageSizeMB: z.record(z.string().min(1).max(512), num(0, 100000)).optional(),
    })
    .optional(),
  cluster: z
    .strictObject({
      scanIntervalSeconds: num(1, 600).optional(),
      scaleDownDelayAfterAddSeconds: num(0, 86400).optional(),
      daemonSetCpuMilliPerNode: z.number().int().min(0).max(100000).optional(),
      daemonSetMemoryMiBPerNode: z.number().int().min(0).max(1000000).optional(),
    })
    .optional(),
  prices: z
    .strictObject({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
      source: z.string().max(500).optional(),
      loadBalancerPerUnitMonthlyUsd: num(0, 100000).optional(),
      haControlPlaneMonthlyUsd: num(0, 100000).optional(),
      nodeSizes: z.record(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/), NodeSizeSchema).optional(),
    })
    .optional(),
});

export type ProfileFile = z.infer<typeof ProfileFileSchema>;

/** Thrown when the profile file has problems; carries all of them. */
export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was simulated:\n` +
        problems.map((p) => `  - profile, field ${p.field || '(file)'}${p.value === undefined ? '' : ` = ${JSON.stringify(p.value)}`}: ${p.message} (allowed: ${p.allowed}; fix: ${p.fix})`).join('\n'),
    );
    this.name = 'ProfileError';
  }
}

/** Largest profile file read (a profile is a few hundred lines at most). */
export const PROFILE_MAX_BYTES = 1024 * 1024;

function dotted(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = doc;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function hintFor(path: readonly PropertyKey[]): { allowed: string; fix: string } {
  for (let i = path.length - 1; i >= 0; i--) {
    const h = typeof path[i] === 'string' ? HINTS[path[i] as string] : undefined;
    if (h) return h;
  }
  return { allowed: 'see docs/simulate.md "Profile file"', fix: 'correct the value' };
}

/** Problems of a parsed profile document; empty when it is valid. */
export function checkProfileDocument(doc: unknown): { problems: Problem[]; file?: ProfileFile } {
  if (doc === null || doc === undefined) return { problems: [], file: {} };
  const parsed = ProfileFileSchema.safeParse(doc);
  const problems: Problem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          problems.push({
            tenant: 'profile',
            field: dotted([...issue.path, key]),
            message: 'unknown key (a typo would otherwise be ignored silently)',
            allowed: 'the keys listed in docs/simulate.md "Profile file"',
            fix: `remove or rename ${dotted([...issue.path, key])}`,
          });
        }
        continue;
      }
      const hint = hintFor(issue.path);
      const value = valueAt(doc, issue.path);
      problems.push({ tenant: 'profile', field: dotted(issue.path), value, message: value === undefined ? 'required' : issue.message, ...hint });
    }
    return { problems };
  }
  const file = parsed.data;
  for (const [slug, size] of Object.entries(file.prices?.nodeSizes ?? {})) {
    if (size.allocatableMemoryGiB > size.memoryGiB) {
      problems.push({ tenant: 'profile', field: `prices.nodeSizes.${slug}.allocatableMemoryGiB`, value: size.allocatableMemoryGiB, message: `more than the node's memory (${size.memoryGiB} GiB)`, ...HINTS.allocatableMemoryGiB });
    }
    if (size.allocatableCpuMilli > size.vcpu * 1000) {
      problems.push({ tenant: 'profile', field: `prices.nodeSizes.${slug}.allocatableCpuMilli`, value: size.allocatableCpuMilli, message: `more than the node's ${size.vcpu} vCPU`, ...HINTS.allocatableCpuMilli });
    }
  }
  return problems.length > 0 ? { problems } : { problems, file };
}

/** YAML text → problems or the resolved profile. Aliases are capped (no billion laughs). */
export function parseProfileText(text: string, defaults: { days?: number; seed?: number } = {}): { problems: Problem[]; profile?: Profile } {
  if (text.length > PROFILE_MAX_BYTES) {
    return { problems: [{ tenant: 'profile', field: '', message: `the profile file is ${text.length} bytes`, allowed: `at most ${PROFILE_MAX_BYTES} bytes`, fix: 'describe traffic by class (classes:) rather than per tenant' }] };
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0];
    return {
      problems: [
        {
          tenant: 'profile',
          field: '',
          message: `the profile file is not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${e.message.split('\n')[0]}`,
          allowed: 'YAML: a mapping of the keys in docs/simulate.md "Profile file"',
          fix: 'fix the YAML syntax at that position (indentation, quotes, duplicate keys)',
        },
      ],
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { problems: [{ tenant: 'profile', field: '', message: `the profile file cannot be read: ${(err as Error).message}`, allowed: 'YAML with at most 100 alias references', fix: 'write the values out instead of using many aliases' }] };
  }
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    return { problems: [{ tenant: 'profile', field: '', value: data, message: 'the profile file must be a mapping', allowed: 'a mapping with keys such as base, traffic, classes, tenants, wake, prices', fix: 'start the file with e.g. base: assistant' }] };
  }
  const checked = checkProfileDocument(data);
  if (!checked.file) return { problems: checked.problems };
  return { problems: [], profile: resolveProfile(checked.file, defaults) };
}

/** Reads and validates a profile file; throws `ProfileError` listing every problem. */
export function loadProfile(file: string, defaults: { days?: number; seed?: number } = {}): Profile {
  let text: string;
  try {
    if (statSync(file).size > PROFILE_MAX_BYTES) {
      throw new ProfileError(file, [{ tenant: 'profile', field: '', message: 'the profile file is too large', allowed: `at most ${PROFILE_MAX_BYTES} bytes`, fix: 'describe traffic by class (classes:) rather than per tenant' }]);
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ProfileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProfileError(file, [
      {
        tenant: 'profile',
        field: '',
        message: code === 'ENOENT' ? 'the profile file does not exist' : `cannot read the profile file (${code})`,
        allowed: `a readable YAML profile file, or a built-in profile: ${BUILTIN_NAMES.join(', ')}`,
        fix: `create ${file} (see docs/simulate.md) or pass --profile assistant`,
      },
    ]);
  }
  const result = parseProfileText(text, defaults);
  if (!result.profile) throw new ProfileError(file, result.problems);
  return { ...result.profile, name: file };
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A validated file merged over its base profile and the default settings. */
export function resolveProfile(file: ProfileFile, defaults: { days?: number; seed?: number } = {}): Profile {
  const base = builtinProfile(file.base ?? 'assistant');
  const nodeSizes: Record<string, NodeSize> = { ...DEFAULT_PRICES.nodeSizes, ...(file.prices?.nodeSizes ?? {}) };
  return {
    name: file.base ?? 'assistant',
    days: defaults.days ?? file.days ?? base.days,
    seed: defaults.seed ?? file.seed ?? base.seed,
    traffic: { ...base.traffic, ...definedOnly(file.traffic) },
    classes: (file.classes ?? []).map((c) => ({ labels: c.labels, traffic: definedOnly(c.traffic) })),
    tenants: Object.fromEntries(Object.entries(file.tenants ?? {}).map(([k, v]) => [k, definedOnly(v)])),
    wake: { ...DEFAULT_WAKE, ...definedOnly(file.wake) },
    cluster: { ...DEFAULT_CLUSTER, ...definedOnly(file.cluster) },
    prices: { ...DEFAULT_PRICES, ...definedOnly({ ...file.prices, nodeSizes: undefined }), nodeSizes },
  };
}

/** The traffic of one tenant: the profile's, then each matching class in order, then its own entry. */
export function trafficFor(profile: Profile, name: string, labels: Readonly<Record<string, string>>): TrafficSpec {
  let spec: TrafficSpec = profile.traffic;
  for (const c of profile.classes) {
    if (Object.entries(c.labels).every(([k, v]) => labels[k] === v)) spec = { ...spec, ...c.traffic };
  }
  const own = profile.tenants[name];
  return own ? { ...spec, ...own } : spec;
}
