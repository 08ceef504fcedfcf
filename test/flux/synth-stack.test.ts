import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runSynth } from '../../cli/commands/synth';
import { shardId, shardOf } from '../../constructs/platform/tenant-shards';
import { captureOutput } from '../cli/capture-output';

const FIXTURE = resolve(__dirname, '../fixtures/stacks/Pulumi.flux.yaml');
const TENANTS = resolve(__dirname, '../fixtures/example/tenants/tenants.yaml');

describe('tenantscale synth --stack', () => {
  test('flux stack: tenant files as before, one kustomization per shard listing its tenants, the gate\'s, and the Flux objects', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-flux-')), 'dist');
    const log = captureOutput();
    expect(await runSynth({ out, stack: FIXTURE }, log)).toBe(0);
    expect(readdirSync(join(out, 'shards')).sort()).toEqual(['000', '001', '002', '003', 'ready']);
    for (const name of ['ahmed', 'fatima', 'openclaw']) {
      expect(readFileSync(join(out, 'shards', shardId(shardOf(name, 4)), 'kustomization.yaml'), 'utf8')).toContain(`  - ../../tenants/${name}.yaml\n`);
      expect(existsSync(join(out, 'tenants', `${name}.yaml`))).toBe(true);
    }
    const delivery = parseAllDocuments(readFileSync(join(out, 'flux', 'delivery.yaml'), 'utf8')).map((d) => d.toJS());
    expect(delivery.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'FluxInstance/flux',
      'OCIRepository/tenantscale-tenants',
      'Kustomization/tenantscale-platform-ready',
      'Kustomization/tenantscale-shard-000',
      'Kustomization/tenantscale-shard-001',
      'Kustomization/tenantscale-shard-002',
      'Kustomization/tenantscale-shard-003',
    ]);
    // doks + a DOCR URL: the stack creates the pull Secret, the source names it.
    expect(delivery[1].spec.secretRef).toEqual({ name: 'tenantscale-artifact-pull' });
    expect(log.stdout.at(-1)).toMatch(/^ {2}flux \(stack flux\): 4 shard kustomizations → .*\/shards\/, Flux objects → .*\/flux\/delivery\.yaml$/);
  });

  test('a later synth without a flux stack removes the shards and Flux objects it wrote', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-flux-')), 'dist');
    await runSynth({ out, stack: FIXTURE }, captureOutput());
    expect(await runSynth({ tenants: TENANTS, out }, captureOutput())).toBe(0);
    expect(existsSync(join(out, 'shards'))).toBe(false);
    expect(existsSync(join(out, 'flux'))).toBe(false);
    expect(existsSync(join(out, 'tenants', 'ahmed.yaml'))).toBe(true);
  });

  test('--kustomize with a flux stack is refused and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-flux-')), 'dist');
    const log = captureOutput();
    expect(await runSynth({ out, stack: FIXTURE, kustomize: true }, log)).toBe(1);
    expect(log.stderr[0]).toMatch(/^✗ --kustomize with flux stack flux: Flux applies the shards' kustomizations/);
    expect(existsSync(out)).toBe(false);
  });

  test('two stacks splitting the list: each synthesizes only the tenants its selector picks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-stacks-'));
    writeFileSync(
      join(dir, 'tenants.yaml'),
      [
        'defaults:',
        '  image: ghcr.io/stefanprodan/podinfo:6.7.1',
        '  port: 9898',
        '  probes: { readiness: /readyz, liveness: /healthz }',
        '  resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 500m, memory: 512Mi } }',
        '  scaling: { min: 0, max: 3, scaledownPeriod: 600, metric: { requestRate: { target: 10, window: 1m, granularity: 1s } } }',
        '  coldStartBudget: 60',
        'tenants:',
        '  - { name: anna, hosts: [anna.example.com], labels: { region: eu } }',
        '  - { name: bob, hosts: [bob.example.com], labels: { region: us } }',
        '',
      ].join('\n'),
    );
    const stack = (region: string) => `config:\n  tenantscale:clusterMode: kubeconfig\n  tenantscale:tenantsFile: tenants.yaml\n  tenantscale:tenantSelector:\n    matchLabels: { region: ${region} }\n`;
    writeFileSync(join(dir, 'Pulumi.eu.yaml'), stack('eu'));
    writeFileSync(join(dir, 'Pulumi.us.yaml'), stack('us'));
    const eu = captureOutput();
    expect({ code: await runSynth({ out: join(dir, 'eu'), stack: join(dir, 'Pulumi.eu.yaml') }, eu), errors: eu.stderr }).toEqual({ code: 0, errors: [] });
    expect(readdirSync(join(dir, 'eu', 'tenants'))).toEqual(['anna.yaml']);
    expect(existsSync(join(dir, 'eu', 'shards'))).toBe(false);
    // A third stack without a selector overlaps both: refused, naming the tenants and stacks.
    writeFileSync(join(dir, 'Pulumi.all.yaml'), 'config:\n  tenantscale:clusterMode: kubeconfig\n  tenantscale:tenantsFile: tenants.yaml\n');
    const log = captureOutput();
    expect(await runSynth({ out: join(dir, 'us'), stack: join(dir, 'Pulumi.us.yaml') }, log)).toBe(1);
    expect(log.stderr[0]).toContain('tenant "anna" (stacks: all, eu): served by 2 stacks');
    expect(log.stderr[0]).toContain('tenant selection across stacks has 2 problems; nothing was written:');
    expect(existsSync(join(dir, 'us'))).toBe(false);
  });

  test('an unknown stack is refused with the path it looked for', async () => {
    const log = captureOutput();
    expect(await runSynth({ tenants: TENANTS, out: join(tmpdir(), 'never'), stack: 'nope' }, log)).toBe(1);
    expect(log.stderr[0]).toMatch(/^✗ --stack nope: .*Pulumi\.nope\.yaml does not exist/);
  });
});

describe('tenantscale synth --stack: the stack\'s HTTPS', () => {
  test('kubeconfig stack with its own tenant domain: local-CA issuers, the wildcard and tenant Certificates for that domain from tenantscale-ca', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-tls-'));
    const stack = join(dir, 'Pulumi.local.yaml');
    writeFileSync(
      stack,
      [
        'config:',
        '  tenantscale:clusterMode: kubeconfig',
        `  tenantscale:tenantsFile: ${TENANTS}`,
        '  tenantscale:tls:',
        '    tenantDomain: tenants.example.com',
        '  tenantscale:dnsToken:',
        '    secure: v1:AAAAnotread',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'dist');
    expect(await runSynth({ out, stack }, captureOutput())).toBe(0);
    const platform = parseAllDocuments(readFileSync(join(out, 'platform', 'platform.yaml'), 'utf8')).map((d) => d.toJS());
    expect(platform.filter((o) => o.kind === 'ClusterIssuer').map((o) => o.metadata.name)).toEqual(['tenantscale-selfsigned', 'tenantscale-ca']);
    expect(platform.find((o) => o.kind === 'Certificate' && o.metadata.name === 'tenant-wildcard').spec.issuerRef.name).toBe('tenantscale-ca');
    const fatima = parseAllDocuments(readFileSync(join(out, 'tenants', 'fatima.yaml'), 'utf8')).map((d) => d.toJS());
    expect(fatima.find((o) => o.kind === 'Certificate').spec.issuerRef.name).toBe('tenantscale-ca');
    // The encrypted DNS token is never read, never written.
    expect(readFileSync(join(out, 'platform', 'platform.yaml'), 'utf8')).not.toContain('AAAAnotread');
  });
});

describe('tenantscale synth --stack: the shared edge as pulumi up builds it', () => {
  const stackFile = (dir: string, extra: string[]) => {
    const stack = join(dir, 'Pulumi.edge.yaml');
    writeFileSync(stack, readFileSync(FIXTURE, 'utf8').replace('../example/tenants/tenants.yaml', TENANTS).replace('tenantscale:tenantDelivery: flux', 'tenantscale:tenantDelivery: pulumi') + extra.join('\n') + '\n');
    return stack;
  };

  test('doks: the load balancer idle timeout pulumi up derives (the longest route, 95 s) is on the EnvoyProxy, so `check` sees that hop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-edge-'));
    const out = join(dir, 'dist');
    expect(await runSynth({ out, stack: stackFile(dir, []) }, captureOutput())).toBe(0);
    const platform = parseAllDocuments(readFileSync(join(out, 'platform', 'platform.yaml'), 'utf8')).map((d) => d.toJS());
    const service = platform.find((o) => o.kind === 'EnvoyProxy').spec.provider.kubernetes.envoyService;
    expect(service).toMatchObject({ type: 'LoadBalancer', annotations: { 'service.beta.kubernetes.io/do-loadbalancer-http-idle-timeout-seconds': '95' } });
  });

  test('doks: a configured idle timeout below a route is refused, as pulumi up refuses it; nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-edge-'));
    const log = captureOutput();
    const stack = stackFile(dir, ['  tenantscale:gateway:', '    loadBalancer:', '      httpIdleTimeoutSeconds: 60']);
    expect(await runSynth({ out: join(dir, 'dist'), stack }, log)).toBe(1);
    expect(log.stderr.join('\n')).toContain('tenantscale:gateway.loadBalancer.httpIdleTimeoutSeconds = 60');
    // synth never deploys: its refusal says nothing was written (pulumi up's says nothing was deployed).
    expect(log.stderr.join('\n')).toContain('stack configuration has 1 problem; nothing was written');
    expect(log.stderr.join('\n')).not.toContain('deployed');
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });
});

describe('synth --tenants beside --stack (issue 21 item 4)', () => {
  test('another list than the stack\'s is refused, naming both files; nothing written', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-both-')), 'dist');
    const log = captureOutput();
    expect(await runSynth({ tenants: resolve(__dirname, '../fixtures/team/tenants/tenants.yaml'), out, stack: FIXTURE }, log)).toBe(1);
    expect(log.stderr[0]).toMatch(/^✗ --tenants .*fixtures\/team\/tenants\/tenants\.yaml with --stack flux: the stack serves .*fixtures\/example\/tenants\/tenants\.yaml \(tenantscale:tenantsFile of .*Pulumi\.flux\.yaml\)/);
    expect(log.stderr[0]).toContain('fix: drop --tenants, or set tenantscale:tenantsFile in the stack file; nothing was written');
    expect(existsSync(out)).toBe(false);
  });

  test('--tenants naming the stack\'s own list is accepted', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'synth-both-')), 'dist');
    expect(await runSynth({ tenants: TENANTS, out, stack: FIXTURE }, captureOutput())).toBe(0);
    expect(existsSync(join(out, 'tenants', 'ahmed.yaml'))).toBe(true);
  });
});

describe('dev, staging and prod stacks in one repository (issue 21 item 5)', () => {
  const team = resolve(__dirname, '../fixtures/team');
  /** A project with the team's list and a prod stack, plus `files`. */
  const repo = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-envs-'));
    writeFileSync(join(dir, 'Pulumi.prod.yaml'), readFileSync(join(team, 'Pulumi.prod.yaml'), 'utf8'));
    for (const [f, text] of Object.entries({ 'tenants/tenants.yaml': readFileSync(join(team, 'tenants', 'tenants.yaml'), 'utf8'), ...files })) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    return dir;
  };
  const devStack = (extra: string) => readFileSync(join(team, 'Pulumi.prod.yaml'), 'utf8').replace('clusterName: acme-prod', 'clusterName: acme-dev').replace('name: acme-prod-gateway', 'name: acme-dev-gateway') + extra;

  test('a dev stack serving the same list, without environments, is refused as before: each tenant on one cluster of an environment', async () => {
    const dir = repo({ 'Pulumi.dev.yaml': devStack('') });
    const log = captureOutput();
    expect(await runSynth({ out: join(dir, 'dist'), stack: join(dir, 'Pulumi.prod.yaml') }, log)).toBe(1);
    expect(log.stderr[0]).toContain('tenant "acme-web" (stacks: dev, prod): served by 2 stacks of environment "default"');
    expect(log.stderr[0]).toContain('give each stack its own tenantscale:environment (docs/environments.md)');
  });

  test('with tenantscale:environment dev and prod, both stacks synthesize every tenant', async () => {
    const dir = repo({ 'Pulumi.dev.yaml': devStack('  tenantscale:environment: dev\n') });
    writeFileSync(join(dir, 'Pulumi.prod.yaml'), readFileSync(join(dir, 'Pulumi.prod.yaml'), 'utf8') + '  tenantscale:environment: prod\n');
    for (const stack of ['dev', 'prod']) {
      const log = captureOutput();
      expect({ stack, code: await runSynth({ out: join(dir, stack), stack: join(dir, `Pulumi.${stack}.yaml`) }, log), errors: log.stderr }).toEqual({ stack, code: 0, errors: [] });
      expect(readdirSync(join(dir, stack, 'tenants'))).toHaveLength(10);
    }
  });

  test('each environment with its own list (tenants/dev.yaml): the same tenant names, no environment key needed', async () => {
    const dev = readFileSync(join(team, 'tenants', 'tenants.yaml'), 'utf8').replaceAll('.apps.acme-cloud.io', '.dev.acme-cloud.io');
    const dir = repo({ 'tenants/dev.yaml': dev, 'Pulumi.dev.yaml': devStack('').replace('tenantsFile: tenants/tenants.yaml', 'tenantsFile: tenants/dev.yaml').replace('tenantDomain: apps.acme-cloud.io', 'tenantDomain: dev.acme-cloud.io') });
    const log = captureOutput();
    expect({ code: await runSynth({ out: join(dir, 'dev'), stack: join(dir, 'Pulumi.dev.yaml') }, log), errors: log.stderr }).toEqual({ code: 0, errors: [] });
    expect(readFileSync(join(dir, 'dev', 'tenants', 'acme-web.yaml'), 'utf8')).toContain('web.dev.acme-cloud.io');
    expect(await runSynth({ out: join(dir, 'prod'), stack: join(dir, 'Pulumi.prod.yaml') }, captureOutput())).toBe(0);
  });

  test('within one environment the partition still holds: two prod stacks serving one tenant are refused', async () => {
    const dir = repo({ 'Pulumi.prod2.yaml': devStack('  tenantscale:environment: prod\n') });
    writeFileSync(join(dir, 'Pulumi.prod.yaml'), readFileSync(join(dir, 'Pulumi.prod.yaml'), 'utf8') + '  tenantscale:environment: prod\n');
    const log = captureOutput();
    expect(await runSynth({ out: join(dir, 'dist'), stack: join(dir, 'Pulumi.prod.yaml') }, log)).toBe(1);
    expect(log.stderr[0]).toContain('served by 2 stacks of environment "prod"');
  });

  test('an environment that is not a DNS label is refused, naming the file and key', async () => {
    const dir = repo({ 'Pulumi.dev.yaml': devStack('  tenantscale:environment: Dev_1\n') });
    const log = captureOutput();
    expect(await runSynth({ out: join(dir, 'dist'), stack: join(dir, 'Pulumi.prod.yaml') }, log)).toBe(1);
    expect(log.stderr.join('\n')).toContain('Pulumi.dev.yaml: tenantscale:environment = "Dev_1"; allowed: a DNS label such as dev, staging or prod');
  });
});
