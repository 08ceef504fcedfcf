import { Command } from 'commander';
import { tenantManifests } from '../../constructs/manifests';
import { DEFAULT_PLATFORM_SETTINGS, PlatformSettings } from '../../constructs/platform-settings';
import type { SynthStack } from '../synth-stack';
import { DEFAULT_TENANTS_FILE, driftReport, platformDrift, tenantsStackConflict } from '../platform-drift';
import { tenantContext } from '../../constructs/tenant-context';
import { interceptorTimeoutSeconds, routeTimeoutSeconds, ROUTE_TIMEOUT_MARGIN_SECONDS } from '../../constructs/tenant-entry';
import { EntryBackend, isRunPlan, planTenant, TenantPlan } from '../../constructs/tenant-kinds';
import type { TenantKind } from '../../tenants/kinds';
import type { TenantSpec } from '../../tenants/schema';
import { closest, loadTenants } from '../../tenants/validate';
import { boundedList, TenantListError } from '../../tenants/problem';
import { createOutput, EXIT, Output } from '../output';
import { DO_LB_IDLE_TIMEOUT, requiredIdleTimeoutSeconds } from '../../constructs/platform/do-load-balancer';
import { longestRoute } from '../../tenants/rules/edge-timeout';


/** The branch of seed 000's decision tree each kind takes, as the lesson words it. */
const BRANCH: Record<TenantKind, readonly string[]> = {
  http: ['Is your workload stateless? Yes → scale-to-zero candidate', 'Driven by HTTP requests? → KEDA + HTTP add-on'],
  queue: ['Is your workload stateless? Yes → scale-to-zero candidate', 'Driven by queue/event? → KEDA + matching scaler (Kafka, Redis, etc.)'],
  scheduled: ['Is your workload stateless? Yes → scale-to-zero candidate', 'Predictable schedule? → KEDA cron scaler'],
  service: ['Is your workload stateless? No → keep min: 1 or higher (a shared, always-on service)', 'CPU-bound, well-understood load? → HPA on CPU'],
  stateful: ['Is your workload stateless? No → Stateful, keep min: 1 or higher', 'Variable load, unknown sizing? → VPA in Off mode for sizing recommendations'],
  job: ['Is your workload stateless? Yes → scale-to-zero candidate', 'Driven by queue/event? → KEDA + matching scaler (Kafka, Redis, etc.)', 'Runs to completion? → a KEDA ScaledJob: one Job per batch, nothing left running once the queue is empty'],
  'cron-job': ['Is your workload stateless? Yes → scale-to-zero candidate', 'Predictable schedule? → a fixed time ("nightly report at 2 AM")', 'Runs to completion? → a Kubernetes CronJob: one Job per scheduled time, gone when it exits'],
};

/** What the plan's scaler (or run plan) says, one table entry per type. */
const SCALER_REASONS: { readonly [T in TenantPlan['scaler']['type']]: (s: Extract<TenantPlan['scaler'], { type: T }>) => string[] } = {
  keda: (s) => [replicaRange(s.min, s.max), `ScaledObject triggers: ${s.triggers.map((t) => t.type).join(', ')}`],
  hpa: (s) => [replicaRange(s.min, s.max), `HPA on ${Object.entries(s.utilization).filter(([, v]) => v !== undefined).map(([r, v]) => `${r} ${v}%`).join(' and ')}`],
  'scaled-job': (s) => [
    `runs ${s.min}..${s.max} at once (ScaledJob minReplicaCount..maxReplicaCount; none while the queue is empty)${s.min > 0 ? '' : ''}`,
    `ScaledJob triggers: ${s.triggers.map((t) => t.type).join(', ')}; each run is a Job of one pod (restartPolicy Never, backoffLimit ${s.run.backoffLimit}, activeDeadlineSeconds ${s.run.deadlineSeconds})`,
  ],
  'cron-job': (s) => [
    `CronJob "${s.cron?.schedule}" (${s.cron?.timezone}), concurrencyPolicy ${s.cron?.concurrencyPolicy}; scaling is not read: one run at a time${s.cron?.concurrencyPolicy === 'Replace' ? ' (two pods while Replace stops the old run)' : ''}`,
    `each run is a Job of one pod (restartPolicy Never, backoffLimit ${s.run.backoffLimit}, activeDeadlineSeconds ${s.run.deadlineSeconds})`,
  ],
};

function replicaRange(min: number, max: number): string {
  return `replicas ${min}..${max}${min === 0 ? ' (sleeps when idle)' : ' (never scales to zero)'}`;
}

/** One step of the cold-start chain: each must be at least the one before, or it cuts the wait short. */
export interface ChainStep {
  readonly what: string;
  readonly seconds: number | undefined;
  readonly source: string;
}

/** The explanation of one tenant, as data (what `explain --format json` prints). */
export interface Explanation {
  readonly tenant: string;
  readonly kind: TenantKind;
  readonly branch: readonly string[];
  readonly why: readonly string[];
  readonly objects: readonly string[];
  /** Empty for tenants without a route (queue, scheduled). */
  readonly coldStartChain: readonly ChainStep[];
  /** Steps shorter than the one before them. */
  readonly chainProblems: readonly string[];
  /** Which way a request goes warm and cold; absent without a route. */
  readonly paths?: { readonly warm: string; readonly cold: string };
}

/** Why the entry takes its branch: the fields that decided it. */
function reasons(spec: TenantSpec, plan: TenantPlan): string[] {
  const out = [spec.stateful ? 'stateful: true (read as kind: stateful)' : `kind: ${spec.kind ?? 'http'}${spec.kind === undefined ? ' (default)' : ''}`];
  out.push(...(SCALER_REASONS[plan.scaler.type] as (s: TenantPlan['scaler']) => string[])(plan.scaler));
  if (spec.warm?.length) out.push(`warm: ${spec.warm.length} window(s) hold replicas in a cron trigger beside the HTTP trigger`);
  if (spec.burst) out.push('burst: custom metric + VPA on memory only ("Both burst load and unknown sizing?")');
  if (spec.scratch?.length) out.push(`scratch: ${spec.scratch.map((x) => `${x.mountPath} ${x.size} (${x.medium ?? 'disk'})`).join(', ')}`);
  if (isRunPlan(plan.scaler) && spec.metrics) out.push('metrics: not scraped (a run\'s pod has no Service for a ServiceMonitor to select)');
  if (plan.vpa && plan.vpa.mode !== 'Off') out.push(`VPA ${plan.vpa.mode} on ${plan.vpa.resources.join(', ')}`);
  if (plan.pdb) out.push('PodDisruptionBudget maxUnavailable 1 (always on: never on a 0..N tenant)');
  return out;
}

/**
 * The cold-start chain of an interceptor-routed tenant: budget → InterceptorRoute readiness →
 * InterceptorRoute request timeout → HTTPRoute timeout → load-balancer idle timeout. The balancer
 * sees no byte while the interceptor holds a request, so its idle timeout bounds the whole wait.
 */
export function coldStartChain(spec: TenantSpec, lbIdleSeconds: number, lbIdleSource = 'DigitalOcean LB http-idle-timeout-seconds (Pulumi config tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds)'): ChainStep[] {
  const interceptor = interceptorTimeoutSeconds(spec);
  return [
    { what: 'cold-start budget', seconds: spec.coldStartBudget, source: 'coldStartBudget' },
    { what: 'interceptor readiness timeout', seconds: interceptor.readiness, source: 'InterceptorRoute spec.timeouts.readiness' },
    { what: 'interceptor request timeout', seconds: interceptor.request, source: 'InterceptorRoute spec.timeouts.request (readiness + responseTimeout)' },
    {
      what: 'HTTPRoute timeout',
      seconds: routeTimeoutSeconds(spec.coldStartBudget, spec.responseTimeout),
      source: `HTTPRoute spec.rules[0].timeouts.request (+${ROUTE_TIMEOUT_MARGIN_SECONDS} s margin)`,
    },
    { what: 'load-balancer idle timeout', seconds: lbIdleSeconds, source: lbIdleSource },
  ];
}

/** Explains one resolved tenant. */
export function explainTenant(spec: TenantSpec, settings: PlatformSettings, lbIdleSeconds: number, lbIdleSource?: string): Explanation {
  const ctx = tenantContext(spec, settings);
  const plan = planTenant(ctx);
  const chain = plan.entry === 'interceptor' || plan.entry === 'direct-when-warm' ? coldStartChain(spec, lbIdleSeconds, lbIdleSource) : [];
  const chainProblems = chain.flatMap((step, i) =>
    i > 0 && step.seconds !== undefined && chain[i - 1].seconds !== undefined && step.seconds < chain[i - 1].seconds!
      ? [`${step.what} (${step.seconds} s) is shorter than the ${chain[i - 1].what} (${chain[i - 1].seconds} s): the wait is cut at ${step.seconds} s`]
      : [],
  );
  return {
    tenant: spec.name,
    kind: plan.kind,
    branch: BRANCH[plan.kind],
    why: reasons(spec, plan),
    objects: tenantManifests(spec, settings).map((m) => `${m.kind} ${m.metadata.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata.name}`),
    coldStartChain: chain,
    chainProblems,
    paths: requestPaths(plan.entry, spec.name, settings),
  };
}

/** Which way a request goes, warm and cold, for a tenant's entry (docs/routing-modes.md). */
export function requestPaths(entry: EntryBackend | undefined, name: string, settings: PlatformSettings): { warm: string; cold: string } | undefined {
  const interceptor = `interceptor ${settings.interceptor.service}.${settings.interceptor.namespace}:${settings.interceptor.port}`;
  switch (entry) {
    case 'interceptor':
      return { warm: `load balancer → Envoy → ${interceptor} → tenant Service → pod`, cold: `load balancer → Envoy → ${interceptor} (holds the request, external-push wakes the tenant) → pod` };
    case 'direct-when-warm':
      return {
        warm: `load balancer → Envoy → Backend ${name}-direct (tenant Service, priority 0, TCP health check passing) → pod`,
        cold: `load balancer → Envoy → Backend ${name}-interceptor (fallback, priority 1: the direct one fails its health check or refuses the connection, retried once on the next priority) → ${interceptor} (holds the request, wakes the tenant) → pod`,
      };
    case 'service':
      return { warm: 'load balancer → Envoy → tenant Service → pod', cold: 'none: the service never scales to zero' };
    default:
      return undefined;
  }
}

function render(e: Explanation, out: Output): void {
  out.info(`tenant ${e.tenant}: kind ${e.kind}`);
  out.info('decision tree (seed 000):');
  for (const b of e.branch) out.info(`  ${b}`);
  out.info('why:');
  for (const w of e.why) out.info(`  - ${w}`);
  out.info(`objects (${e.objects.length}):`);
  for (const o of e.objects) out.info(`  ${o}`);
  if (e.paths) {
    out.info('request path:');
    out.info(`  warm: ${e.paths.warm}`);
    out.info(`  cold: ${e.paths.cold}`);
  }
  if (e.coldStartChain.length === 0) {
    out.info('cold-start chain: none (no route: nothing waits on a request)');
  } else {
    out.info('cold-start chain (each step must be ≥ the one before):');
    for (const s of e.coldStartChain) out.info(`  ${String(s.seconds).padStart(4)} s  ${s.what}  [${s.source}]`);
    for (const p of e.chainProblems) out.info(`  ✗ ${p}`);
    if (e.chainProblems.length === 0) out.info('  ✓ every step covers the one before it');
  }
}

export interface ExplainOptions {
  /** @default DEFAULT_TENANTS_FILE, or the stack's tenantsFile with `stack` */
  readonly tenants?: string;
  /**
   * The stack whose platform the tenant is explained on (its settings, its tenants, the idle
   * timeout `pulumi up` sets on its load balancer).
   * @default none: the built-in platform, with a warning when a stack here deploys another
   */
  readonly stack?: string;
  /** Without `stack`: explain on the built-in platform even when a stack here has another tenant domain. @default false */
  readonly builtinPlatform?: boolean;
  /**
   * The load balancer's HTTP idle timeout, seconds (30-600), when the stack sets one.
   * @default what the Pulumi program sets when the stack leaves it unset: the longest route timeout of the list
   */
  readonly lbIdleTimeout?: string;
  readonly format: string;
}

/** `tenantscale explain NAME`: prints the explanation, returns the exit code. */
export function runExplain(name: string, opts: ExplainOptions, out: Output): number {
  let specs: TenantSpec[];
  let stack: SynthStack | undefined;
  const file = opts.tenants ?? DEFAULT_TENANTS_FILE;
  try {
    stack = opts.stack === undefined ? undefined : (require('../synth-stack') as typeof import('../synth-stack')).readSynthStack(opts.stack);
    specs = stack ? stack.tenants : loadTenants(file);
  } catch (err) {
    if (err instanceof TenantListError) out.error(err.message);
    else if (err instanceof Error && opts.stack !== undefined && stack === undefined) out.error(`✗ --stack ${opts.stack}: ${err.message}`);
    else throw err;
    return EXIT.FAILED;
  }
  const conflict = stack && tenantsStackConflict(opts.tenants, stack);
  if (conflict) {
    out.error(`✗ ${conflict.replace('; nothing was written', '')}`);
    return EXIT.FAILED;
  }
  if (!stack) {
    const drift = driftReport(platformDrift(file, specs), 'explain', opts.builtinPlatform ?? false);
    for (const line of drift.lines) out.error(line.replace('; nothing was written', ''));
    if (drift.refused) return EXIT.FAILED;
  }
  const stackIdle = stack?.platformObjects.loadBalancer?.httpIdleTimeoutSeconds;
  const spec = specs.find((s) => s.name === name);
  if (!spec) {
    const guess = closest(name, specs.map((s) => s.name));
    out.error(`no tenant "${name}" in ${stack ? `stack ${stack.stack}` : file}${guess ? `; did you mean "${guess}"?` : ''} (tenants: ${boundedList(specs.map((s) => s.name))})`);
    return EXIT.FAILED;
  }
  // Unset, the Pulumi program sets the idle timeout from the longest route timeout it serves
  // (infra/config.ts edgeIdleTimeout); explain shows the same figure.
  const longest = longestRoute(specs);
  const idle = opts.lbIdleTimeout !== undefined ? Number(opts.lbIdleTimeout) : (stackIdle ?? requiredIdleTimeoutSeconds(longest ? [longest.seconds] : []));
  const { minSeconds, maxSeconds } = DO_LB_IDLE_TIMEOUT;
  if (!Number.isInteger(idle) || idle < minSeconds || idle > maxSeconds) {
    out.error(`--lb-idle-timeout ${opts.lbIdleTimeout}: allowed an integer from ${minSeconds} to ${maxSeconds} (DigitalOcean's range); fix: pass e.g. --lb-idle-timeout 120, or leave it out to use what pulumi up sets`);
    return EXIT.FAILED;
  }
  const source =
    opts.lbIdleTimeout === undefined && stackIdle !== undefined
      ? `the load balancer of stack ${stack!.stack} as pulumi up sets it (tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds, or the longest route timeout it serves)`
      : opts.lbIdleTimeout === undefined
      ? `set by pulumi up from the longest route timeout of the list${longest ? ` (tenant ${longest.tenant}, ${longest.seconds} s)` : ''}, at least DigitalOcean's ${DO_LB_IDLE_TIMEOUT.defaultSeconds} s default, unless tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds is set`
      : '--lb-idle-timeout (the stack\'s tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds)';
  const e = explainTenant(spec, stack?.settings ?? DEFAULT_PLATFORM_SETTINGS, idle, source);
  if (opts.format === 'json') out.info(JSON.stringify(e, null, 2));
  else render(e, out);
  return e.chainProblems.length > 0 ? EXIT.DESTRUCTIVE : EXIT.OK;
}

export function register(program: Command): void {
  program
    .command('explain <name>')
    .description('explain one tenant: its decision-tree branch and why, the objects it gets, and its cold-start chain')
    .option('-t, --tenants <file>', `tenant list (default: ${DEFAULT_TENANTS_FILE}; with --stack, the stack's)`)
    .option('--stack <name>', "explain the tenant on this stack's platform (Pulumi.<name>.yaml: its settings, its load balancer's idle timeout)")
    .option('--builtin-platform', 'without --stack: explain on the built-in platform even when a stack here has another tenant domain')
    .option('--lb-idle-timeout <seconds>', "the load balancer's HTTP idle timeout the stack sets (default: what pulumi up sets when the stack leaves it unset, the longest route timeout)")
    .option('--format <format>', 'text or json', 'text')
    .addHelpText('after', '\nExit codes: 0 explained, chain consistent; 1 the list has problems or the tenant is unknown; 2 a step of the cold-start chain cuts the wait short.')
    .action((name: string, opts: ExplainOptions) => {
      process.exitCode = runExplain(name, opts, createOutput({}));
    });
}
