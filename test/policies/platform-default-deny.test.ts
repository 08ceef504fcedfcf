/** platform-namespace-default-deny: one failing and one passing case each way a namespace can be left half-isolated. */
import { platformNetworkPolicyManifests } from '../../constructs/platform/platform-manifests';
import { platformNamespaceDefaultDeny } from '../../policies/rules/platform-default-deny';
import type { KubeObject } from '../../policies/types';

const synthesized = () => platformNetworkPolicyManifests() as unknown as KubeObject[];

describe('platform-namespace-default-deny', () => {
  test('passes: the synthesized policies (every namespace with its default-deny)', () => {
    expect(platformNamespaceDefaultDeny(synthesized())).toEqual([]);
  });

  test('passes: no platform policies at all (tenantscale:platformNetworkPolicies: false)', () => {
    expect(platformNamespaceDefaultDeny([])).toEqual([]);
  });

  test('fails: keda keeps its allows but lost its default-deny', () => {
    const objects = synthesized().filter((o) => !(o.metadata.namespace === 'keda' && o.metadata.name === 'tenantscale-default-deny-ingress'));
    const v = platformNamespaceDefaultDeny(objects);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: 'platform-namespace-default-deny', level: 'mandatory', namespace: 'keda', kind: 'NetworkPolicy', name: 'tenantscale-keda-operator' });
    expect(v[0].message).toMatch(/namespace keda has tenantscale allow policies .* but no tenantscale-default-deny-ingress/);
  });

  test('fails: a default-deny that admits something (or selects only some pods) is not one', () => {
    const objects = synthesized().map((o) =>
      o.metadata.namespace === 'monitoring' && o.metadata.name === 'tenantscale-default-deny-ingress'
        ? { ...o, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] } }
        : o.metadata.namespace === 'vpa' && o.metadata.name === 'tenantscale-default-deny-ingress'
          ? { ...o, spec: { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Ingress'] } }
          : o,
    );
    const v = platformNamespaceDefaultDeny(objects);
    expect(v.map((x) => [x.namespace, x.name])).toEqual([
      ['vpa', 'tenantscale-default-deny-ingress'],
      ['monitoring', 'tenantscale-default-deny-ingress'],
    ]);
    expect(v[0].message).toMatch(/does not select every pod with no ingress rule/);
  });
});

describe('platform-namespace-default-deny on the fixtures (as `tenantscale check` reads them)', () => {
  const { runRules } = require('../../policies/engine');
  const { fixture } = require('./helpers');
  test('fails: an allow policy in keda without the default-deny', () => {
    expect(runRules(fixture('platform-namespace-default-deny')).map((v: { rule: string; name: string }) => [v.rule, v.name])).toEqual([['platform-namespace-default-deny', 'tenantscale-keda-http-interceptor']]);
  });
  test('passes: the same with the default-deny', () => {
    expect(runRules(fixture('platform-namespace-default-deny-fixed'))).toEqual([]);
  });
});
