/** The rules added for InterceptorRoute + ScaledObject tenants: one failing and one passing fixture each. */
import { runRules } from '../../policies/engine';
import { resourceTriggersKeepAReplica } from '../../policies/rules/resource-triggers-keep-a-replica';
import { find, fixture } from './helpers';
import { EXAMPLE_TENANTS } from '../example-project';

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

describe('http-scaled-has-readiness on InterceptorRoute + ScaledObject tenants', () => {
  const { tenantManifests } = require('../../constructs/manifests');
  const { loadTenants } = require('../../tenants/validate');
  const { httpScaledHasReadiness } = require('../../policies/rules/http-scaled-has-readiness');
  const ahmed = () => JSON.parse(JSON.stringify(tenantManifests(loadTenants(EXAMPLE_TENANTS)[0])));

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
