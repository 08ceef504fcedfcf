/**
 * Issue 21 item 2: offline synth, plan and explain without --stack build for the built-in
 * platform; when a stack of the project deploys another (its own tenant domain, its load
 * balancer), they refuse or warn loudly, and --stack builds what pulumi up applies.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runSynth } from '../../cli/commands/synth';
import { runPlan } from '../../cli/commands/plan';
import { runExplain } from '../../cli/commands/explain';
import { platformDrift, stackDrift } from '../../cli/platform-drift';
import { captureOutput } from './capture-output';

const TEAM = resolve(__dirname, '../fixtures/team');
const EXAMPLE = resolve(__dirname, '../fixtures/example');

/** A copy of a fixture project, run from inside it (the commands read ./Pulumi.*.yaml). */
async function inProject(fixture: string, body: (dir: string) => unknown): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-drift-'));
  cpSync(fixture, dir, { recursive: true });
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await body(dir);
  } finally {
    process.chdir(cwd);
  }
}

describe('stackDrift: how the built-in platform differs from a stack', () => {
  test('another tenant domain refuses; the load balancer, monitoring off and tainted pools warn', () => {
    const d = stackDrift(
      {
        'tenantscale:tls': { tenantDomain: 'apps.acme-cloud.io' },
        'tenantscale:monitoring': { enabled: false },
        'tenantscale:nodePools': [{ name: 'default' }, { name: 'gpu', taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] }],
      },
      [{ nodePool: 'gpu' }, { nodePool: undefined }],
    );
    expect(d.refuse).toEqual([expect.stringMatching(/^tenant domain apps\.acme-cloud\.io \(built-in: tenants\.example\.com; every tenant host would get its own HTTP-01 certificate/)]);
    expect(d.differs).toEqual([
      expect.stringMatching(/^the DigitalOcean load balancer of the Gateway \(name, size, the idle timeout pulumi up sets/),
      'monitoring off: no ServiceMonitors (built-in: written)',
      '1 tenant on tainted pools (gpu): the stack writes their tolerations and checks the pools (built-in: neither)',
    ]);
  });

  test('a kubeconfig stack on the built-in domain, all defaults: one difference, no refusal', () => {
    expect(stackDrift({ 'tenantscale:clusterMode': 'kubeconfig' }, [])).toEqual({ refuse: [], differs: [expect.stringMatching(/^kubeconfig mode: the local CA issuer/)] });
  });

  test('only stacks reading the same list count; a project without stacks has no drift', () => {
    expect(platformDrift(join(TEAM, 'tenants/tenants.yaml'), [], TEAM).map((d) => d.stack)).toEqual(['prod']);
    expect(platformDrift(join(TEAM, 'other.yaml'), [], TEAM)).toEqual([]);
    expect(platformDrift(join(TEAM, 'tenants/tenants.yaml'), [], join(TEAM, 'tenants'))).toEqual([]);
  });
});

describe('synth without --stack in a project whose stack has its own tenant domain', () => {
  test('refuses, names the stack and the fix, writes nothing', async () => {
    await inProject(TEAM, async (dir) => {
      const log = captureOutput();
      expect(await runSynth({ out: join(dir, 'dist') }, log)).toBe(1);
      expect(log.stderr[0]).toMatch(/^✗ synth without --stack builds for the built-in platform, NOT what stack prod deploys \(Pulumi\.prod\.yaml\): tenant domain apps\.acme-cloud\.io/);
      expect(log.stderr[1]).toBe('  fix: synth --stack prod (exactly what pulumi up applies), or --builtin-platform to build for the built-in platform anyway; nothing was written');
      expect(existsSync(join(dir, 'dist'))).toBe(false);
    });
  });

  test('--builtin-platform builds anyway, still warning; --stack prod builds the stack\'s wildcard and load balancer', async () => {
    await inProject(TEAM, async (dir) => {
      const log = captureOutput();
      expect(await runSynth({ out: join(dir, 'builtin'), builtinPlatform: true }, log)).toBe(0);
      expect(log.stderr[0]).toMatch(/^! synth without --stack builds for the built-in platform, NOT what stack prod deploys/);
      expect(readFileSync(join(dir, 'builtin', 'platform', 'platform.yaml'), 'utf8')).toContain('*.tenants.example.com');
      const stack = captureOutput();
      expect(await runSynth({ out: join(dir, 'prod'), stack: 'prod' }, stack)).toBe(0);
      const platform = readFileSync(join(dir, 'prod', 'platform', 'platform.yaml'), 'utf8');
      expect(platform).toContain('*.apps.acme-cloud.io');
      expect(platform).not.toContain('tenants.example.com');
      expect(platform).toContain('service.beta.kubernetes.io/do-loadbalancer-http-idle-timeout-seconds');
      // Hosts under the stack's domain share its wildcard: no tenant has its own Certificate.
      expect(readFileSync(join(dir, 'prod', 'tenants', 'acme-web.yaml'), 'utf8')).not.toContain('kind: Certificate');
      expect(readFileSync(join(dir, 'builtin', 'tenants', 'acme-web.yaml'), 'utf8')).toContain('kind: Certificate');
    });
  });

  test('the example project (its stack on the built-in domain): synth warns loudly on stderr and writes', async () => {
    await inProject(EXAMPLE, async (dir) => {
      const log = captureOutput();
      expect(await runSynth({ out: join(dir, 'dist') }, log)).toBe(0);
      expect(log.stderr).toEqual([expect.stringMatching(/^! synth without --stack builds for the built-in platform, NOT what stack dev deploys .*the DigitalOcean load balancer/), '  fix: synth --stack dev builds exactly what pulumi up applies']);
    });
  });
});

describe('plan and explain follow the same rule', () => {
  test('plan without --stack refuses in the team project; plan --stack prod says which platform it built for', async () => {
    await inProject(TEAM, (dir) => {
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'empty'], { cwd: dir });
      const refused = captureOutput();
      expect(runPlan({ cwd: dir, base: 'HEAD', cost: false }, refused)).toBe(1);
      expect(refused.stderr[0]).toMatch(/^✗ plan without --stack builds for the built-in platform, NOT what stack prod deploys/);
      expect(refused.stderr[1]).toContain('nothing was planned');
      const md = captureOutput();
      expect(runPlan({ cwd: dir, base: 'HEAD', cost: false, stack: 'prod', format: 'markdown' }, md)).toBe(0);
      expect(md.stdout.join('\n')).toContain('platform: stack prod (its Pulumi.prod.yaml: what pulumi up applies)');
      expect(md.stdout.join('\n')).not.toContain('tenants.example.com');
    });
  });

  test('explain --stack prod uses the stack\'s tenant domain and load balancer; without it, refused', async () => {
    await inProject(TEAM, () => {
      const refused = captureOutput();
      expect(runExplain('acme-web', { format: 'text' }, refused)).toBe(1);
      expect(refused.stderr[0]).toMatch(/^✗ explain without --stack/);
      const out = captureOutput();
      expect(runExplain('acme-web', { format: 'json', stack: 'prod' }, out)).toBe(0);
      const e = JSON.parse(out.stdout.join('\n'));
      expect(JSON.stringify(e.objects)).not.toContain('Certificate');
      expect(e.coldStartChain.at(-1).source).toContain('the load balancer of stack prod as pulumi up sets it');
    });
  });
});

test('a stack file that does not parse is a difference, not a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-drift-'));
  writeFileSync(join(dir, 'Pulumi.bad.yaml'), 'config: [unclosed\n');
  expect(platformDrift(join(dir, 'tenants/tenants.yaml'), [], dir)).toEqual([{ stack: 'bad', refuse: [], differs: [expect.stringMatching(/^Pulumi\.bad\.yaml could not be read/)] }]);
});
