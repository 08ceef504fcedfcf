/**
 * What the built-in platform (DEFAULT_PLATFORM_SETTINGS: tenant domain tenants.example.com, no
 * load balancer, every component on) differs in from the platform a stack of this project deploys.
 * `synth`, `plan` and `explain` without `--stack` build for the built-in platform; when a
 * `Pulumi.<stack>.yaml` here serves the same tenant list, they say how that output is not what
 * `pulumi up` applies, and refuse when the tenant domain differs (every host would then get its
 * own certificate, ListenerSet and solver NetworkPolicy). The stack file is the one place the
 * platform settings come from: `--stack <name>` reads it (cli/synth-stack.ts) and builds exactly
 * what the Pulumi program applies.
 *
 * Reads the stack files as plain YAML (no Pulumi SDK, no schema: `--stack` validates them), so a
 * plain `synth` stays fast.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_LISTENER_PORT, DEFAULT_PROXY_REPLICAS, DEFAULT_TLS_SETTINGS } from '../constructs/platform-settings';
import type { TenantSpec } from '../tenants/schema';
import type { SynthStack } from './synth-stack';

/** How the built-in platform differs from one stack's. */
export interface PlatformDrift {
  readonly stack: string;
  /** Differences that change every tenant's objects (the tenant domain): the command refuses. */
  readonly refuse: readonly string[];
  /** Other differences: the command warns. */
  readonly differs: readonly string[];
}

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/;
const MAX_BYTES = 1024 * 1024;

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});

/**
 * The drift of the built-in platform from every stack in `projectDir` that reads `tenantsFile`
 * (its `tenantscale:tenantsFile`, default tenants/tenants.yaml), for the given tenants. Empty when
 * no stack reads the list. A stack file that does not parse is reported as a difference.
 */
export function platformDrift(tenantsFile: string, tenants: readonly Pick<TenantSpec, 'nodePool'>[], projectDir = process.cwd()): PlatformDrift[] {
  if (!existsSync(projectDir)) return [];
  const list = resolve(tenantsFile);
  const drifts: PlatformDrift[] = [];
  for (const f of readdirSync(projectDir).filter((n) => STACK_FILE.test(n)).sort()) {
    const stack = STACK_FILE.exec(f)![1];
    const path = join(projectDir, f);
    let config: Raw;
    try {
      if (statSync(path).size > MAX_BYTES) throw new Error('too large');
      config = obj(obj(parse(readFileSync(path, 'utf8'), { maxAliasCount: 0 })).config);
    } catch (err) {
      drifts.push({ stack, refuse: [], differs: [`${f} could not be read (${(err as Error).message}): its platform is unknown`] });
      continue;
    }
    const file = config['tenantscale:tenantsFile'] ?? 'tenants/tenants.yaml';
    if (typeof file !== 'string' || (isAbsolute(file) ? file : resolve(projectDir, file)) !== list) continue;
    drifts.push({ stack, ...stackDrift(config, tenants) });
  }
  return drifts;
}

/** The differences of one stack's raw `config:` block from the built-in platform. Pure. */
export function stackDrift(config: Raw, tenants: readonly Pick<TenantSpec, 'nodePool'>[]): { refuse: string[]; differs: string[] } {
  const refuse: string[] = [];
  const differs: string[] = [];
  const tls = obj(config['tenantscale:tls']);
  const domain = tls.tenantDomain ?? DEFAULT_TLS_SETTINGS.tenantDomain;
  if (domain !== DEFAULT_TLS_SETTINGS.tenantDomain) {
    refuse.push(`tenant domain ${String(domain)} (built-in: ${DEFAULT_TLS_SETTINGS.tenantDomain}; every tenant host would get its own HTTP-01 certificate, ListenerSet and solver NetworkPolicy, and platform.yaml the wrong wildcard)`);
  }
  if (tls.enabled === false) differs.push('HTTPS off (built-in: on)');
  if (tls.environment === 'staging') differs.push("Let's Encrypt staging issuer (built-in: production)");
  const mode = config['tenantscale:clusterMode'] ?? 'doks';
  if (mode === 'doks') {
    const lb = obj(obj(config['tenantscale:gateway']).loadBalancer);
    const idle = lb.httpIdleTimeoutSeconds;
    differs.push(`the DigitalOcean load balancer of the Gateway (name, size${idle === undefined ? ', the idle timeout pulumi up sets from the longest route timeout' : `, idle timeout ${String(idle)} s`}; built-in: none, DigitalOcean's 60 s default)`);
  } else differs.push('kubeconfig mode: the local CA issuer and a ClusterIP Gateway Service (built-in: ACME issuers, a LoadBalancer)');
  const gateway = obj(config['tenantscale:gateway']);
  const builtin: Raw = { port: DEFAULT_LISTENER_PORT, proxyReplicas: DEFAULT_PROXY_REPLICAS };
  for (const key of ['port', 'hostname', 'proxyReplicas']) if (gateway[key] !== undefined && gateway[key] !== builtin[key]) differs.push(`gateway.${key} ${JSON.stringify(gateway[key])}`);
  if (obj(config['tenantscale:monitoring']).enabled === false) differs.push('monitoring off: no ServiceMonitors (built-in: written)');
  if (obj(obj(config['tenantscale:components']).verticalPodAutoscaler).enabled === false) differs.push('VPA off: no VerticalPodAutoscalers (built-in: written)');
  if (config['tenantscale:tenantSelector'] !== undefined) differs.push('a tenantSelector: the stack serves only the tenants it selects (built-in: every tenant)');
  if (config['tenantscale:httpScaledObjectMigration'] === true) differs.push('the HTTPScaledObject migration (built-in: off)');
  const pools = Array.isArray(config['tenantscale:nodePools']) ? (config['tenantscale:nodePools'] as unknown[]).map(obj) : [];
  const tainted = pools.filter((p) => Array.isArray(p.taints) && p.taints.length > 0).map((p) => String(p.name));
  const placed = tenants.filter((t) => t.nodePool !== undefined && tainted.includes(t.nodePool)).length;
  if (placed > 0) differs.push(`${placed} tenant${placed === 1 ? '' : 's'} on tainted pools (${tainted.join(', ')}): the stack writes their tolerations and checks the pools (built-in: neither)`);
  return { refuse, differs };
}

/**
 * The lines a command prints for `drifts`: a loud warning per stack, and whether it must refuse
 * (a tenant domain differs and `builtinPlatform` was not asked for). Pure.
 */
export function driftReport(drifts: readonly PlatformDrift[], command: string, builtinPlatform: boolean): { lines: string[]; refused: boolean } {
  const lines: string[] = [];
  let refused = false;
  for (const d of drifts) {
    const refuse = d.refuse.length > 0 && !builtinPlatform;
    refused ||= refuse;
    lines.push(
      `${refuse ? '✗' : '!'} ${command} without --stack builds for the built-in platform, NOT what stack ${d.stack} deploys (Pulumi.${d.stack}.yaml): ${[...d.refuse, ...d.differs].join('; ')}`,
      refuse
        ? `  fix: ${command} --stack ${d.stack} (exactly what pulumi up applies), or --builtin-platform to build for the built-in platform anyway; nothing was written`
        : `  fix: ${command} --stack ${d.stack} builds exactly what pulumi up applies`,
    );
  }
  return { lines, refused };
}

/** The tenant list synth reads when neither --tenants nor --stack names one. */
export const DEFAULT_TENANTS_FILE = 'tenants/tenants.yaml';

/**
 * The refusal of `--tenants FILE` beside `--stack` when FILE is not the stack's list (synth would
 * otherwise synthesize one and be read as the other), or undefined. Pure but for path resolution.
 */
export function tenantsStackConflict(tenants: string | undefined, stack: Pick<SynthStack, 'stack' | 'file' | 'tenantsFile'>): string | undefined {
  if (tenants === undefined || resolve(tenants) === stack.tenantsFile) return undefined;
  return (
    `--tenants ${tenants} with --stack ${stack.stack}: the stack serves ${relative(process.cwd(), stack.tenantsFile) || stack.tenantsFile} (tenantscale:tenantsFile of ${relative(process.cwd(), stack.file) || stack.file}), not ${tenants}; ` +
    `allowed: --stack alone, or --tenants naming that same file; fix: drop --tenants, or set tenantscale:tenantsFile in the stack file; nothing was written`
  );
}
