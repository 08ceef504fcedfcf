/**
 * direct-routing-chain: one failing and one passing case per check, on the synthesized
 * direct-when-warm tenant (test/fixtures/direct-routing-clean) and its broken copy
 * (test/fixtures/direct-routing-chain, the prometheus trigger removed).
 */
import { runRules } from '../../policies/engine';
import { directRoutingChain } from '../../policies/rules/direct-routing-chain';
import { httpScaledRoutesThroughInterceptor } from '../../policies/rules/http-scaled-routes-through-interceptor';
import { find, fixture } from './helpers';

const clean = () => fixture('direct-routing-clean');
const messages = (objects: ReturnType<typeof fixture>) => directRoutingChain(objects).map((v) => `${v.kind}/${v.name}: ${v.message}`);

test('the synthesized direct-when-warm tenant breaks no rule at all', () => {
  expect(runRules(clean())).toEqual([]);
});

test('the broken fixture breaks exactly direct-routing-chain, on the ScaledObject', () => {
  const v = runRules(fixture('direct-routing-chain'));
  expect(v.map((x) => `${x.rule} ${x.kind}/${x.name}`)).toEqual(['direct-routing-chain ScaledObject/shop']);
  expect(v[0].message).toMatch(/no prometheus trigger reads the route's Envoy series \(envoy_route="tenant-shop\/shop"/);
});

test('a prometheus trigger on another route does not count', () => {
  const objects = clean();
  const so = find(objects, 'ScaledObject', 'shop');
  const t = so.spec.triggers.find((x: any) => x.type === 'prometheus');
  t.metadata.query = t.metadata.query.replace('tenant-shop/shop', 'tenant-other/other');
  expect(messages(objects)).toEqual([expect.stringMatching(/^ScaledObject\/shop: .*no prometheus trigger/)]);
});

test('a Backend without the tenantscale label is refused', () => {
  const objects = clean();
  delete (find(objects, 'Backend', 'shop-direct').metadata.labels as Record<string, string>)['tenantscale.io/backend'];
  expect(messages(objects)).toEqual([expect.stringMatching(/^Backend\/shop-direct: it lacks the label tenantscale.io\/backend/)]);
});

test('a direct Backend naming another namespace, and a fallback not naming the interceptor, are refused', () => {
  const objects = clean();
  find(objects, 'Backend', 'shop-direct').spec.endpoints[0].fqdn.hostname = 'db.tenant-other.svc.cluster.local';
  find(objects, 'Backend', 'shop-interceptor').spec.endpoints[0].fqdn.port = 9090;
  const m = messages(objects);
  expect(m).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^Backend\/shop-direct: its endpoint is not a Service of tenant-shop/),
      expect.stringMatching(/^Backend\/shop-interceptor: its fallback endpoint is not the interceptor proxy keda-add-ons-http-interceptor-proxy.keda.svc.cluster.local:8080/),
    ]),
  );
});

test('a Service backendRef beside the fallback Backend is refused (weighted split, 503 share at zero endpoints)', () => {
  const objects = clean();
  const route = find(objects, 'HTTPRoute', 'shop');
  route.spec.rules[0].backendRefs[0] = { group: '', kind: 'Service', name: 'shop', port: 9898 };
  expect(messages(objects)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^HTTPRoute\/shop: rules\[0\] mixes Service shop with the fallback Backend: .*split by weight/)]),
  );
});

test('without a health check or a next-priority retry the fallback is refused', () => {
  const objects = clean();
  const btp = find(objects, 'BackendTrafficPolicy', 'shop');
  delete btp.spec.healthCheck;
  delete btp.spec.retry.numAttemptsPerPriority;
  expect(messages(objects)).toEqual([
    expect.stringMatching(/^HTTPRoute\/shop: no BackendTrafficPolicy health-checks rules\[0\]'s backends/),
    expect.stringMatching(/^HTTPRoute\/shop: no BackendTrafficPolicy retries rules\[0\] on the next priority/),
  ]);
});

test('rule 9 accepts the Backend pair only while the fallback is the interceptor', () => {
  expect(httpScaledRoutesThroughInterceptor(clean())).toEqual([]);
  const objects = clean();
  find(objects, 'Backend', 'shop-interceptor').spec.fallback = false;
  expect(httpScaledRoutesThroughInterceptor(objects).map((v) => v.message)).toEqual(
    expect.arrayContaining([expect.stringMatching(/to Backend tenant-shop\/shop-direct, not to the interceptor/)]),
  );
});
