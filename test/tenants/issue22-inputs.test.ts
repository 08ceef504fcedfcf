/**
 * Issue 22 items 8-10 on the tenant list: placeholders that lie, false credential rejections,
 * probe query strings, overnight warm windows and messages that say what is wrong. Each rule has a
 * failing and a passing case.
 */
import { stringify } from 'yaml';
import { parseCronOrReason } from '../../core/cron';
import { credentialReason } from '../../tenants/rules/env';
import { validateTenantsText } from '../../tenants/validate';
import { warmTrigger } from '../../constructs/triggers/cron';

const DEFAULTS = {
  image: 'ghcr.io/stefanprodan/podinfo:6.7.1',
  port: 9898,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } },
};

function problems(tenant: Record<string, unknown>) {
  return validateTenantsText(stringify({ defaults: DEFAULTS, tenants: [{ name: 'ahmed', hosts: ['ahmed.example.com'], ...tenant }] })).problems;
}
const placeholder = (p: Record<string, unknown>) => problems({ coldStart: { placeholder: p } });

describe('item 8: the placeholder status must make the client come back', () => {
  test('200 is refused as a success the sender records as delivered; allowStatusCode: 200 accepts it', () => {
    const [p, ...rest] = placeholder({ statusCode: 200 });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ tenant: 'ahmed', field: 'coldStart.placeholder.statusCode', value: 200 });
    expect(p.message).toMatch(/^200 is a success \(RFC 9110 section 15\.3\): a webhook sender marks the event delivered/);
    expect(p.fix).toMatch(/set statusCode: 503 .*or, if clients of this tenant really expect 200, add allowStatusCode: 200/);
    expect(placeholder({ statusCode: 200, allowStatusCode: 200 })).toEqual([]);
  });

  test('101 is refused even with the override (not a final status)', () => {
    const [p] = placeholder({ statusCode: 101, allowStatusCode: 200 });
    expect(p.message).toMatch(/^101 is an interim \(1xx\) response, not a final one \(RFC 9110 section 15\.2\)/);
    expect(p.allowed).toMatch(/1xx is never allowed, with or without allowStatusCode/);
    expect(placeholder({ statusCode: 103 })[0].message).toMatch(/an implicit 200 OK/);
  });

  test('503 (default) and 429 pass; an override on them, or naming another code, is refused', () => {
    expect(placeholder({})).toEqual([]);
    expect(placeholder({ statusCode: 429, headers: { 'Retry-After': '10' } })).toEqual([]);
    expect(placeholder({ statusCode: 503, allowStatusCode: 503 })[0]).toMatchObject({ field: 'coldStart.placeholder.allowStatusCode', fix: 'remove allowStatusCode' });
    expect(placeholder({ statusCode: 404, allowStatusCode: 200 })[0]).toMatchObject({ field: 'coldStart.placeholder.allowStatusCode', value: 200, fix: 'set allowStatusCode: 404, or set statusCode: 503' });
  });

  test('307 needs Location and Retry-After (any case); with both it passes', () => {
    const [p] = placeholder({ statusCode: 307, headers: { Location: 'https://ahmed.example.com/' } });
    expect(p).toMatchObject({ field: 'coldStart.placeholder.headers', allowed: '307 with both Location and Retry-After headers' });
    expect(p.message).toMatch(/^a 307 without Retry-After is no retry/);
    expect(placeholder({ statusCode: 307, headers: { location: 'https://ahmed.example.com/', 'retry-after': '5' } })).toEqual([]);
  });

  test('500 and 302 are refused with their class named', () => {
    expect(placeholder({ statusCode: 500 })[0].message).toMatch(/^500 says the server failed \(RFC 9110 section 15\.6\)/);
    expect(placeholder({ statusCode: 302 })[0].message).toMatch(/^302 is a redirect a client does not repeat as a retry/);
  });
});

describe('item 9: credentials judged by value as well as name', () => {
  test.each([
    ['DB_PASSWORD_FILE', '/run/secrets/db-password'],
    ['PASSWORD_MIN_LENGTH', '12'],
    ['SECRET_MOUNT_PATH', '/var/run/app-secrets'],
    ['TOKEN_TTL_SECONDS', '3600'],
    ['TOKEN_TIMEOUT', '15m'],
    ['API_KEY_REQUIRED', 'true'],
  ])('%s=%s describes a credential and passes', (key, value) => {
    expect(problems({ env: { [key]: value } })).toEqual([]);
  });

  test.each([
    ['DB_PASSWORD', '123456'],
    ['PASSWORD_MIN_LENGTH', 'hunter2'],
    ['DB_PASSWORD_FILE', 'correct horse battery staple'],
    ['TOKEN_TTL_SECONDS', '3600 or so'],
  ])('%s=%s still holds a credential by its name and is refused', (key, value) => {
    const [p, ...rest] = problems({ env: { [key]: value } });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ tenant: 'ahmed', field: `env.${key}`, value: '<redacted>' });
    expect(p.message).toMatch(new RegExp(`^the name ${key} says it holds a credential`));
    expect(p.fix).toMatch(new RegExp(`If it holds no credential, add ${key} to envNotSecret$`));
    expect(JSON.stringify(p)).not.toContain(value);
  });

  test('envNotSecret exempts a name, never a value shaped like a token, and must name a plain env variable', () => {
    expect(problems({ env: { PASSWORD_POLICY: 'strong' } })).toHaveLength(1);
    expect(problems({ env: { PASSWORD_POLICY: 'strong' }, envNotSecret: ['PASSWORD_POLICY'] })).toEqual([]);
    const token = `ghp_${'a'.repeat(36)}`;
    expect(credentialReason('GITHUB_TOKEN', token, { notSecret: new Set(['GITHUB_TOKEN']) })).toBe('the value looks like a GitHub token');
    const [stale] = problems({ env: { LOG_LEVEL: 'info' }, envNotSecret: ['DB_PASSWORD'] });
    expect(stale).toMatchObject({ field: 'envNotSecret.0', value: 'DB_PASSWORD', message: 'env has no variable DB_PASSWORD', fix: 'remove DB_PASSWORD from envNotSecret' });
    const [ref] = problems({ env: { DB_PASSWORD: { secret: 'db', key: 'password' } }, envNotSecret: ['DB_PASSWORD'] });
    expect(ref.message).toBe('env.DB_PASSWORD is a Secret reference, not a plain value');
  });
});

describe('item 9: probe paths with a query string', () => {
  test('/health?ready=1 passes (the kubelet keeps the query); a fragment and a bare query are refused', () => {
    expect(problems({ probes: { readiness: '/health?ready=1', liveness: '/healthz?full=true&x=%20' } })).toEqual([]);
    const [p] = problems({ probes: { readiness: '/health#ready', liveness: '/healthz' } });
    expect(p).toMatchObject({ field: 'probes.readiness', value: '/health#ready' });
    expect(p.allowed).toMatch(/optionally with a query string, e\.g\. "\/readyz" or "\/health\?ready=1" \(no fragment "#"\)/);
    expect(problems({ probes: { readiness: '?ready=1', liveness: '/healthz' } })).toHaveLength(1);
  });

  test('metrics.path (a ServiceMonitor path, without a query) still refuses one', () => {
    expect(problems({ metrics: { path: '/metrics?x=1' } })[0]).toMatchObject({ field: 'metrics.path' });
    expect(problems({ metrics: { path: '/metrics' } })).toEqual([]);
  });
});

describe('item 9: a warm window across midnight', () => {
  const window = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '18:00', to: '02:00', timezone: 'Europe/Berlin', replicas: 1 };
  test('from 18:00 to 02:00 is accepted; from = to is refused', () => {
    expect(problems({ warm: [window] })).toEqual([]);
    const [p] = problems({ warm: [{ ...window, to: '18:00' }] });
    expect(p).toMatchObject({ field: 'warm[0].to', value: '18:00' });
    expect(p.message).toMatch(/opens and closes at the same time \(18:00\)/);
  });

  test('the trigger closes on the following days (fri 18:00 → sat 02:00), a same-day window on the same days', () => {
    expect(warmTrigger(window).metadata).toEqual({ timezone: 'Europe/Berlin', start: '0 18 * * 1,2,3,4,5', end: '0 2 * * 2,3,4,5,6', desiredReplicas: '1' });
    expect(warmTrigger({ ...window, days: ['sat', 'sun'] }).metadata).toMatchObject({ start: '0 18 * * 0,6', end: '0 2 * * 0,1' });
    expect(warmTrigger({ ...window, from: '08:00', to: '18:30' }).metadata).toMatchObject({ start: '0 8 * * 1,2,3,4,5', end: '30 18 * * 1,2,3,4,5' });
  });
});

describe('item 10: messages that say what is wrong', () => {
  test('"61 2 * * *": minute 61 is out of range; a four-field expression is not five-field; "0 2 * * *" parses', () => {
    expect(parseCronOrReason('61 2 * * *')).toEqual({ reason: 'minute 61 is out of range (minute is 0-59)' });
    expect(parseCronOrReason('0 2 * *')).toEqual({ reason: 'not a five-field cron expression (it has 4 fields)' });
    expect(parseCronOrReason('0 2 1-40 * *')).toEqual({ reason: 'day-of-month 40 is out of range (day-of-month is 1-31)' });
    expect(parseCronOrReason('0 5-2 * * *')).toEqual({ reason: 'hour range 5-2 runs backwards' });
    expect(parseCronOrReason('0 2 * * *')).not.toHaveProperty('reason');
    const [p] = problems({ name: 's', kind: 'scheduled', hosts: [], scaling: { min: 0, max: 3, scaledownPeriod: 30 }, schedule: [{ start: '61 2 * * *', end: '0 4 * * *', timezone: 'UTC', replicas: 1 }] });
    expect(p).toMatchObject({ tenant: 's', field: 'schedule[0].start', value: '61 2 * * *', message: 'minute 61 is out of range (minute is 0-59)' });
  });

  test('an uppercase host: the fix says lowercase; another malformed host keeps the general fix', () => {
    const [p] = problems({ hosts: ['Ahmed.Example.com'] });
    expect(p).toMatchObject({ field: 'hosts.0', fix: 'write it in lowercase: "ahmed.example.com"' });
    expect(problems({ hosts: ['https://ahmed.example.com'] })[0].fix).toBe('write the bare hostname, e.g. "ahmed.example.com"');
  });
});
