/**
 * Rules over manifests tenantscale did not write (issue 8 item 6): `ko://` build references and
 * the HTTP add-on's own Ingress → ExternalName Service → interceptor entry path.
 */
import { imagePinned } from '../../policies/rules/image-pinned';
import { pinnedImagePullPolicy } from '../../policies/rules/pinned-image-pull-policy';
import { httpScaledRoutesThroughInterceptor } from '../../policies/rules/http-scaled-routes-through-interceptor';
import type { KubeObject } from '../../policies/types';

function deployment(image: string, imagePullPolicy?: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'shop' },
    spec: { template: { spec: { containers: [{ name: 'app', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }] } } },
  };
}

describe('image-pinned: ko:// build references', () => {
  test('a ko:// import path is pinned (ko resolve replaces it with a digest); an untagged registry image is not', () => {
    expect(imagePinned([deployment('ko://github.com/example/app/cmd/server')])).toEqual([]);
    const v = imagePinned([deployment('ghcr.io/example/server')]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toMatch(/^containers\[app\] image ghcr\.io\/example\/server is not pinned: it has no tag/);
  });

  test('pinned-image-pull-policy treats ko:// as pinned too: Always fires, IfNotPresent passes', () => {
    expect(pinnedImagePullPolicy([deployment('ko://github.com/example/app/cmd/server', 'Always')])).toHaveLength(1);
    expect(pinnedImagePullPolicy([deployment('ko://github.com/example/app/cmd/server', 'IfNotPresent')])).toEqual([]);
  });
});

describe('http-scaled-routes-through-interceptor: Ingress → ExternalName Service → interceptor', () => {
  // The shape of kedacore/http-add-on@v0.15.0 examples/xkcd (rendered by hand: release "xkcd" in "default").
  const hso: KubeObject = {
    apiVersion: 'http.keda.sh/v1alpha1',
    kind: 'HTTPScaledObject',
    metadata: { name: 'xkcd' },
    spec: { hosts: ['myhost.com'], scaleTargetRef: { name: 'xkcd', kind: 'Deployment', apiVersion: 'apps/v1', service: 'xkcd', port: 8080 }, replicas: { min: 0, max: 10 } },
  };
  const proxy = (externalName: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'xkcd-proxy' },
    spec: { type: 'ExternalName', externalName },
  });
  const ingress = (service: string, port = 8080, host = 'myhost.com'): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'xkcd' },
    spec: { ingressClassName: 'nginx', rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: port } } } }] } }] },
  });
  const appService: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'xkcd' }, spec: { ports: [{ port: 8080 }] } };
  const run = (objects: KubeObject[]) => httpScaledRoutesThroughInterceptor(objects);

  test('the add-on example passes: Ingress → ExternalName keda-add-ons-http-interceptor-proxy.keda:8080 (also .svc.cluster.local)', () => {
    expect(run([hso, appService, proxy('keda-add-ons-http-interceptor-proxy.keda'), ingress('xkcd-proxy')])).toEqual([]);
    expect(run([hso, appService, proxy('keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local'), ingress('xkcd-proxy')])).toEqual([]);
    // A wildcard Ingress host covers one label.
    expect(run([hso, appService, proxy('keda-add-ons-http-interceptor-proxy.keda'), ingress('xkcd-proxy', 8080, '*.com')])).toEqual([]);
  });

  test('an Ingress straight to the app Service, to an ExternalName for something else, or on the wrong port fires on the Ingress', () => {
    const direct = run([hso, appService, ingress('xkcd')]);
    expect(direct).toHaveLength(1);
    expect(direct[0]).toMatchObject({ kind: 'Ingress', name: 'xkcd', rule: 'http-scaled-routes-through-interceptor' });
    expect(direct[0].message).toMatch(/^Ingress xkcd rules\[0\]\.http\.paths\[0\] sends myhost\.com \(a host of HTTPScaledObject\/xkcd\) to Service xkcd port 8080, not to the interceptor/);
    expect(run([hso, proxy('api.example.com'), ingress('xkcd-proxy')])[0].message).toMatch(/an ExternalName for api\.example\.com, not the interceptor/);
    expect(run([hso, proxy('keda-add-ons-http-interceptor-proxy.keda'), ingress('xkcd-proxy', 80)])[0].message).toMatch(/on port 80 while the interceptor proxy listens on 8080/);
  });

  test('with neither a route nor an Ingress for the host, the HTTPScaledObject is reported', () => {
    const v = run([hso, appService, proxy('keda-add-ons-http-interceptor-proxy.keda'), ingress('xkcd-proxy', 8080, 'other.com')]);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ kind: 'HTTPScaledObject', name: 'xkcd' });
    expect(v[0].message).toMatch(/^no HTTPRoute or Ingress has hostname myhost\.com/);
  });
});
