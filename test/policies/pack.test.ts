/**
 * The CrossGuard adapters, called the way the policy server calls them, without constructing a
 * PolicyPack (its constructor starts a gRPC server and exits the process on a second pack).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyResource, ReportViolation, StackValidationArgs } from '@pulumi/policy';
import { knownValues, policies, violationText } from '../../policies/pack';
import { MANIFEST_RULES, RESOURCE_RULES } from '../../policies/rules';
import type { KubeObject, RegisteredResource } from '../../policies/types';
import { fixture, FIXTURES } from './helpers';

// Internal to @pulumi/policy: the proxy CrossGuard wraps resource inputs in, and its unknown-value sentinel.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require('@pulumi/policy/proxy') as { unknownCheckingProxy<T>(o: T): T; unknownStringValue: string; unknownNumberValue: string };

/** A Pulumi type token for a manifest, as @pulumi/kubernetes registers it. */
function typeOf(o: KubeObject): string {
  return `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
}

function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::tenantscale::${type}::${name}`;
}

function asPolicyResource(r: RegisteredResource): PolicyResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn ?? urnOf(r.type, r.name),
    props: proxy.unknownCheckingProxy(r.props),
    opts: {} as PolicyResource['opts'],
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  } as unknown as PolicyResource;
}

function stackArgs(resources: RegisteredResource[]): StackValidationArgs {
  return {
    resources: resources.map(asPolicyResource),
    stackTags: new Map(),
    getConfig: <T>() => ({}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`not applicable: ${reason}`);
    },
  };
}

function fromManifests(objects: KubeObject[]): RegisteredResource[] {
  return objects.map((o) => {
    const type = typeOf(o);
    const name = `${o.metadata.namespace ?? 'cluster'}-${o.kind.toLowerCase()}-${o.metadata.name}`;
    return { type, name, urn: urnOf(type, name), props: o as unknown as Record<string, unknown> };
  });
}

/** Runs one policy's validateStack; returns every reported (message, urn). */
function run(name: string, resources: RegisteredResource[]): { message: string; urn?: string }[] {
  const policy = policies.find((p) => p.name === name);
  if (!policy) throw new Error(`no policy ${name}`);
  const reports: { message: string; urn?: string }[] = [];
  const report: ReportViolation = (message, urn) => reports.push({ message, urn });
  void policy.validateStack(stackArgs(resources), report);
  return reports;
}

test('one stack policy per rule, with its name, description and enforcement level', () => {
  const rules = [...MANIFEST_RULES, ...RESOURCE_RULES];
  expect(policies.map((p) => [p.name, p.enforcementLevel, p.description])).toEqual(rules.map((r) => [r.name, r.level, r.description]));
});

test("a manifest rule reports against the URN of the offending object (the lesson's chatbot-route)", () => {
  const reports = run('cross-namespace-ref-granted', fromManifests(fixture('lesson-chatbot')));
  expect(reports).toEqual([
    {
      message: expect.stringMatching(/^default\/HTTPRoute\/chatbot-route: rules\[0\] references Service keda\/keda-add-ons-http-interceptor-proxy .*\nfix: add a ReferenceGrant in namespace keda/s),
      urn: urnOf('kubernetes:gateway.networking.k8s.io/v1:HTTPRoute', 'default-httproute-chatbot-route'),
    },
  ]);
});

test('every manifest policy is silent on the clean fixture', () => {
  const resources = fromManifests(fixture('clean'));
  for (const rule of MANIFEST_RULES) expect(run(rule.name, resources)).toEqual([]);
});

test('a resource rule reports against the Helm release', () => {
  const resources = JSON.parse(readFileSync(join(FIXTURES, 'pulumi', 'resources.json'), 'utf8')) as RegisteredResource[];
  expect(run('chart-versions-pinned', resources).map((r) => r.urn)).toEqual([
    urnOf('kubernetes:helm.sh/v3:Release', 'keda'),
    urnOf('kubernetes:helm.sh/v3:Release', 'envoy-gateway'),
  ]);
});

test('values unknown during preview read as unset instead of aborting the policy', () => {
  const props = { metadata: { name: 'web', namespace: 'shop', uid: proxy.unknownStringValue }, spec: { replicas: proxy.unknownNumberValue, list: ['a', proxy.unknownStringValue] } };
  const wrapped = proxy.unknownCheckingProxy(props);
  expect(() => (wrapped.spec as Record<string, unknown>).replicas).toThrow(/can't be known during preview/);
  expect(knownValues(wrapped)).toEqual({ metadata: { name: 'web', namespace: 'shop' }, spec: { list: ['a'] } });
});

test('a preview with an unknown image still checks the rest of the Deployment', () => {
  const objects = fixture('image-pinned');
  const d = objects.find((o) => o.kind === 'Deployment')! as KubeObject & { spec: any };
  d.spec.template.spec.containers[0].image = proxy.unknownStringValue;
  expect(run('image-pinned', fromManifests(objects)).map((r) => r.message)).toEqual([expect.stringMatching(/initContainers\[migrate\] image ghcr\.io\/example\/migrate:latest is not pinned/)]);
});

test('violationText puts the object first and the fix on its own line', () => {
  expect(violationText({ rule: 'r', level: 'mandatory', namespace: '', kind: 'Namespace', name: 'tenant-a', message: 'm', fix: 'f' })).toBe('Namespace/tenant-a: m\nfix: f');
});
