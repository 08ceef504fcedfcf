/**
 * The pack over what the real Pulumi program registers (infra/index.ts with Pulumi.dev.yaml, under
 * the SDK's mocks): every policy runs as the policy server would run it, and the stack is clean.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { PolicyResource, StackValidationArgs } from '@pulumi/policy';
import { policies } from '../../policies/pack';
import { kubeObjectsOf } from '../../policies/resources';
import type { RegisteredResource } from '../../policies/types';
import { RecordedResource, runWithMocks } from '../platform/pulumi-mocks';
import { EXAMPLE_DIR } from '../example-project';

// The program reads ./Pulumi.*.yaml and the stack's tenant list from its project directory: the example fixture's (issue 21).
const REPO_CWD = process.cwd();
beforeAll(() => process.chdir(EXAMPLE_DIR));
afterAll(() => process.chdir(REPO_CWD));

const ROOT = EXAMPLE_DIR;

function stackConfig(file: string): Record<string, string> {
  const doc = parse(readFileSync(resolve(ROOT, file), 'utf8')) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function stackArgs(resources: RegisteredResource[]): StackValidationArgs {
  return {
    resources: resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props }) as unknown as PolicyResource),
    stackTags: new Map(),
    getConfig: <T>() => ({}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

/** Every policy's reports, as `rule: message`. */
function runPack(resources: RegisteredResource[]): { policy: string; level: string; message: string }[] {
  const reports: { policy: string; level: string; message: string }[] = [];
  for (const p of policies) void p.validateStack(stackArgs(resources), (message) => reports.push({ policy: p.name, level: String(p.enforcementLevel), message }));
  return reports;
}

let resources: RegisteredResource[];
beforeAll(async () => {
  // The dev stack sets no tenantSecrets, so the program warns about openclaw's Secret (asserted in test/infra).
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const run = await runWithMocks(() => require('../../infra/index'), { ...stackConfig('Pulumi.dev.yaml'), 'digitalocean:token': 'dop_v1_test_only' });
  warn.mockRestore();
  resources = run.resources.map((r: RecordedResource) => ({ type: r.type, name: r.name, urn: `urn:pulumi:dev::tenantscale::${r.type}::${r.name}`, props: r.inputs }));
});

test('the program registers the tenants, the Helm releases and the DOKS cluster the rules look at', () => {
  const kinds = new Set(kubeObjectsOf(resources).map((k) => k.object.kind));
  for (const kind of ['Deployment', 'InterceptorRoute', 'ScaledObject', 'HorizontalPodAutoscaler', 'TriggerAuthentication', 'HTTPRoute', 'ReferenceGrant', 'Gateway', 'Namespace']) expect(kinds).toContain(kind);
  expect(resources.some((r) => r.type === 'kubernetes:helm.sh/v3:Release')).toBe(true);
  expect(resources.some((r) => r.type === 'digitalocean:index/kubernetesCluster:KubernetesCluster')).toBe(true);
});

test('every policy of the pack passes on the dev stack', () => {
  expect(runPack(resources)).toEqual([]);
});

test('the pack catches a regression in the registered program (a floating chart version)', () => {
  const broken = resources.map((r) => (r.type === 'kubernetes:helm.sh/v3:Release' && r.props.chart === 'keda' ? { ...r, props: { ...r.props, version: '^2' } } : r));
  expect(runPack(broken)).toEqual([{ policy: 'chart-versions-pinned', level: 'mandatory', message: expect.stringMatching(/chart keda has version "\^2", a range/) }]);
});

test('the pack catches a DOKS default pool that stops autoscaling while tenants scale to zero', () => {
  const CLUSTER = 'digitalocean:index/kubernetesCluster:KubernetesCluster';
  const broken = resources.map((r) => (r.type === CLUSTER ? { ...r, props: { ...r.props, nodePool: { ...(r.props.nodePool as object), autoScale: false } } } : r));
  expect(runPack(broken)).toEqual([
    { policy: 'scale-to-zero-needs-node-autoscaling', level: 'mandatory', message: expect.stringMatching(/does not autoscale, yet tenant-[\w-]+\/ScaledObject\/[\w-]+ and \d+ more can scale to zero/) },
  ]);
});
