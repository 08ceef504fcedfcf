/** The entry and route timeout facts of tenants/entry-route.ts, which the constructs' plan and validation both read. */
import { entryRouteTimeoutSeconds, kindEntryBackend, ROUTE_TIMEOUT_MARGIN_SECONDS } from '../../tenants/entry-route';

describe('kindEntryBackend', () => {
  test('http and stateful tenants are reached through the interceptor', () => {
    expect(kindEntryBackend('http', { hosts: ['a.example.com'] })).toBe('interceptor');
    expect(kindEntryBackend('stateful', { hosts: ['a.example.com'] })).toBe('interceptor');
  });
  test('a service with hosts is routed straight to its Service; without hosts it has no route', () => {
    expect(kindEntryBackend('service', { hosts: ['api.example.com'] })).toBe('service');
    expect(kindEntryBackend('service', { hosts: [] })).toBeUndefined();
  });
  test('queue and scheduled tenants have no route, hosts or not', () => {
    expect(kindEntryBackend('queue', { hosts: ['q.example.com'] })).toBeUndefined();
    expect(kindEntryBackend('scheduled', { hosts: [] })).toBeUndefined();
  });
});

test('entryRouteTimeoutSeconds: the interceptor route adds the cold-start budget, the service route does not', () => {
  const spec = { coldStartBudget: 120, responseTimeout: 30 };
  expect(entryRouteTimeoutSeconds(spec, 'interceptor')).toBe(120 + 30 + ROUTE_TIMEOUT_MARGIN_SECONDS);
  expect(entryRouteTimeoutSeconds(spec, 'service')).toBe(30 + ROUTE_TIMEOUT_MARGIN_SECONDS);
});
