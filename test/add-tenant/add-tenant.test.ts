/**
 * `tenantscale add-tenant`: the entry lands after the last tenant with the rest of the file kept
 * byte for byte; names and hosts in use are refused naming the other tenant; the whole resulting
 * list is validated; nothing is written on error.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addTenantToText, runAddTenant } from '../../cli/commands/add-tenant';
import { validateTenantsText } from '../../tenants/validate';
import { captureOutput, EXAMPLE } from '../plan/git-fixture';

function added(text: string, tenant: Parameters<typeof addTenantToText>[1]): string {
  const result = addTenantToText(text, tenant);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.text;
}

describe('addTenantToText', () => {
  test('appends after the last entry; every other byte of the file (comments, flow maps, quotes) is kept', () => {
    const text = added(EXAMPLE, { name: 'carol', hosts: ['carol.tenants.example.com'] });
    expect(text.startsWith(EXAMPLE)).toBe(true);
    // The example separates entries with a blank line and writes hosts in flow style: so does the new entry.
    expect(text.slice(EXAMPLE.length)).toBe('\n  - name: carol\n    hosts: [carol.tenants.example.com]\n');
    expect(text).toContain('# A stateful AI-employee runtime');
    expect(text).toContain('limits: { cpu: "1", memory: 1Gi }');
    const names = validateTenantsText(text).tenants.map((t) => t.name);
    expect(names).toEqual(['ahmed', 'fatima', 'openclaw', 'carol']);
  });

  test('several hosts and an image; the resolved tenant takes the rest from defaults', () => {
    const result = addTenantToText(EXAMPLE, { name: 'dora', hosts: ['dora.example.com', 'www.dora.example.com'], image: 'ghcr.io/acme/app:1.4.2' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.text.slice(EXAMPLE.length)).toBe('\n  - name: dora\n    hosts: [dora.example.com, www.dora.example.com]\n    image: ghcr.io/acme/app:1.4.2\n');
    expect(result.tenant).toMatchObject({ name: 'dora', image: 'ghcr.io/acme/app:1.4.2', port: 9898, scaling: { min: 0, max: 3, scaledownPeriod: 600 } });
  });

  test('follows the file\'s own layout: block-style hosts stay block style, no blank lines, a different indent, padded flow lists, CRLF', () => {
    const block = 'defaults:\n  image: a/b:1.0.0\n  port: 8080\n  probes: { readiness: /r, liveness: /l }\n  resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 200m, memory: 128Mi } }\n  scaling: { max: 2, metric: { concurrency: { target: 5 } } }\ntenants:\n- name: one\n  hosts:\n  - one.example.com\n';
    expect(added(block, { name: 'two', hosts: ['two.example.com'] })).toBe(`${block}- name: two\n  hosts:\n    - two.example.com\n`);
    const padded = block.replace('  hosts:\n  - one.example.com\n', '  hosts: [ one.example.com ]\n');
    expect(added(padded, { name: 'two', hosts: ['two.example.com'] })).toBe(`${padded}- name: two\n  hosts: [ two.example.com ]\n`);
    const crlf = padded.replace(/\n/g, '\r\n');
    expect(added(crlf, { name: 'two', hosts: ['two.example.com'] })).toBe(`${crlf}- name: two\r\n  hosts: [ two.example.com ]\r\n`);
  });

  test('a file without a trailing newline, and trailing comments after the last entry, stay intact', () => {
    const noNewline = EXAMPLE.trimEnd();
    const text = added(noNewline, { name: 'carol', hosts: ['carol.example.com'] });
    expect(text).toBe(`${noNewline}\n\n  - name: carol\n    hosts: [carol.example.com]\n`);
    const trailing = `${EXAMPLE}  # - name: retired\n  #   hosts: [retired.example.com]\n`;
    const withComment = added(trailing, { name: 'carol', hosts: ['carol.example.com'] });
    expect(withComment).toContain('# - name: retired');
    expect(validateTenantsText(withComment).tenants.map((t) => t.name)).toContain('carol');
  });

  test('an empty `tenants:` list gets its first entry', () => {
    const empty = 'defaults:\n  image: a/b:1.0.0\n  port: 8080\n  probes: { readiness: /r, liveness: /l }\n  resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 200m, memory: 128Mi } }\n  scaling: { max: 2, metric: { concurrency: { target: 5 } } }\ntenants: []\n';
    const text = added(empty, { name: 'first', hosts: ['first.example.com'] });
    expect(validateTenantsText(text).tenants.map((t) => t.name)).toEqual(['first']);
    expect(text).toContain('  - name: first\n    hosts: [ first.example.com ]\n');
  });

  test('refuses a name in use, naming the entry', () => {
    const result = addTenantToText(EXAMPLE, { name: 'fatima', hosts: ['new.example.com'] });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          tenant: 'fatima',
          field: 'name',
          value: 'fatima',
          message: 'the name is already used by tenant entry #2 ("fatima"); it would write the same namespace tenant-fatima',
          allowed: 'a name no other tenant uses',
          fix: 'choose another name, or edit the existing "fatima" entry instead',
        },
      ],
    });
  });

  test('refuses a host in use (case-insensitively), naming the tenant that has it', () => {
    const result = addTenantToText(EXAMPLE, { name: 'carol', hosts: ['carol.example.com', 'Assistant.Fatima.Example.org'] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      tenant: 'carol',
      field: 'hosts',
      value: 'Assistant.Fatima.Example.org',
      message: 'host already routed to tenant "fatima"',
      fix: 'use another host, or remove Assistant.Fatima.Example.org from "fatima" first',
    });
  });

  test('validates the whole resulting list: a bad name, host or image is refused with the schema\'s hint', () => {
    const badImage = addTenantToText(EXAMPLE, { name: 'carol', hosts: ['carol.example.com'], image: 'nginx:latest' });
    expect(badImage.ok).toBe(false);
    if (!badImage.ok) expect(badImage.problems.map((p) => `${p.tenant} ${p.field}`)).toEqual(['carol image']);
    const badHost = addTenantToText(EXAMPLE, { name: 'carol', hosts: ['https://carol.example.com'] });
    expect(badHost.ok).toBe(false);
    if (!badHost.ok) expect(badHost.problems[0]).toMatchObject({ tenant: 'carol', field: 'hosts.0', fix: 'write the bare hostname, e.g. "ahmed.example.com"' });
    const badName = addTenantToText(EXAMPLE, { name: 'Carol', hosts: ['carol.example.com'] });
    expect(badName.ok).toBe(false);
    if (!badName.ok) expect(badName.problems[0]).toMatchObject({ tenant: 'Carol', field: 'name' });
  });

  test('no image and no defaults.image: refused with a fix', () => {
    const noDefaultImage = EXAMPLE.replace('  image: ghcr.io/stefanprodan/podinfo:6.7.1\n', '').replace('    hosts: [ahmed.tenants.example.com]\n', '    hosts: [ahmed.tenants.example.com]\n    image: ghcr.io/stefanprodan/podinfo:6.7.1\n');
    const withImages = noDefaultImage
      .replace('    hosts: [fatima.tenants.example.com, assistant.fatima.example.org]\n', '    hosts: [fatima.tenants.example.com, assistant.fatima.example.org]\n    image: ghcr.io/stefanprodan/podinfo:6.7.1\n')
      .replace('    hosts: [openclaw.tenants.example.com]\n', '    hosts: [openclaw.tenants.example.com]\n    image: ghcr.io/stefanprodan/podinfo:6.7.1\n');
    expect(validateTenantsText(withImages).problems).toEqual([]);
    const result = addTenantToText(withImages, { name: 'carol', hosts: ['carol.example.com'] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ tenant: 'carol', field: 'image' });
  });

  test('invalid YAML is refused before anything else', () => {
    const result = addTenantToText('tenants: [\n', { name: 'carol', hosts: ['carol.example.com'] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0].message).toMatch(/^the tenants file is not valid YAML/);
  });
});

describe('addTenantToText: wildcard hosts and hostile files', () => {
  test('refuses a wildcard that covers another tenant\'s host, naming that tenant; an unrelated wildcard is added', () => {
    // A wildcard needs tls: false (tenants/rules/tls.ts): --no-tls.
    const result = addTenantToText(EXAMPLE, { name: 'catchall', hosts: ['*.tenants.example.com'], tls: false });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.tenant)).toEqual(['catchall', 'catchall', 'catchall']);
    expect(problems[0]).toMatchObject({ field: 'hosts', value: '*.tenants.example.com' });
    expect(problems[0].message).toBe('"*.tenants.example.com" covers "ahmed.tenants.example.com" of tenant "ahmed"; the Gateway and the interceptor route the exact host to "ahmed", so the two tenants split that traffic');
    const wild = addTenantToText(EXAMPLE, { name: 'catchall', hosts: ['*.catchall.example.com'], tls: false });
    expect(wild.ok && wild.text.endsWith('  - name: catchall\n    hosts: ["*.catchall.example.com"]\n    tls: false\n')).toBe(true);
    // With tls on (the default) the wildcard is refused, with the fix.
    const refused = addTenantToText(EXAMPLE, { name: 'catchall', hosts: ['*.catchall.example.com'] });
    expect(refused.ok ? [] : refused.problems.map((p) => p.fix)).toEqual(['list the exact names under catchall.example.com this tenant serves (at most 16 hosts), or set tls: false for this tenant']);
  });

  test('refuses an exact host under another tenant\'s wildcard', () => {
    const withWildcard = added(EXAMPLE, { name: 'wild', hosts: ['*.wild.example.com'], tls: false });
    const result = addTenantToText(withWildcard, { name: 'login', hosts: ['login.wild.example.com'] });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems[0]).toMatchObject({ tenant: 'login', field: 'hosts', value: 'login.wild.example.com', fix: 'use a host outside wild.example.com, or narrow the wildcard of "wild" first' });
    expect(addTenantToText(withWildcard, { name: 'login', hosts: ['login.example.com'] }).ok).toBe(true);
  });

  test('an alias bomb in the file is refused with one short problem, before the file is edited', () => {
    const levels = ['  x0: &a0 [lol]', ...Array.from({ length: 9 }, (_, i) => `  x${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(',')}]`)];
    const bomb = `${EXAMPLE}bomb:\n${levels.join('\n')}\n`;
    const result = addTenantToText(bomb, { name: 'carol', hosts: ['carol.example.com'] });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([expect.objectContaining({ tenant: 'file', message: expect.stringMatching(/alias bomb/) })]);
  });
});

describe('runAddTenant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-add-tenant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('writes the file and reports the tenant; exit 0', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, EXAMPLE);
    const out = captureOutput();
    expect(runAddTenant('carol', { host: ['carol.example.com'], tenants: file }, out)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${EXAMPLE}\n  - name: carol\n    hosts: [carol.example.com]\n`);
    expect(out.stdout[0]).toContain('added tenant carol');
    expect(out.stdout[0]).toContain('namespace tenant-carol, hosts carol.example.com, image ghcr.io/stefanprodan/podinfo:6.7.1, 0-3 replicas');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('on a refusal nothing is written and every problem is printed; exit 1', () => {
    const file = join(dir, 'refused.yaml');
    writeFileSync(file, EXAMPLE);
    const out = captureOutput();
    expect(runAddTenant('ahmed', { host: ['fatima.tenants.example.com'], tenants: file }, out)).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    const err = out.stderr.join('\n');
    expect(err).toContain('2 problems; nothing was written');
    expect(err).toContain('the name is already used by tenant entry #1 ("ahmed")');
    expect(err).toContain('host already routed to tenant "fatima"');
  });

  test('--dry-run prints the resulting file and writes nothing', () => {
    const file = join(dir, 'dry.yaml');
    writeFileSync(file, EXAMPLE);
    const out = captureOutput();
    expect(runAddTenant('carol', { host: ['carol.example.com'], tenants: file, dryRun: true }, out)).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(EXAMPLE);
    expect(`${out.stdout.join('\n')}\n`).toBe(`${EXAMPLE}\n  - name: carol\n    hosts: [carol.example.com]\n`);
  });

  test('a missing file: exit 1 naming the file', () => {
    const out = captureOutput();
    expect(runAddTenant('carol', { host: ['carol.example.com'], tenants: join(dir, 'missing.yaml') }, out)).toBe(1);
    expect(out.stderr.join('\n')).toContain('the tenants file does not exist');
  });
});
