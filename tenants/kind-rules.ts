/**
 * What each kind needs and what the lessons forbid, checked on a resolved tenant. Each refusal
 * quotes the lesson (seed 000 unless said otherwise). Kept apart from validate.ts's `checkTenant`
 * so that the kind model lives in one place: tenants/kinds.ts (fields), here (rules),
 * constructs/tenant-kinds.ts (what each kind builds).
 */
import { parseCronOrReason, shortestOffWindowSeconds } from '../core/cron';
import type { Problem } from './problem';
import type { TenantSpec } from './schema';
import { JOB_KINDS, type TenantKind } from './kinds';
import { volumeProblems } from './rules/volumes';
import { scratchProblems } from './rules/scratch';
import { placeholderStatusProblems } from './rules/placeholder';

/** The kind a resolved tenant takes: `stateful: true` (the older flag) on an http tenant means kind stateful. */
export function tenantKind(spec: Pick<TenantSpec, 'kind' | 'stateful'>): TenantKind {
  const kind = spec.kind ?? 'http';
  return spec.stateful && kind === 'http' ? 'stateful' : kind;
}

/** Blocks that belong to one kind only (a block on another kind would be silently ignored). */
const BLOCK_KINDS: Record<string, readonly TenantKind[]> = {
  warm: ['http'],
  coldStart: ['http', 'stateful'],
  triggers: ['queue', 'job'],
  cron: ['cron-job'],
  run: ['job', 'cron-job'],
  schedule: ['scheduled'],
  autoscaling: ['service'],
  consumers: ['service'],
  burst: ['stateful'],
};

const TRIGGERS_FIX = 'add triggers: [{type: kafka, …}] (kafka, redis-list, redis-stream, rabbitmq or prometheus)';

/** The block that says what drives each kind that needs one. */
const REQUIRED_BLOCK: Partial<Record<TenantKind, { readonly block: string; readonly allowed: string; readonly fix: string }>> = {
  queue: { block: 'triggers', allowed: 'triggers with at least one entry', fix: TRIGGERS_FIX },
  job: { block: 'triggers', allowed: 'triggers with at least one entry (each run takes a batch off their backlog)', fix: `${TRIGGERS_FIX}; for a fixed schedule use kind: cron-job with cron: {schedule: "0 2 * * *", timezone: UTC}` },
  scheduled: { block: 'schedule', allowed: 'schedule with at least one entry', fix: 'add schedule: [{start: "0 2 * * *", end: "0 4 * * *", timezone: UTC, replicas: 1}]' },
  'cron-job': { block: 'cron', allowed: 'cron: {schedule, timezone}', fix: 'add cron: {schedule: "0 2 * * *", timezone: UTC}' },
  service: { block: 'autoscaling', allowed: 'autoscaling with at least one entry', fix: 'add autoscaling: {cpu: 70} (or memory, or prometheus)' },
};

const NOT_TO_ZERO =
  '"When NOT to Scale to Zero": stateful, single-instance runtimes and datastores "need minReplicaCount: 1"; "If it doesn\'t [survive kubectl delete pod cleanly], leave minReplicaCount: 1"';

type Rule = (spec: TenantSpec, kind: TenantKind, add: AddProblem) => void;
type AddProblem = (field: string, value: unknown, message: string, allowed: string, fix: string) => void;

/** Every kind rule, in the order they report. */
const RULES: readonly Rule[] = [blocksMatchKind, statefulFlagMatchesKind, hostsMatchKind, portAndProbes, neverToZero, serviceAutoscaler, kafkaPartitions, warmWindows, scheduleWindows, cronJobSchedule, runShape, coldStartShape, volumesOnStateful, scratchMounts];

/** Kinds that receive requests on `port` (through the interceptor or the Gateway, or from consumers). */
export const SERVED_KINDS: readonly TenantKind[] = ['http', 'stateful', 'service'];

/** Problems of one resolved tenant's kind, each naming tenant, field, value, what is allowed and the fix. */
export function checkTenantKind(spec: TenantSpec): Problem[] {
  const problems: Problem[] = [];
  const add: AddProblem = (field, value, message, allowed, fix) => problems.push({ tenant: spec.name, field, value, message, allowed, fix });
  const kind = tenantKind(spec);
  for (const rule of RULES) rule(spec, kind, add);
  return problems;
}

function blocksMatchKind(spec: TenantSpec, kind: TenantKind, add: AddProblem): void {
  for (const [block, kinds] of Object.entries(BLOCK_KINDS)) {
    if ((spec as Record<string, unknown>)[block] === undefined || kinds.includes(kind)) continue;
    add(block, (spec as Record<string, unknown>)[block], `\`${block}\` does not apply to a ${kind} tenant`, `${block} on kind ${kinds.join(' or ')} only`, `remove ${block}, or set kind: ${kinds[0]}`);
  }
  const need = REQUIRED_BLOCK[kind];
  if (need && (spec as Record<string, unknown>)[need.block] === undefined) {
    add(need.block, undefined, `a ${kind} tenant needs \`${need.block}\`: it says what drives the workload`, need.allowed, need.fix);
  }
}

function statefulFlagMatchesKind(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  if (spec.stateful && spec.kind !== 'http' && spec.kind !== 'stateful') {
    add('stateful', true, `stateful: true contradicts kind: ${spec.kind}`, 'stateful: true only with kind http (read as kind stateful) or stateful', 'write kind: stateful and drop stateful: true');
  }
}

function hostsMatchKind(spec: TenantSpec, kind: TenantKind, add: AddProblem): void {
  if ((kind === 'http' || kind === 'stateful') && spec.hosts.length === 0) {
    add('hosts', spec.hosts, `${kind === 'http' ? 'an' : 'a'} ${kind} tenant is reached through the Gateway and needs at least one hostname`, 'a list of at least one hostname', "add the tenant's hostname, e.g. hosts: [ahmed.example.com]");
  }
  if ((kind === 'queue' || kind === 'scheduled' || JOB_KINDS.includes(kind)) && spec.hosts.length > 0) {
    add('hosts', spec.hosts, `a ${kind} tenant serves no requests, so it gets no route`, 'no hosts for queue, scheduled, job and cron-job tenants', 'remove hosts, or make it kind: http');
  }
}

/**
 * Port and probes: a served kind (requests reach `port`) needs the port and both probes, as before;
 * the interceptor releases a held request when readiness passes (policies/rules/http-scaled-has-readiness.ts).
 * A worker may have neither; an HTTP-path probe or a metrics endpoint still needs the port. (A job's
 * pod may keep the probes and metrics of `defaults`: its readiness gates nothing, harmlessly, and it
 * gets no Service, so no ServiceMonitor; `explain` says so.)
 */
function portAndProbes(spec: TenantSpec, kind: TenantKind, add: AddProblem): void {
  const probes = spec.probes ?? {};
  if (SERVED_KINDS.includes(kind)) {
    if (spec.port === undefined) add('port', undefined, `a ${kind} tenant receives requests on its port, and none is set`, 'an integer from 1 to 65535', 'set the port the application listens on, e.g. port: 8080');
    for (const which of ['readiness', 'liveness'] as const) {
      if (probes[which] !== undefined) continue;
      add(`probes.${which}`, undefined, which === 'readiness' ? `a ${kind} tenant needs a readiness probe: requests (and the interceptor's held first request) go to a pod only once it is ready` : `a ${kind} tenant needs a liveness probe: a hung server is restarted instead of taking requests it never answers`, 'an HTTP path such as "/readyz", or {exec: [command, …]}', `set probes.${which}: "/healthz" (or {exec: [...]})`);
    }
  }
  for (const which of ['readiness', 'liveness'] as const) {
    if (typeof probes[which] === 'string' && spec.port === undefined) add(`probes.${which}`, probes[which], 'an HTTP probe is sent to `port`, and none is set', 'an HTTP path together with port, or {exec: [command, …]} without one', `set port, or write probes.${which}: {exec: [...]}`);
  }
  if (spec.metrics !== undefined && spec.port === undefined) add('metrics', spec.metrics, 'Prometheus scrapes the metrics endpoint on `port`, and none is set', 'metrics together with port', 'set port, or remove metrics');
}

function cronJobSchedule(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  const c = spec.cron;
  if (!c) return;
  const parsed = parseCronOrReason(c.schedule);
  if ('reason' in parsed) add('cron.schedule', c.schedule, parsed.reason, 'minute hour day-of-month month day-of-week, e.g. "0 2 * * *"', 'write e.g. schedule: "0 2 * * *"');
  if (!validTimezone(c.timezone)) add('cron.timezone', c.timezone, 'unknown time zone', 'an IANA time zone such as Europe/Berlin or UTC', 'write e.g. timezone: UTC');
}

function runShape(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  const r = spec.run;
  if (r?.expectedSeconds !== undefined && r.expectedSeconds > r.deadlineSeconds) {
    add('run.expectedSeconds', r.expectedSeconds, `a run is stopped at run.deadlineSeconds (${r.deadlineSeconds} s, the Job's activeDeadlineSeconds), so it cannot usually take longer`, `run.expectedSeconds ≤ ${r.deadlineSeconds}`, 'raise run.deadlineSeconds, or lower run.expectedSeconds to what a run takes');
  }
}

function scratchMounts(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  for (const p of scratchProblems(spec)) add(p.field, p.value, p.message, p.allowed, p.fix);
}

function neverToZero(spec: TenantSpec, kind: TenantKind, add: AddProblem): void {
  // stateful: true with min 0 is already refused by checkTenant (validate.ts).
  if (kind === 'stateful' && !spec.stateful && spec.scaling.min === 0) {
    add('scaling.min', 0, `a stateful tenant would scale to zero and lose its in-memory state and sessions (${NOT_TO_ZERO})`, 'scaling.min ≥ 1 for kind stateful', 'set scaling.min: 1');
  }
  if (kind === 'service' && spec.scaling.min === 0) {
    add(
      'scaling.min',
      0,
      'a shared service is always on and its HPA cannot scale to zero (minReplicas ≥ 1); every tenant that calls it would wait for a cold start (decision tree: "Stateful, keep min: 1 or higher … HPA on CPU")',
      'scaling.min ≥ 1 for kind service',
      'set scaling.min: 1 (2 or more if a PodDisruptionBudget should keep it up during node drains)',
    );
  }
}

function serviceAutoscaler(spec: TenantSpec, kind: TenantKind, add: AddProblem): void {
  const a = spec.autoscaling;
  if (kind !== 'service' || !a) return;
  const resource = a.cpu !== undefined || a.memory !== undefined;
  if (resource && a.prometheus) {
    add('autoscaling', a, 'CPU/memory utilization and a Prometheus metric would be two autoscalers on one workload (an HPA and KEDA\'s keda-hpa-*), writing spec.replicas in turn', 'either cpu and/or memory (an HPA), or prometheus (a ScaledObject)', 'keep one: autoscaling: {cpu: 70} or autoscaling: {prometheus: {…}}');
  }
  if (!resource && !a.prometheus) {
    add('autoscaling', a, 'no metric: the HPA would have nothing to scale on', 'cpu and/or memory utilization %, or prometheus', 'add autoscaling.cpu: 70');
  }
  if (a.memory !== undefined && a.cpu === undefined) {
    add('autoscaling.memory', a.memory, 'memory alone rarely drops after load, so the service would scale up and never back down (Common Pitfalls #2: "memory rarely drops, so memory-based scaling is one-way")', 'memory together with cpu, or cpu alone', 'add autoscaling.cpu: 70');
  }
}

function kafkaPartitions(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  (spec.triggers ?? []).forEach((t, i) => {
    if (t.type !== 'kafka' || spec.scaling.max <= t.partitions) return;
    add(
      'scaling.max',
      spec.scaling.max,
      `topic ${t.topic} has ${t.partitions} partitions: consumers beyond that sit idle (a partition is read by one consumer of a group), and KEDA caps the metric at the partition count anyway (kedacore/keda@v2.20.2 pkg/scalers/kafka_scaler.go:825)`,
      `scaling.max ≤ ${t.partitions} (triggers[${i}].partitions)`,
      `set scaling.max: ${t.partitions}, or add partitions to the topic first`,
    );
  });
}

/** The runtime's IANA zones (plus UTC), read once: a lookup per window instead of building a formatter. */
let zones: Set<string> | undefined;

function validTimezone(tz: string): boolean {
  zones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
  if (zones.has(tz)) return true;
  // Aliases (e.g. "Asia/Calcutta") are accepted by the formatter without being listed.
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function warmWindows(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  (spec.warm ?? []).forEach((w, i) => {
    // `to` before `from` is an overnight window, closing the next day (constructs/triggers/cron.ts `warmTrigger`).
    if (w.from === w.to) add(`warm[${i}].to`, w.to, `the window opens and closes at the same time (${w.from}): KEDA's cron scaler refuses equal start and end`, '`to` different from `from` (earlier than `from` for a window that ends the next day, e.g. from 18:00 to 02:00)', 'set `to` to the closing time, e.g. to: "23:00"');
    if (!validTimezone(w.timezone)) add(`warm[${i}].timezone`, w.timezone, 'unknown time zone', 'an IANA time zone such as Europe/Berlin or UTC', 'write e.g. timezone: Europe/Berlin');
    if (w.replicas > spec.scaling.max) add(`warm[${i}].replicas`, w.replicas, `more warm replicas than scaling.max (${spec.scaling.max})`, `at most ${spec.scaling.max}`, `lower warm[${i}].replicas or raise scaling.max`);
  });
}

function scheduleWindows(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  (spec.schedule ?? []).forEach((w, i) => {
    const startParsed = parseCronOrReason(w.start);
    const endParsed = parseCronOrReason(w.end);
    const start = 'reason' in startParsed ? undefined : startParsed;
    const end = 'reason' in endParsed ? undefined : endParsed;
    if ('reason' in startParsed) add(`schedule[${i}].start`, w.start, startParsed.reason, 'minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7), e.g. "0 2 * * *"', 'write e.g. start: "0 2 * * *"');
    if ('reason' in endParsed) add(`schedule[${i}].end`, w.end, endParsed.reason, 'minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7), e.g. "0 4 * * *"', 'write e.g. end: "0 4 * * *"');
    if (!validTimezone(w.timezone)) add(`schedule[${i}].timezone`, w.timezone, 'unknown time zone', 'an IANA time zone such as Europe/Berlin or UTC', 'write e.g. timezone: UTC');
    if (w.replicas > spec.scaling.max) add(`schedule[${i}].replicas`, w.replicas, `more replicas than scaling.max (${spec.scaling.max})`, `at most ${spec.scaling.max}`, `lower schedule[${i}].replicas or raise scaling.max`);
    if (!start || !end) return;
    const off = shortestOffWindowSeconds(start, end);
    if (off !== undefined && spec.scaling.scaledownPeriod >= off) {
      add(
        'scaling.scaledownPeriod',
        spec.scaling.scaledownPeriod,
        `the cooldown is not shorter than the shortest off-window (${off} s) of schedule[${i}], so the timer restarts before it expires and the workload never scales down (Lab Errors: "KEDA cron pod scales up but never scales down … Set cooldownPeriod: 30 on the cron ScaledObject")`,
        `scaling.scaledownPeriod < ${off}`,
        'set scaling.scaledownPeriod: 30',
      );
    }
  });
}

function volumesOnStateful(spec: TenantSpec, kind: TenantKind, add: AddProblem): void {
  for (const p of volumeProblems(spec, kind)) add(p.field, p.value, p.message, p.allowed, p.fix);
}

function coldStartShape(spec: TenantSpec, _kind: TenantKind, add: AddProblem): void {
  const p = spec.coldStart?.placeholder;
  if (p && p.body !== undefined && p.configMap !== undefined) {
    add('coldStart.placeholder', p, 'both body and configMap are set', 'at most one of body or configMap (kedacore/http-add-on@v0.15.0 operator/apis/http/v1beta1/interceptorroute_types.go:147)', 'keep one');
  }
  if (p) for (const s of placeholderStatusProblems(spec.name, p)) add(s.field, s.value, s.message, s.allowed, s.fix);
  if (spec.coldStart && !spec.coldStart.placeholder && !spec.coldStart.fallback) {
    add('coldStart', spec.coldStart, 'coldStart is empty', 'placeholder and/or fallback (kedacore/http-add-on@v0.15.0 interceptorroute_types.go:195)', 'remove coldStart or set one of them');
  }
  const f = spec.coldStart?.fallback;
  if (f && f.service === spec.name) {
    add('coldStart.fallback.service', f.service, "the fallback is the tenant's own Service, which has no ready pod when the fallback is used", 'another Service in the tenant namespace', 'name a Service that is always up, e.g. a static "waking-up" page');
  }
}

/**
 * Rules across tenants: every `uses` names a tenant of kind service that lists the caller in its
 * `consumers` (otherwise the service's NetworkPolicy drops the calls). A `consumers` entry may name
 * a tenant not (yet) in the list: admitting an absent namespace opens nothing.
 */
export function checkKindsAcrossTenants(specs: readonly TenantSpec[]): Problem[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const problems: Problem[] = [];
  for (const spec of specs) {
    for (const name of spec.uses ?? []) {
      const service = byName.get(name);
      const fix = `add ${spec.name} to ${name}.consumers, or remove ${name} from uses`;
      if (!service || tenantKind(service) !== 'service') {
        problems.push({ tenant: spec.name, field: 'uses', value: name, message: `${name} is not a tenant of kind service`, allowed: 'names of kind: service tenants in this list', fix: `name a shared service, or remove ${name} from uses` });
      } else if (!(service.consumers ?? []).includes(spec.name)) {
        problems.push({ tenant: spec.name, field: 'uses', value: name, message: `service ${name} does not list ${spec.name} in consumers, so its NetworkPolicy drops the calls`, allowed: `a service whose consumers include ${spec.name}`, fix });
      }
    }
  }
  return problems;
}
