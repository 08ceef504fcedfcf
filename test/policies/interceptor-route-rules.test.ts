/**
 * The HTTP rules on the InterceptorRoute + ScaledObject model (KEDA HTTP add-on 0.15): for each, a
 * failing fixture `<rule>-interceptor-route` and a passing one `<rule>-interceptor-route-fixed`
 * (the HTTPScaledObject model keeps its fixtures in test/policies/rules.test.ts), plus the cases
 * where the two models meet.
 */
import { runRules } from '../../policies/engine';
import { httpEntries } from '../../policies/http-entry';
import { coldStartTimeoutChain } from '../../policies/rules/cold-start-timeout-chain';
import { httpScaledRoutesThroughInterceptor } from '../../policies/rules/http-scaled-routes-through-interceptor';
import { httpScaledServicePort } from '../../policies/rules/http-scaled-service-port';
import { uniqueHostnames } from '../../policies/rules/unique-hostnames';
import { find, fixture } from './helpers';

function hit(rule: string, namespace: string, kind: string, name: string, message: RegExp) {
  return expect.objectContaining({ rule, level: 'mandatory', namespace, kind, name, message: expect.stringMatching(message) });
}

describe('the InterceptorRoute fixtures', () => {
  // Each broken fixture breaks its own rule and nothing else; each fixed one breaks none.
  test.each(['http-scaled-routes-through-interceptor', 'http-scaled-service-port', 'unique-hostnames', 'cold-start-timeout-chain'])('%s-interceptor-route breaks exactly its rule; -fixed breaks none', (rule) => {
    expect([...new Set(runRules(fixture(`${rule}-interceptor-route`)).map((v) => v.rule))]).toEqual([rule]);
    expect(runRules(fixture(`${rule}-interceptor-route-fixed`))).toEqual([]);
  });
});

describe('http-entry: one view of both models', () => {
  test('an InterceptorRoute with the ScaledObject naming it, and an HTTPScaledObject it shadows is left out', () => {
    const objects = fixture('http-scaled-routes-through-interceptor-interceptor-route-fixed');
    const entries = httpEntries(objects);
    expect(entries.map((e) => [e.model, e.owner.metadata.name, e.service, e.port, e.scaler?.kind, e.workload])).toEqual([
      ['InterceptorRoute', 'storefront', 'storefront', 8080, 'ScaledObject', { kind: 'Deployment', name: 'storefront' }],
    ]);
    expect(entries[0].timeouts).toMatchObject({ readiness: 30, readinessSet: true, responseHeader: 30, request: 0, hasFallback: false });
    // The migration pair: an HTTPScaledObject of the same namespace and name is skipped by the interceptor.
    objects.push({ apiVersion: 'http.keda.sh/v1alpha1', kind: 'HTTPScaledObject', metadata: { name: 'storefront', namespace: 'shop' }, spec: { hosts: ['shop.example.com'], scaleTargetRef: { name: 'storefront', service: 'storefront', port: 8080 } } });
    expect(httpEntries(objects)).toHaveLength(1);
    find(objects, 'HTTPScaledObject', 'storefront').metadata.name = 'storefront-old';
    expect(httpEntries(objects).map((e) => e.model)).toEqual(['InterceptorRoute', 'HTTPScaledObject']);
  });

  test('0.15 defaults: an HTTPScaledObject without conditionWait has no readiness deadline, response header 300 s', () => {
    const [entry] = httpEntries(fixture('lesson-chatbot').filter((o) => o.kind === 'HTTPScaledObject'));
    expect(entry.timeouts).toMatchObject({ readiness: 0, readinessSet: false, responseHeader: 300, request: 0 });
  });
});

describe('http-scaled-routes-through-interceptor on InterceptorRoute + ScaledObject', () => {
  const rule = 'http-scaled-routes-through-interceptor';

  test('fails: a route to a second Service over the pods the ScaledObject scales to zero', () => {
    expect(httpScaledRoutesThroughInterceptor(fixture(`${rule}-interceptor-route`))).toEqual([
      hit(rule, 'shop', 'HTTPRoute', 'storefront', /sends shop\.example\.com straight to Service storefront-direct, whose pods ScaledObject\/storefront \(woken through InterceptorRoute\/storefront\) scales to zero/),
    ]);
  });

  test('passes: the route goes to the interceptor; every rule silent', () => {
    expect(runRules(fixture(`${rule}-interceptor-route-fixed`))).toEqual([]);
  });

  test('fails: no route has a host of the InterceptorRoute', () => {
    const objects = fixture(`${rule}-interceptor-route-fixed`).filter((o) => o.kind !== 'HTTPRoute');
    expect(httpScaledRoutesThroughInterceptor(objects)).toEqual([hit(rule, 'shop', 'InterceptorRoute', 'storefront', /no HTTPRoute or Ingress has hostname shop\.example\.com/)]);
  });

  test('fails: the ScaledObject names an InterceptorRoute that does not exist', () => {
    const objects = fixture(`${rule}-interceptor-route-fixed`);
    find(objects, 'ScaledObject', 'storefront').spec.triggers[0].metadata.interceptorRoute = 'shopfront';
    expect(httpScaledRoutesThroughInterceptor(objects)).toEqual([
      hit(rule, 'shop', 'ScaledObject', 'storefront', /names InterceptorRoute shopfront, which does not exist in shop: the HTTP add-on's scaler cannot look it up/),
    ]);
  });
});

describe('http-scaled-service-port on InterceptorRoute + ScaledObject', () => {
  const rule = 'http-scaled-service-port';

  test("fails: target.port is the container's port, not the Service's", () => {
    expect(httpScaledServicePort(fixture(`${rule}-interceptor-route`))).toEqual([
      hit(rule, 'bots', 'InterceptorRoute', 'chatbot', /target\.port 9898 is not a port of Service chatbot \(ports: http:8000\); it is the container's targetPort behind port 8000/),
    ]);
  });

  test('passes: target.portName names the Service port; every rule silent', () => {
    expect(runRules(fixture(`${rule}-interceptor-route-fixed`))).toEqual([]);
  });

  test('fails: a portName the Service does not have, and a missing Service', () => {
    const objects = fixture(`${rule}-interceptor-route-fixed`);
    find(objects, 'InterceptorRoute', 'chatbot').spec.target.portName = 'web';
    expect(httpScaledServicePort(objects)).toEqual([hit(rule, 'bots', 'InterceptorRoute', 'chatbot', /target\.portName web is not a port name of Service chatbot/)]);
    const noService = fixture(`${rule}-interceptor-route-fixed`).filter((o) => o.kind !== 'Service');
    expect(httpScaledServicePort(noService)).toEqual([hit(rule, 'bots', 'InterceptorRoute', 'chatbot', /target\.service chatbot does not exist next to Deployment\/chatbot/)]);
  });

  test('fails on both models: the target Service does not select the pods the autoscaler wakes', () => {
    const objects = fixture(`${rule}-interceptor-route-fixed`);
    find(objects, 'Service', 'chatbot').spec.selector = { app: 'chatbot-v1' };
    expect(httpScaledServicePort(objects)).toEqual([
      hit(rule, 'bots', 'InterceptorRoute', 'chatbot', /Service chatbot selects \{"app":"chatbot-v1"\}, which does not match the pods of Deployment\/chatbot that ScaledObject\/chatbot wakes/),
    ]);
    const hso = fixture(rule);
    find(hso, 'HTTPScaledObject', 'chatbot').spec.scaleTargetRef.port = 8000;
    find(hso, 'Service', 'chatbot').spec.selector = { app: 'other' };
    expect(httpScaledServicePort(hso)).toEqual([hit(rule, 'bots', 'HTTPScaledObject', 'chatbot', /does not match the pods of Deployment\/chatbot that HTTPScaledObject\/chatbot wakes/)]);
  });
});

describe('unique-hostnames on InterceptorRoutes', () => {
  const rule = 'unique-hostnames';

  test('fails: two tenants\' InterceptorRoutes claim one host (the interceptor serves only the oldest)', () => {
    expect(uniqueHostnames(fixture(`${rule}-interceptor-route`))).toEqual([
      hit(rule, 'ahmed', 'InterceptorRoute', 'ahmed', /hostname assistant\.example\.com is also claimed by fatima\/InterceptorRoute\/fatima: the interceptor routes and counts its requests for only one of them/),
      hit(rule, 'fatima', 'InterceptorRoute', 'fatima', /hostname assistant\.example\.com is also claimed by ahmed\/InterceptorRoute\/ahmed/),
    ]);
  });

  test('passes: each InterceptorRoute claims its own host; every rule silent', () => {
    expect(runRules(fixture(`${rule}-interceptor-route-fixed`))).toEqual([]);
  });

  const sharing = (mutate: (fatima: any) => void) => {
    const objects = fixture(`${rule}-interceptor-route`);
    mutate(find(objects, 'InterceptorRoute', 'fatima'));
    return uniqueHostnames(objects);
  };

  test('the routing key is host, then path prefix (slashes trimmed), then the header match', () => {
    // Distinct path prefixes on the shared host: two keys, no tie.
    expect(sharing((f) => (f.spec.rules[0].paths = [{ value: '/fatima/' }]))).toEqual([]);
    // "/api" and "api/" are one key (pkg/routing/key.go:29).
    const objects = fixture(`${rule}-interceptor-route`);
    find(objects, 'InterceptorRoute', 'ahmed').spec.rules[0].paths = [{ value: '/api' }];
    find(objects, 'InterceptorRoute', 'fatima').spec.rules[0].paths = [{ value: 'api/' }];
    expect(uniqueHostnames(objects).map((v) => v.message)).toEqual([
      expect.stringMatching(/hostname assistant\.example\.com with path prefix \/api is also claimed by fatima/),
      expect.stringMatching(/also claimed by ahmed/),
    ]);
    // A header match splits a key deliberately; the same header match ties again.
    expect(sharing((f) => (f.spec.rules[0].headers = [{ name: 'X-Tenant', value: 'fatima' }]))).toEqual([]);
    const both = fixture(`${rule}-interceptor-route`);
    for (const n of ['ahmed', 'fatima']) find(both, 'InterceptorRoute', n).spec.rules[0].headers = [{ name: n === 'ahmed' ? 'X-Tenant' : 'x-tenant', value: 'a' }];
    expect(uniqueHostnames(both)[0].message).toMatch(/and headers x-tenant=a is also claimed/);
  });

  test('host case and port do not make a second key; a catch-all rule claims nothing of another tenant', () => {
    expect(sharing((f) => (f.spec.rules[0].hosts = ['Assistant.Example.com:80']))).toHaveLength(2);
    expect(sharing((f) => (f.spec.rules[0].hosts = ['*']))).toEqual([]);
  });

  test("fails: a wildcard host covering another tenant's host (exact hosts win, then the most specific wildcard)", () => {
    expect(sharing((f) => (f.spec.rules[0].hosts = ['*.example.com']))).toEqual([
      hit(rule, 'fatima', 'InterceptorRoute', 'fatima', /wildcard host \*\.example\.com covers assistant\.example\.com, claimed by ahmed\/InterceptorRoute\/ahmed in another namespace: the interceptor routes to the exact host before any wildcard/),
      hit(rule, 'ahmed', 'InterceptorRoute', 'ahmed', /host assistant\.example\.com lies under \*\.example\.com/),
    ]);
    // The interceptor also tries one-label wildcards (pkg/routing/key.go:111-141).
    expect(sharing((f) => (f.spec.rules[0].hosts = ['*.com']))).toHaveLength(2);
  });

  test('both models share one routing table: an HTTPScaledObject and an InterceptorRoute on one host tie, the migration pair does not', () => {
    const objects = fixture(`${rule}-interceptor-route-fixed`);
    const hso = { apiVersion: 'http.keda.sh/v1alpha1', kind: 'HTTPScaledObject', metadata: { name: 'fatima', namespace: 'fatima' }, spec: { hosts: ['assistant.example.com'], scaleTargetRef: { name: 'fatima', service: 'fatima', port: 8080 } } };
    // Same namespace and name as fatima's InterceptorRoute: the interceptor skips it (pkg/routing/table.go:81-84).
    expect(uniqueHostnames([...objects, hso])).toEqual([]);
    hso.metadata.name = 'fatima-legacy';
    expect(uniqueHostnames([...objects, hso])).toEqual([
      hit(rule, 'ahmed', 'InterceptorRoute', 'ahmed', /also claimed by fatima\/HTTPScaledObject\/fatima-legacy/),
      hit(rule, 'fatima', 'HTTPScaledObject', 'fatima-legacy', /also claimed by ahmed\/InterceptorRoute\/ahmed/),
    ]);
  });
});

describe('cold-start-timeout-chain on InterceptorRoute + ScaledObject (it absorbed interceptor-route-timeout-chain)', () => {
  const rule = 'cold-start-timeout-chain';
  const fixed = () => fixture(`${rule}-interceptor-route-fixed`);

  test('fails: readiness unset (0.15 default: no limit), and a 30 s route in front of the budget + 300 s response header', () => {
    expect(coldStartTimeoutChain(fixture(`${rule}-interceptor-route`))).toEqual([
      hit(rule, 'assistant', 'InterceptorRoute', 'assistant', /timeouts\.readiness is unset, so the interceptor default applies: KEDA_HTTP_READINESS_TIMEOUT, 0 at add-on 0\.15 \(no limit\)/),
      hit(rule, 'assistant', 'HTTPRoute', 'assistant', /gives up after timeouts\.request 30s, but for assistant\.example\.com the interceptor may hold the first request 6m \(the 60s cold-start budget \(no readiness limit\) \+ timeouts\.responseHeader 5m/),
    ]);
  });

  test('passes: readiness = budget, a route covering readiness + response header, an LB idle timeout covering that; every rule silent', () => {
    expect(runRules(fixed())).toEqual([]);
  });

  test('fails: readiness shorter than the cold-start budget of the Deployment the ScaledObject scales', () => {
    const objects = fixed();
    find(objects, 'InterceptorRoute', 'assistant').spec.timeouts.readiness = '20s';
    expect(coldStartTimeoutChain(objects)).toEqual([
      hit(rule, 'assistant', 'InterceptorRoute', 'assistant', /waits at most timeouts\.readiness 20s for a ready pod, but Deployment\/assistant may take 60s to start/),
    ]);
  });

  test('timeouts.request caps the wake: it must cover the budget, and it is what the route must cover', () => {
    const objects = fixed();
    find(objects, 'InterceptorRoute', 'assistant').spec.timeouts.request = '120s';
    expect(coldStartTimeoutChain(objects)).toEqual([hit(rule, 'assistant', 'HTTPRoute', 'assistant', /gives up after timeouts\.request 95s, .* 2m \(timeouts\.request 2m\)/)]);
    find(objects, 'InterceptorRoute', 'assistant').spec.timeouts.request = '45s';
    expect(coldStartTimeoutChain(objects)).toEqual([hit(rule, 'assistant', 'InterceptorRoute', 'assistant', /waits at most timeouts\.request 45s for a ready pod, but Deployment\/assistant may take 60s/)]);
  });

  test('a fallback Service bounds an unset readiness at 30 s (interceptor/middleware/endpoint_resolver.go:53-57)', () => {
    const objects = fixed();
    const ir = find(objects, 'InterceptorRoute', 'assistant');
    ir.spec.timeouts = { responseHeader: '30s' };
    ir.spec.coldStart = { fallback: { service: { name: 'static', port: 8080 } } };
    expect(coldStartTimeoutChain(objects)).toEqual([
      hit(rule, 'assistant', 'InterceptorRoute', 'assistant', /waits at most the fallback's readiness default 30s for a ready pod, but Deployment\/assistant may take 60s/),
    ]);
  });

  test("fails: the load balancer's idle timeout (the Gateway's EnvoyProxy annotation) is shorter than the wake", () => {
    const objects = fixed();
    find(objects, 'EnvoyProxy', 'tenantscale-proxy').spec.provider.kubernetes.envoyService.annotations['service.beta.kubernetes.io/do-loadbalancer-http-idle-timeout-seconds'] = '60';
    expect(coldStartTimeoutChain(objects)).toEqual([
      hit(rule, 'assistant', 'HTTPRoute', 'assistant', /load balancer in front of Gateway envoy-gateway-system\/tenants closes a connection idle for 60s .* no byte flows for up to 90s \(timeouts\.readiness 1m \+ timeouts\.responseHeader 30s\)/),
    ]);
    // A Gateway's own infrastructure.parametersRef takes the place of its class's.
    find(objects, 'Gateway', 'tenants').spec.infrastructure = { parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'long-idle' } };
    objects.push({ apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'EnvoyProxy', metadata: { name: 'long-idle', namespace: 'envoy-gateway-system' }, spec: { provider: { type: 'Kubernetes', kubernetes: { envoyService: { annotations: { 'service.beta.kubernetes.io/do-loadbalancer-http-idle-timeout-seconds': '300' } } } } } });
    expect(coldStartTimeoutChain(objects)).toEqual([]);
  });
});
