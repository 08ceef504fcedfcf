/** The rules added for InterceptorRoute + ScaledObject tenants: one failing and one passing fixture each. */
import { runRules } from '../../policies/engine';
import { interceptorRouteTimeoutChain } from '../../policies/rules/interceptor-route-timeout-chain';
import { resourceTriggersKeepAReplica } from '../../policies/rules/resource-triggers-keep-a-replica';
import { find, fixture } from './helpers';

describe('resource-triggers-keep-a-replica', () => {
  test('fails: a cpu-only ScaledObject with minReplicaCount 0', () => {
    expect(resourceTriggersKeepAReplica(fixture('resource-triggers-keep-a-replica'))).toEqual([
      expect.objectContaining({ rule: 'resource-triggers-keep-a-replica', level: 'mandatory', namespace: 'jobs', kind: 'ScaledObject', name: 'worker', message: expect.stringMatching(/scales only on cpu with minReplicaCount 0/) }),
    ]);
  });

  test('fails when minReplicaCount is unset (KEDA reads nil as 0)', () => {
    const objects = fixture('resource-triggers-keep-a-replica');
    delete find(objects, 'ScaledObject', 'worker').spec.minReplicaCount;
    expect(resourceTriggersKeepAReplica(objects)[0].message).toMatch(/minReplicaCount unset \(0\)/);
  });

  test('passes: the same with minReplicaCount 1, and an event trigger beside cpu', () => {
    expect(runRules(fixture('resource-triggers-keep-a-replica-fixed'))).toEqual([]);
    const objects = fixture('resource-triggers-keep-a-replica');
    find(objects, 'ScaledObject', 'worker').spec.triggers.push({ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '1' } });
    expect(resourceTriggersKeepAReplica(objects)).toEqual([]);
  });
});

describe('interceptor-route-timeout-chain', () => {
  test('fails: readiness unset (0.15 default: no limit) and a 30 s route in front of a 300 s response-header wait', () => {
    expect(interceptorRouteTimeoutChain(fixture('interceptor-route-timeout-chain'))).toEqual([
      expect.objectContaining({ kind: 'InterceptorRoute', name: 'assistant', message: expect.stringMatching(/KEDA_HTTP_READINESS_TIMEOUT, 0 at add-on 0.15 \(no limit\)/) }),
      expect.objectContaining({ kind: 'HTTPRoute', name: 'assistant', message: expect.stringMatching(/gives up after 30s while InterceptorRoute assistant\/assistant may take 5m \(readiness 0ms \+ responseHeader 5m\)/) }),
    ]);
  });

  test('passes: readiness = budget and a route covering readiness + response header; every rule silent', () => {
    expect(runRules(fixture('interceptor-route-timeout-chain-fixed'))).toEqual([]);
  });

  test('timeouts.request, when set, is what the route must cover; a fallback bounds an unset readiness', () => {
    const objects = fixture('interceptor-route-timeout-chain-fixed');
    const ir = find(objects, 'InterceptorRoute', 'assistant');
    ir.spec.timeouts.request = '120s';
    expect(interceptorRouteTimeoutChain(objects).map((v) => v.message)).toEqual([expect.stringMatching(/gives up after 95s .* may take 2m \(timeouts.request\)/)]);
    const fallback = fixture('interceptor-route-timeout-chain-fixed');
    const f = find(fallback, 'InterceptorRoute', 'assistant');
    f.spec.timeouts = { responseHeader: '30s' };
    f.spec.coldStart = { fallback: { service: { name: 'static', port: 8080 } } };
    expect(interceptorRouteTimeoutChain(fallback).filter((v) => v.kind === 'InterceptorRoute')).toEqual([]);
  });
});

describe('http-scaled-has-readiness on InterceptorRoute + ScaledObject tenants', () => {
  const { tenantManifests } = require('../../constructs/manifests');
  const { loadTenants } = require('../../tenants/validate');
  const { httpScaledHasReadiness } = require('../../policies/rules/http-scaled-has-readiness');
  const ahmed = () => JSON.parse(JSON.stringify(tenantManifests(loadTenants('tenants/tenants.yaml')[0])));

  test('fails: the Deployment an external-push ScaledObject wakes has no readiness probe', () => {
    const objects = ahmed();
    delete find(objects, 'Deployment', 'ahmed').spec.template.spec.containers[0].readinessProbe;
    expect(httpScaledHasReadiness(objects)).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'ahmed', message: expect.stringMatching(/container "app" has no readinessProbe, but ScaledObject\/ahmed wakes Deployment\/ahmed on HTTP/) }),
    ]);
  });

  test('passes: as synthesized', () => {
    expect(httpScaledHasReadiness(ahmed())).toEqual([]);
  });
});
