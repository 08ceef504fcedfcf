/**
 * unique-hostnames follows Gateway API route merging (gateway-api@v1.6.1 apis/v1/httproute_types.go)
 * and the interceptor's routing table (http-add-on@v0.15.0 pkg/routing): routes that share a host
 * but differ in matches or listeners are fine; only ties and cross-tenant wildcard cover fire.
 * One failing and one passing case for each.
 */
import { matchSignature, uniqueHostnames } from '../../policies/rules/unique-hostnames';
import type { KubeObject } from '../../policies/types';

const GATEWAY = { name: 'main-gateway', namespace: 'envoy-gateway-system' };

function route(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: { parentRefs: [GATEWAY], rules: [{ backendRefs: [{ name, port: 80 }] }], ...spec },
  };
}

function hso(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'http.keda.sh/v1alpha1',
    kind: 'HTTPScaledObject',
    metadata: { name, namespace },
    spec: { scaleTargetRef: { name, kind: 'Deployment', apiVersion: 'apps/v1', service: name, port: 80 }, replicas: { min: 0, max: 2 }, ...spec },
  };
}

const at = (value: string, type = 'PathPrefix') => ({ matches: [{ path: { type, value } }], backendRefs: [{ name: 'x', port: 80 }] });
const names = (violations: ReturnType<typeof uniqueHostnames>) => violations.map((v) => `${v.namespace}/${v.kind}/${v.name}`);

describe('unique-hostnames: routes sharing a host', () => {
  test('split by path: fine; the same path prefix (trailing slash aside) ties and fires on both routes', () => {
    const shop = route('shop', 'shop', { hostnames: ['shop.example.com'], rules: [at('/')] });
    const orders = route('shop', 'orders', { hostnames: ['shop.example.com'], rules: [at('/orders')] });
    expect(uniqueHostnames([shop, orders])).toEqual([]);

    const orders2 = route('other', 'orders2', { hostnames: ['shop.example.com'], rules: [at('/orders/')] });
    const v = uniqueHostnames([shop, orders, orders2]);
    expect(names(v)).toEqual(['shop/HTTPRoute/orders', 'other/HTTPRoute/orders2']);
    expect(v[0].message).toMatch(
      /^hostname shop\.example\.com on Gateway envoy-gateway-system\/main-gateway is also claimed by other\/HTTPRoute\/orders2 with the same match \(PathPrefix \/orders\): Gateway API gives a tied match to the oldest route only/,
    );
  });

  test('split by method, header or query match: fine; identical header sets (in any order, any name case) tie', () => {
    const get = route('a', 'get', { hostnames: ['api.example.com'], rules: [{ matches: [{ method: 'GET' }] }] });
    const post = route('b', 'post', { hostnames: ['api.example.com'], rules: [{ matches: [{ method: 'POST' }] }] });
    const v2 = route('c', 'v2', { hostnames: ['api.example.com'], rules: [{ matches: [{ headers: [{ name: 'version', value: '2' }, { name: 'x', value: 'y' }] }] }] });
    const q = route('d', 'q', { hostnames: ['api.example.com'], rules: [{ matches: [{ queryParams: [{ name: 'beta', value: '1' }] }] }] });
    expect(uniqueHostnames([get, post, v2, q])).toEqual([]);

    const v2again = route('e', 'v2-again', { hostnames: ['API.example.com'], rules: [{ matches: [{ headers: [{ name: 'X', value: 'y' }, { name: 'Version', type: 'Exact', value: '2' }] }] }] });
    expect(names(uniqueHostnames([get, post, v2, q, v2again]))).toEqual(['c/HTTPRoute/v2', 'e/HTTPRoute/v2-again']);
  });

  test('an HTTP→HTTPS redirect route on another listener: fine; on the same listener (or no sectionName) it ties', () => {
    const redirect = route('web', 'redirect', {
      parentRefs: [{ ...GATEWAY, sectionName: 'http' }],
      hostnames: ['web.example.com'],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', port: 443 } }] }],
    });
    const app = route('web', 'app', { parentRefs: [{ ...GATEWAY, sectionName: 'https' }], hostnames: ['web.example.com'] });
    expect(uniqueHostnames([redirect, app])).toEqual([]);

    const everywhere = route('web', 'app', { hostnames: ['web.example.com'] });
    const v = uniqueHostnames([redirect, everywhere]);
    expect(names(v)).toEqual(['web/HTTPRoute/redirect', 'web/HTTPRoute/app']);
    expect(v[0].message).toMatch(/on Gateway envoy-gateway-system\/main-gateway listener http is also claimed by web\/HTTPRoute\/app with the same match \(PathPrefix \/\)/);
  });

  test('a default match (no matches) equals an explicit PathPrefix / ', () => {
    expect(matchSignature({})).toBe(matchSignature({ path: { type: 'PathPrefix', value: '/' } }));
    expect(matchSignature({ path: { type: 'Exact', value: '/' } })).not.toBe(matchSignature({}));
  });
});

describe('unique-hostnames: a wildcard host of one tenant over another tenant\'s host', () => {
  const wildcard = route('acme', 'acme', { hostnames: ['*.acme.com'] });
  const login = route('mallory', 'login', { hostnames: ['login.acme.com'] });

  test('across namespaces on one Gateway: fires on both, naming the wildcard and the covered host', () => {
    const v = uniqueHostnames([wildcard, login]);
    expect(names(v)).toEqual(['acme/HTTPRoute/acme', 'mallory/HTTPRoute/login']);
    expect(v[0].message).toMatch(/^wildcard host \*\.acme\.com covers login\.acme\.com, claimed by mallory\/HTTPRoute\/login in another namespace: the Gateway gives precedence to the route with the longest matching non-wildcard hostname/);
    expect(v[1].message).toMatch(/^host login\.acme\.com lies under \*\.acme\.com, claimed by acme\/HTTPRoute\/acme/);
    // Deeper names and narrower wildcards are covered too; the bare domain is not.
    expect(names(uniqueHostnames([wildcard, route('m', 'deep', { hostnames: ['a.b.acme.com'] })]))).toHaveLength(2);
    expect(names(uniqueHostnames([wildcard, route('m', 'narrow', { hostnames: ['*.eu.acme.com'] })]))).toHaveLength(2);
    expect(uniqueHostnames([wildcard, route('m', 'apex', { hostnames: ['acme.com'] })])).toEqual([]);
  });

  test('fine in the same namespace, or on another Gateway', () => {
    expect(uniqueHostnames([wildcard, route('acme', 'login', { hostnames: ['login.acme.com'] })])).toEqual([]);
    expect(uniqueHostnames([wildcard, route('mallory', 'login', { hostnames: ['login.acme.com'], parentRefs: [{ name: 'internal', namespace: 'envoy-gateway-system' }] })])).toEqual([]);
  });

  test('HTTPScaledObjects: the interceptor prefers the exact host, so a cross-namespace wildcard fires; same namespace is fine', () => {
    const a = hso('acme', 'acme', { hosts: ['*.acme.com'] });
    expect(names(uniqueHostnames([a, hso('mallory', 'login', { hosts: ['login.acme.com'] })]))).toEqual(['acme/HTTPScaledObject/acme', 'mallory/HTTPScaledObject/login']);
    expect(uniqueHostnames([a, hso('acme', 'login', { hosts: ['login.acme.com'] })])).toEqual([]);
  });
});

describe('unique-hostnames: HTTPScaledObjects sharing a host', () => {
  test('distinct pathPrefixes on one host: fine; the same prefix (slashes aside, port stripped) ties', () => {
    const a = hso('a', 'a', { hosts: ['app.example.com'], pathPrefixes: ['/a'] });
    const b = hso('b', 'b', { hosts: ['app.example.com'], pathPrefixes: ['/b'] });
    expect(uniqueHostnames([a, b])).toEqual([]);
    const c = hso('c', 'c', { hosts: ['app.example.com:8080'], pathPrefixes: ['/a/'] });
    const v = uniqueHostnames([a, b, c]);
    expect(names(v)).toEqual(['a/HTTPScaledObject/a', 'c/HTTPScaledObject/c']);
    expect(v[0].message).toMatch(/^hostname app\.example\.com with path prefix \/a is also claimed by c\/HTTPScaledObject\/c: the interceptor routes/);
  });
});
