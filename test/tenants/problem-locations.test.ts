/**
 * Issue 18, item 1: every problem points at the line and column of the value it names (in the
 * entry; in `defaults`, marked `inDefaults`, when the tenant inherits it). One row per rule of
 * tenants/validate.ts, tenants/rules/*, tenants/kind-rules.ts and the cross-tenant rules. Each row
 * writes `⁅` where the reported position must be; the test removes it and asserts the exact line
 * and column. A quoted value is located at its first character inside the quotes; a mapping at its
 * first key.
 */
import { formatProblem, Problem } from '../../tenants/problem';
import { validateTenantsText, ValidationOptions } from '../../tenants/validate';

const MARK = '⁅';

/** A small defaults block (lines 1-13); each row adds its tenants from line 14 on. */
const DEFAULTS = `defaults:
  image: ghcr.io/stefanprodan/podinfo:6.7.1
  port: 9898
  probes: { readiness: /readyz, liveness: /healthz }
  resources:
    requests: { cpu: 100m, memory: 128Mi }
    limits: { cpu: 500m, memory: 512Mi }
  scaling:
    min: 0
    max: 3
    metric:
      requestRate: { target: 10 }
tenants:
`;

interface Row {
  /** The rule. */
  readonly rule: string;
  /** The tenant entries (and, with `defaults`, the whole file), with `⁅` where the problem must point. */
  readonly yaml: string;
  /** Replace the defaults block instead of using DEFAULTS. */
  readonly whole?: boolean;
  readonly tenant: string;
  readonly field: string;
  readonly inDefaults?: boolean;
  readonly options?: ValidationOptions;
}

const pool = { name: 'small', size: 's-2vcpu-4gb', min: 0, max: 3, taints: [], capacity: { cpuMillis: 2000n, memoryBytes: 4n * 1024n ** 3n, gpus: 0 } };

const ROWS: readonly Row[] = [
  // ---- tenants/validate.ts checkTenant
  { rule: 'scaling.min > scaling.max', tenant: 'a', field: 'scaling.min', yaml: '  - name: a\n    hosts: [a.example.com]\n    scaling: { min: ⁅4 }\n' },
  { rule: 'scaling.min > scaling.max, min from defaults', tenant: 'a', field: 'scaling.min', inDefaults: true, whole: true, yaml: DEFAULTS.replace('min: 0', 'min: ⁅2') + '  - name: a\n    hosts: [a.example.com]\n    scaling: { max: 1 }\n' },
  { rule: 'stateful: true with min 0 (inherited)', tenant: 'a', field: 'scaling.min', inDefaults: true, whole: true, yaml: DEFAULTS.replace('min: 0', 'min: ⁅0') + '  - name: a\n    hosts: [a.example.com]\n    stateful: true\n' },
  { rule: 'image grammar', tenant: 'a', field: 'image', yaml: '  - name: a\n    hosts: [a.example.com]\n    image: "⁅Ghcr.io/Acme/App:1"\n' },
  { rule: 'image not pinned', tenant: 'a', field: 'image', yaml: '  - name: a\n    hosts: [a.example.com]\n    image: ⁅nginx:latest\n' },
  { rule: 'image not pinned, from defaults', tenant: 'a', field: 'image', inDefaults: true, whole: true, yaml: DEFAULTS.replace('image: ghcr.io/stefanprodan/podinfo:6.7.1', 'image: ⁅nginx:latest') + '  - name: a\n    hosts: [a.example.com]\n' },
  { rule: 'host is an IP address', tenant: 'a', field: 'hosts.1', yaml: '  - name: a\n    hosts: [a.example.com, ⁅10.0.0.1]\n' },
  { rule: 'wildcard host with tls', tenant: 'a', field: 'hosts.0', yaml: '  - name: a\n    hosts:\n      - "⁅*.a.example.com"\n' },
  { rule: 'domain is a public suffix', tenant: 'a', field: 'domains.0', yaml: '  - name: a\n    hosts: [a.example.com]\n    domains: [⁅co.uk]\n' },
  { rule: 'quantity above the pod bound', tenant: 'a', field: 'resources.limits.memory', yaml: '  - name: a\n    hosts: [a.example.com]\n    resources:\n      limits: { memory: ⁅1Ei }\n' },
  { rule: 'zero CPU request', tenant: 'a', field: 'resources.requests.cpu', yaml: '  - name: a\n    hosts: [a.example.com]\n    resources:\n      requests: { cpu: "⁅0" }\n' },
  { rule: 'limit below request', tenant: 'a', field: 'resources.limits.cpu', yaml: '  - name: a\n    hosts: [a.example.com]\n    resources:\n      limits:\n        cpu: ⁅50m\n' },
  { rule: 'vpa.maxAllowed below minAllowed', tenant: 'a', field: 'vpa.maxAllowed.cpu', yaml: '  - name: a\n    hosts: [a.example.com]\n    vpa: { minAllowed: { cpu: 200m }, maxAllowed: { cpu: ⁅100m } }\n' },
  { rule: 'both scaling metrics', tenant: 'a', field: 'scaling.metric', yaml: '  - name: a\n    hosts: [a.example.com]\n    scaling:\n      metric: ⁅{ requestRate: { target: 1 }, concurrency: { target: 2 } }\n' },
  { rule: 'window shorter than granularity', tenant: 'a', field: 'scaling.metric.requestRate.window', yaml: '  - name: a\n    hosts: [a.example.com]\n    scaling:\n      metric: { requestRate: { target: 1, window: ⁅1s, granularity: 1m } }\n' },
  { rule: 'plaintext credential', tenant: 'a', field: 'env.API_TOKEN', yaml: '  - name: a\n    hosts: [a.example.com]\n    env:\n      LOG: info\n      API_TOKEN: ⁅abc\n' },
  { rule: 'NUL in an argument', tenant: 'a', field: 'args.1', yaml: '  - name: a\n    hosts: [a.example.com]\n    args: [--x, "⁅a\\0b"]\n' },
  { rule: 'egress CIDR with host bits', tenant: 'a', field: 'egress.1.cidr', yaml: '  - name: a\n    hosts: [a.example.com]\n    egress:\n      - { cidr: 10.110.0.0/20, ports: [25060] }\n      - { cidr: ⁅10.110.0.5/20, ports: [25060] }\n' },
  { rule: 'reserved label prefix (the key)', tenant: 'a', field: 'labels.pod-security.kubernetes.io/enforce', yaml: '  - name: a\n    hosts: [a.example.com]\n    labels:\n      plan: x\n      ⁅pod-security.kubernetes.io/enforce: privileged\n' },
  { rule: 'metrics path is the readiness path', tenant: 'a', field: 'metrics.path', yaml: '  - name: a\n    hosts: [a.example.com]\n    metrics: { path: ⁅/readyz }\n' },
  { rule: 'Deployment too large (env)', tenant: 'a', field: 'env', yaml: `  - name: a\n    hosts: [a.example.com]\n    env:\n${[1, 2, 3].map((i) => `      ${i === 1 ? '⁅' : ''}V${i}: "${'x'.repeat(100_000)}"`).join('\n')}\n` },
  // ---- schema (zod) issues
  { rule: 'port out of range', tenant: 'a', field: 'port', yaml: '  - name: a\n    hosts: [a.example.com]\n    port: ⁅70000\n' },
  { rule: 'unknown field (the key)', tenant: 'a', field: 'prot', yaml: '  - name: a\n    hosts: [a.example.com]\n    ⁅prot: 80\n' },
  { rule: 'env value YAML reads as a number', tenant: 'a', field: 'env.VERSION', yaml: '  - name: a\n    hosts: [a.example.com]\n    env: { VERSION: ⁅1.10 }\n' },
  { rule: 'invalid value in defaults', tenant: 'defaults', field: 'port', whole: true, yaml: DEFAULTS.replace('port: 9898', 'port: ⁅0') + '  - name: a\n    hosts: [a.example.com]\n' },
  // ---- tenants/kind-rules.ts
  { rule: 'block on the wrong kind', tenant: 'a', field: 'consumers', yaml: '  - name: a\n    hosts: [a.example.com]\n    consumers: ⁅[b]\n' },
  { rule: 'kind needs its block (the entry)', tenant: 'q', field: 'triggers', yaml: '  - ⁅name: q\n    kind: queue\n' },
  { rule: 'stateful flag contradicts kind', tenant: 's', field: 'stateful', yaml: '  - name: s\n    kind: service\n    stateful: ⁅true\n    scaling: { min: 1 }\n    autoscaling: { cpu: 70 }\n' },
  { rule: 'hosts on a scheduled tenant', tenant: 'n', field: 'hosts', yaml: '  - name: n\n    kind: scheduled\n    hosts: ⁅[n.example.com]\n    schedule: [{ start: "0 2 * * *", end: "0 4 * * *", timezone: UTC, replicas: 1 }]\n    scaling: { max: 1, scaledownPeriod: 30 }\n' },
  { rule: 'kind stateful at zero (inherited)', tenant: 'o', field: 'scaling.min', inDefaults: true, whole: true, yaml: DEFAULTS.replace('min: 0', 'min: ⁅0') + '  - name: o\n    hosts: [o.example.com]\n    kind: stateful\n' },
  { rule: 'service at zero', tenant: 's', field: 'scaling.min', yaml: '  - name: s\n    kind: service\n    scaling: { min: ⁅0 }\n    autoscaling: { cpu: 70 }\n' },
  { rule: 'memory-only autoscaling', tenant: 's', field: 'autoscaling.memory', yaml: '  - name: s\n    kind: service\n    scaling: { min: 1 }\n    autoscaling: { memory: ⁅80 }\n' },
  { rule: 'more consumers than partitions', tenant: 'q', field: 'scaling.max', yaml: '  - name: q\n    kind: queue\n    scaling: { max: ⁅8 }\n    triggers:\n      - { type: kafka, bootstrapServers: "k:9092", consumerGroup: g, topic: t, partitions: 6, lagThreshold: 5 }\n' },
  { rule: 'warm window that closes when it opens', tenant: 'a', field: 'warm[0].to', yaml: '  - name: a\n    hosts: [a.example.com]\n    warm:\n      - { days: [mon], from: "08:00", to: "⁅08:00", timezone: UTC }\n' },
  { rule: 'warm window time zone', tenant: 'a', field: 'warm[1].timezone', yaml: '  - name: a\n    hosts: [a.example.com]\n    warm:\n      - { days: [mon], from: "08:00", to: "18:00", timezone: UTC }\n      - { days: [tue], from: "08:00", to: "18:00", timezone: ⁅Mars/Olympus }\n' },
  { rule: 'schedule start not cron', tenant: 'n', field: 'schedule[0].start', yaml: '  - name: n\n    kind: scheduled\n    scaling: { max: 1, scaledownPeriod: 30 }\n    schedule:\n      - start: "⁅0 25 * * *"\n        end: "0 4 * * *"\n        timezone: UTC\n        replicas: 1\n' },
  { rule: 'cooldown longer than the off-window (built-in default: the schedule)', tenant: 'n', field: 'scaling.scaledownPeriod', yaml: '  - name: n\n    kind: scheduled\n    scaling: { max: 1, scaledownPeriod: ⁅90000 }\n    schedule: [{ start: "0 2 * * *", end: "0 4 * * *", timezone: UTC, replicas: 1 }]\n' },
  { rule: 'placeholder with body and configMap', tenant: 'a', field: 'coldStart.placeholder', yaml: '  - name: a\n    hosts: [a.example.com]\n    coldStart:\n      placeholder: ⁅{ body: hi, configMap: { name: page } }\n' },
  { rule: 'fallback is the tenant itself', tenant: 'a', field: 'coldStart.fallback.service', yaml: '  - name: a\n    hosts: [a.example.com]\n    coldStart:\n      fallback: { service: ⁅a, port: 80 }\n' },
  { rule: 'overlapping volume mounts', tenant: 'o', field: 'volumes[1].mountPath', yaml: '  - name: o\n    hosts: [o.example.com]\n    kind: stateful\n    scaling: { min: 1, max: 1 }\n    volumes:\n      - { name: a, mountPath: /data, size: 1Gi }\n      - { name: b, mountPath: ⁅/data/b, size: 1Gi }\n' },
  { rule: 'volumes on an http tenant', tenant: 'a', field: 'volumes', yaml: '  - name: a\n    hosts: [a.example.com]\n    volumes: ⁅[{ name: d, mountPath: /data, size: 1Gi }]\n' },
  // ---- gpu, edge timeout, placement
  { rule: 'route longer than the load balancer idle timeout', tenant: 'a', field: 'coldStartBudget', yaml: '  - name: a\n    hosts: [a.example.com]\n    coldStartBudget: ⁅590\n' },
  { rule: 'GPU request differs from the limit', tenant: 'a', field: 'resources.requests.gpu', yaml: '  - name: a\n    hosts: [a.example.com]\n    resources:\n      requests: { gpu: ⁅1 }\n      limits: { gpu: 2 }\n' },
  { rule: 'unknown node pool', tenant: 'a', field: 'nodePool', options: { nodePools: [pool] }, yaml: '  - name: a\n    hosts: [a.example.com]\n    nodePool: ⁅large\n' },
  { rule: 'request does not fit the pool', tenant: 'a', field: 'resources.requests.cpu', options: { nodePools: [pool] }, yaml: '  - name: a\n    hosts: [a.example.com]\n    nodePool: small\n    coldStartBudget: 200\n    resources:\n      requests: { cpu: "⁅3" }\n      limits: { cpu: "4" }\n' },
  // ---- across tenants
  { rule: 'duplicate name (the later entry)', tenant: 'a', field: 'name', yaml: '  - name: a\n    hosts: [a.example.com]\n  - name: ⁅a\n    hosts: [b.example.com]\n' },
  { rule: 'host listed twice (the repeat)', tenant: 'a', field: 'hosts.1', yaml: '  - name: a\n    hosts: [a.example.com, ⁅a.example.com]\n' },
  { rule: 'host claimed by another tenant', tenant: 'b', field: 'hosts.1', yaml: '  - name: a\n    hosts: [a.example.com]\n  - name: b\n    hosts: [b.example.com, ⁅a.example.com]\n' },
  { rule: 'wildcard over another tenant\'s host', tenant: 'w', field: 'hosts', yaml: '  - name: a\n    hosts: [x.w.example.com]\n  - name: w\n    tls: false\n    hosts: [w.example.com, "⁅*.w.example.com"]\n' },
  { rule: 'host in another tenant\'s domain', tenant: 'b', field: 'hosts.0', yaml: '  - name: a\n    hosts: [a.example.com]\n    domains: [acme.org]\n  - name: b\n    hosts: [⁅shop.acme.org]\n' },
  { rule: 'domain overlapping another tenant\'s', tenant: 'b', field: 'domains.1', yaml: '  - name: a\n    hosts: [a.example.com]\n    domains: [acme.org]\n  - name: b\n    hosts: [b.example.com]\n    domains: [b.org, ⁅eu.acme.org]\n' },
  { rule: 'domain over the platform domain', tenant: 'a', field: 'domains.0', options: { tenantDomain: 'tenants.example.com' }, yaml: '  - name: a\n    hosts: [a.example.com]\n    domains: [⁅example.com]\n' },
  { rule: 'uses names no service (the item)', tenant: 'a', field: 'uses', yaml: '  - name: a\n    hosts: [a.example.com]\n    uses: [e, ⁅embeddingz]\n  - name: e\n    kind: service\n    scaling: { min: 1 }\n    autoscaling: { cpu: 70 }\n    consumers: [a]\n' },
  { rule: 'uses a service that does not list the caller', tenant: 'b', field: 'uses', yaml: '  - name: a\n    hosts: [a.example.com]\n  - name: b\n    hosts: [b.example.com]\n    uses:\n      - ⁅e\n  - name: e\n    kind: service\n    scaling: { min: 1 }\n    autoscaling: { cpu: 70 }\n    consumers: [a]\n' },
  { rule: 'uses from defaults', tenant: 'b', field: 'uses', inDefaults: true, whole: true, yaml: DEFAULTS.replace('tenants:\n', '  uses: [⁅e]\ntenants:\n') + '  - name: b\n    hosts: [b.example.com]\n  - name: e\n    kind: service\n    uses: []\n    scaling: { min: 1 }\n    autoscaling: { cpu: 70 }\n    consumers: [a]\n' },
];

/** The text without the mark, and the mark's 1-based line and column. */
function marked(text: string): { text: string; line: number; column: number } {
  const at = text.indexOf(MARK);
  if (at < 0 || text.indexOf(MARK, at + 1) >= 0) throw new Error('a row needs exactly one mark');
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { text: before + text.slice(at + MARK.length), line, column: at - before.lastIndexOf('\n') };
}

describe('every rule reports the line and column of the value it names', () => {
  test.each(ROWS.map((r) => [r.rule, r] as const))('%s', (_, row) => {
    const { text, line, column } = marked(row.whole ? row.yaml : DEFAULTS + row.yaml);
    const { problems } = validateTenantsText(text, row.options);
    const found = problems.filter((p: Problem) => p.tenant === row.tenant && p.field === row.field);
    expect({ found: found.length, all: problems.map(formatProblem) }).toMatchObject({ found: 1 });
    expect(found[0]).toMatchObject({ line, column });
    expect(found[0].inDefaults ?? false).toBe(row.inDefaults ?? false);
  });

  test('the rows cover each rule source', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(50);
  });
});

describe('issue 18: a cross-tenant problem points at the tenant\'s value, not at `defaults:`', () => {
  const base = `${DEFAULTS}  - name: ahmed\n    hosts: [ahmed.example.com]\n    uses: [USES]\n  - name: embeddings\n    kind: service\n    scaling: { min: 1 }\n    autoscaling: { cpu: 70 }\n    consumers: [ahmed]\n`;

  test('failing: uses: [embeddingz] is reported at line 16, column 12 (was line 1, column 1: `defaults:`)', () => {
    const { problems } = validateTenantsText(base.replace('USES', 'embeddingz'));
    expect(problems).toHaveLength(1);
    expect(formatProblem(problems[0])).toMatch(/^tenant "ahmed", field uses \(line 16, column 12\) = "embeddingz": embeddingz is not a tenant of kind service/);
  });

  test('passing: uses: [embeddings] validates', () => {
    expect(validateTenantsText(base.replace('USES', 'embeddings')).problems).toEqual([]);
  });

  test('a value inherited from defaults says so', () => {
    const { problems } = validateTenantsText(DEFAULTS.replace('image: ghcr.io/stefanprodan/podinfo:6.7.1', 'image: nginx:latest') + '  - name: a\n    hosts: [a.example.com]\n');
    expect(formatProblem(problems[0])).toContain('tenant "a", field image (line 2, column 10, in defaults) = "nginx:latest"');
  });
});
