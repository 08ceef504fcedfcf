/**
 * `command` and `args` of the app container: one failing and one passing case per rule, and the
 * Deployment they produce.
 */
import { tenantManifests } from '../../constructs/manifests';
import { Problem } from '../../tenants/problem';
import { validateTenantsDocument, validateTenantsText } from '../../tenants/validate';

const DEFAULTS = {
  image: 'ghcr.io/acme/invoices:2.3.0',
  port: 8080,
  probes: { readiness: '/readyz', liveness: '/healthz' },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  scaling: { max: 3, metric: { requestRate: { target: 10 } } },
};

function problems(tenant: Record<string, unknown>): Problem[] {
  return validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'invoices', hosts: ['invoices.example.com'], ...tenant }] }).problems;
}

function only(tenant: Record<string, unknown>): Problem {
  const ps = problems(tenant);
  expect(ps.map((p) => `${p.field}: ${p.message}`)).toHaveLength(1);
  for (const part of [ps[0].tenant, ps[0].field, ps[0].message, ps[0].allowed, ps[0].fix]) expect(part).toBeTruthy();
  return ps[0];
}

describe('command and args', () => {
  test('lists of strings pass and reach the app container unchanged', () => {
    const { tenants, problems: ps } = validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'invoices', hosts: ['invoices.example.com'], command: ['python', '-m', 'worker'], args: ['--queue', 'invoices', '--concurrency', '4'] }] });
    expect(ps).toEqual([]);
    const deployment = tenantManifests(tenants[0]).find((m) => m.kind === 'Deployment') as any;
    const [app] = deployment.spec.template.spec.containers;
    expect(app.command).toEqual(['python', '-m', 'worker']);
    expect(app.args).toEqual(['--queue', 'invoices', '--concurrency', '4']);
  });

  test('unset or empty lists write no command or args (the image ENTRYPOINT and CMD)', () => {
    for (const extra of [{}, { command: [], args: [] }]) {
      const { tenants } = validateTenantsDocument({ defaults: DEFAULTS, tenants: [{ name: 'a', hosts: ['a.example.com'], ...extra }] });
      const [app] = (tenantManifests(tenants[0]).find((m) => m.kind === 'Deployment') as any).spec.template.spec.containers;
      expect(app).not.toHaveProperty('command');
      expect(app).not.toHaveProperty('args');
    }
  });

  test('a tenant\'s list replaces the defaults\' list whole; [] clears it', () => {
    const doc = { defaults: { ...DEFAULTS, command: ['python', '-m', 'web'] }, tenants: [{ name: 'w', hosts: ['w.example.com'], command: ['python', '-m', 'worker'] }, { name: 'e', hosts: ['e.example.com'], command: [] }, { name: 'd', hosts: ['d.example.com'] }] };
    expect(validateTenantsDocument(doc).tenants.map((t) => t.command)).toEqual([['python', '-m', 'worker'], [], ['python', '-m', 'web']]);
  });

  test('a single string is refused with the list form (no shell splits it)', () => {
    const p = only({ command: 'python -m worker' });
    expect(p).toMatchObject({ tenant: 'invoices', field: 'command', value: 'python -m worker', allowed: 'a list of strings, one entry per argument' });
    expect(p.message).toMatch(/Kubernetes runs no shell/);
    expect(p.fix).toBe('write it as a list: command: [python, -m, worker]');
  });

  test('a single string with shell syntax points at sh -c', () => {
    expect(only({ command: 'worker && sleep 1' }).fix).toMatch(/\[sh, -c, "<line>"\]/);
  });

  test('a YAML number is refused with the text as written, quoted; the quoted form passes', () => {
    const text = (value: string) =>
      `defaults:\n  image: ghcr.io/acme/invoices:2.3.0\n  port: 8080\n  probes: {readiness: /readyz, liveness: /healthz}\n  resources:\n    requests: {cpu: 100m, memory: 128Mi}\n    limits: {cpu: 500m, memory: 512Mi}\n  scaling: {max: 3, metric: {requestRate: {target: 10}}}\ntenants:\n  - name: invoices\n    hosts: [invoices.example.com]\n    args: [--python-version, ${value}]\n`;
    const ps = validateTenantsText(text('3.10')).problems;
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ tenant: 'invoices', field: 'args.1', value: '3.10', allowed: 'a string (quote numbers and booleans)', fix: 'quote it: "3.10"', line: 12 });
    expect(ps[0].message).toBe('YAML reads this as a number, not text; the process would get "3.1" instead of "3.10"');
    expect(validateTenantsText(text('"3.10"')).problems).toEqual([]);
  });

  test('a boolean entry is refused', () => {
    expect(only({ args: ['--verbose', true] })).toMatchObject({ field: 'args.1', message: 'YAML reads this as a boolean, not text; the process would get "true"' });
  });

  test('a NUL character is refused; other control characters pass', () => {
    const p = only({ args: ['a\u0000b'] });
    expect(p).toMatchObject({ field: 'args.0', allowed: 'strings without NUL characters' });
    expect(p.message).toMatch(/NUL character/);
    expect(problems({ args: ['tab\there', 'line\nbreak', 'bell\u0007'] })).toEqual([]);
  });

  test('more than 64 entries are refused; 64 pass', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `--flag-${i}`);
    expect(only({ args: list(65) })).toMatchObject({ field: 'args', message: 'too many entries', allowed: 'a list of at most 64 strings of at most 1024 characters each (quote numbers and booleans)' });
    expect(problems({ args: list(64) })).toEqual([]);
  });

  test('an entry over 1,024 characters is refused; 1,024 pass', () => {
    expect(only({ command: ['x'.repeat(1025)] })).toMatchObject({ field: 'command.0', message: 'too long' });
    expect(problems({ command: ['x'.repeat(1024)] })).toEqual([]);
  });

  test('the size bound counts encoded bytes: 128 entries of 1,024 "€" (3 bytes each) or "<" (6 bytes as \\u003c) are refused', () => {
    for (const char of ['€', '<']) {
      const list = Array.from({ length: 64 }, () => char.repeat(1024));
      const p = only({ command: list, args: list });
      expect(p).toMatchObject({ tenant: 'invoices', field: 'command', value: `64 entries, about ${char === '€' ? 389 : 773} KiB` });
      expect(p.message).toMatch(new RegExp(`the tenant's Deployment would be about ${char === '€' ? 389 : 773} KiB; objects over 256 KiB fail`));
    }
  });

  test('128 entries of 1,024 ASCII characters stay under the bound and pass', () => {
    const list = Array.from({ length: 64 }, () => 'x'.repeat(1024));
    expect(problems({ command: list, args: list })).toEqual([]);
  });

  test('command and args count toward the Deployment size bound', () => {
    const big = Array.from({ length: 60 }, () => 'y'.repeat(1000));
    const env = Object.fromEntries(Array.from({ length: 140 }, (_, i) => [`V${i}`, 'z'.repeat(1000)]));
    expect(problems({ env })).toEqual([]);
    const p = only({ env, command: big, args: big });
    expect(p.message).toMatch(/the tenant's Deployment would be about \d+ KiB/);
  });
});
