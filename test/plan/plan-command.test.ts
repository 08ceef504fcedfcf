/**
 * `tenantscale plan` against real temporary Git repositories: a tenants file committed on main,
 * then added to, shrunk and edited on a branch. Asserts what the reviewer reads (tenant names,
 * field diff lines, warnings) and the exit codes (0 safe, 2 destructive, 1 invalid).
 */
import { Command } from 'commander';
import * as addTenantCommand from '../../cli/commands/add-tenant';
import * as planCommand from '../../cli/commands/plan';
import { runPlan } from '../../cli/commands/plan';
import { captureOutput, edit, EXAMPLE, TempRepo, TENANTS_FILE } from './git-fixture';

const IMAGE_LINE =
  'Deployment tenant-ahmed/ahmed spec.template.spec.containers[0].image: ghcr.io/stefanprodan/podinfo:6.7.1 → ghcr.io/stefanprodan/podinfo:6.7.2';
const NO_CI = { PATH: process.env.PATH } as NodeJS.ProcessEnv;

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

/** A repository with the example list committed on main and a `change` branch checked out. */
function repoOnBranch(): TempRepo {
  const repo = new TempRepo('main');
  repos.push(repo);
  repo.commit('tenants', EXAMPLE);
  repo.git('checkout', '-q', '-b', 'change');
  return repo;
}

function plan(repo: TempRepo, args: Parameters<typeof runPlan>[0] = {}) {
  const out = captureOutput();
  const code = runPlan({ cwd: repo.dir, env: NO_CI, ...args }, out);
  return { code, out, stdout: out.stdout.join('\n'), stderr: out.stderr.join('\n') };
}

describe('tenantscale plan in a temporary Git repository', () => {
  test('added, removed and changed tenants are named, with the field diff; removal exits 2', () => {
    const repo = repoOnBranch();
    repo.write(edit.addCarol(edit.lowerFatimaMax(edit.removeOpenclaw(edit.bumpAhmedImage(EXAMPLE)))));
    const { code, stdout } = plan(repo);
    expect(code).toBe(2);
    expect(stdout).toContain('1 added, 1 removed, 2 changed, 0 unchanged');
    expect(stdout).toMatch(/^\+ carol {2}\(added: 14 to create\)$/m);
    expect(stdout).toMatch(/^- openclaw {2}\(removed: 14 to delete\)$/m);
    expect(stdout).toMatch(/^~ ahmed {2}\(changed: 1 to update\)$/m);
    expect(stdout).toContain(IMAGE_LINE);
    expect(stdout).toContain('    + Deployment tenant-carol/carol');
    expect(stdout).toContain('    - Namespace tenant-openclaw');
    expect(stdout).toContain('ScaledObject tenant-fatima/fatima spec.maxReplicaCount: 5 → 3');
    expect(stdout).toContain('removing tenant "openclaw" deletes namespace tenant-openclaw and everything in it');
    expect(stdout).toContain('the Secret openclaw-whatsapp it reads (its value is not in the tenant list)');
    expect(stdout).toContain('; also ReferenceGrant keda/tenant-openclaw');
    expect(stdout).toContain('scaling.max lowered 5 → 3 (capacity reduction of 40%)');
    expect(stdout).toContain('✗ destructive change: review the warnings above (exit 2)');
  });

  test('adding a tenant only is a safe change: exit 0', () => {
    const repo = repoOnBranch();
    repo.write(edit.addCarol(EXAMPLE));
    const { code, stdout } = plan(repo);
    expect(code).toBe(0);
    expect(stdout).toContain('1 added, 0 removed, 0 changed, 3 unchanged');
    expect(stdout).toContain('+ carol');
    expect(stdout).not.toContain('Warnings');
    expect(stdout).toContain('✓ safe change (exit 0)');
  });

  test('a changed image alone is safe (exit 0) and shows the one field that changes', () => {
    const repo = repoOnBranch();
    repo.write(edit.bumpAhmedImage(EXAMPLE));
    const { code, stdout } = plan(repo);
    expect(code).toBe(0);
    expect(stdout).toContain(IMAGE_LINE);
    expect(stdout).toContain('image: ghcr.io/stefanprodan/podinfo:6.7.1 → ghcr.io/stefanprodan/podinfo:6.7.2');
    expect(stdout.match(/^ {4}~ /gm)).toHaveLength(1);
  });

  test('no change: exit 0 and says so', () => {
    const repo = repoOnBranch();
    const { code, stdout } = plan(repo);
    expect(code).toBe(0);
    expect(stdout).toContain('0 added, 0 removed, 0 changed, 3 unchanged');
    expect(stdout).toContain('Policy (new state, no added or changed tenant to check): 0 mandatory, 0 advisory');
    expect(stdout).toContain('✓ no change (exit 0)');
  });

  test('the default base is the merge base with main: commits made on main later do not show', () => {
    const repo = repoOnBranch();
    repo.git('checkout', '-q', 'main');
    repo.commit('carol on main', edit.addCarol(EXAMPLE));
    repo.git('checkout', '-q', 'change');
    repo.write(edit.bumpAhmedImage(EXAMPLE));
    const { code, stdout } = plan(repo);
    expect(code).toBe(0);
    expect(stdout).toContain('(merge base of HEAD and main)');
    expect(stdout).toContain('0 added, 0 removed, 1 changed');
    // Against main's tip instead, carol (on main only) would be removed by this branch.
    const tip = plan(repo, { base: 'main' });
    expect(tip.code).toBe(2);
    expect(tip.stdout).toContain('- carol');
  });

  test('without a main branch the base is HEAD, and the uncommitted edit is the change', () => {
    const repo = new TempRepo('trunk');
    repos.push(repo);
    repo.commit('tenants', EXAMPLE);
    repo.write(edit.removeOpenclaw(EXAMPLE));
    const { code, stdout } = plan(repo);
    expect(code).toBe(2);
    expect(stdout).toContain('HEAD (no main or master branch found)');
    expect(stdout).toContain('- openclaw');
  });

  test('on a GitHub pull request the base branch from GITHUB_BASE_REF is used (origin/<branch> or <branch>)', () => {
    const repo = new TempRepo('develop');
    repos.push(repo);
    repo.commit('tenants', EXAMPLE);
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write(edit.addCarol(EXAMPLE));
    const { stdout } = plan(repo, { env: { ...NO_CI, GITHUB_BASE_REF: 'develop' } });
    expect(stdout).toContain('(merge base of HEAD and develop)');
    expect(stdout).toContain('1 added');
  });

  test('a tenants file absent at the base: every tenant is added', () => {
    const repo = new TempRepo('main');
    repos.push(repo);
    repo.commit('empty', 'readme\n', 'README.md');
    repo.git('checkout', '-q', '-b', 'change');
    repo.write(EXAMPLE);
    const { code, stdout } = plan(repo);
    expect(code).toBe(0);
    expect(stdout).toContain('file absent there: every tenant is new');
    expect(stdout).toContain('3 added, 0 removed, 0 changed, 0 unchanged');
  });

  test('an invalid list in the working tree: exit 1, every problem with tenant, field, value, allowed and fix', () => {
    const repo = repoOnBranch();
    repo.write(EXAMPLE.replace('    hosts: [ahmed.tenants.example.com]\n', '    hosts: [ahmed.tenants.example.com]\n    port: 70000\n'));
    const { code, stdout, stderr } = plan(repo);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`✗ ${TENANTS_FILE} at working tree: 1 problem; no plan computed (exit 1)`);
    expect(stderr).toContain('tenant "ahmed" port (line 30, column 11) = 70000');
    expect(stderr).toContain('allowed: an integer from 1 to 65535');
    expect(stderr).toContain('fix:');
  });

  test('an invalid list at the base: exit 1, the problems name the base commit', () => {
    const repo = new TempRepo('main');
    repos.push(repo);
    const base = repo.commit('broken', EXAMPLE.replace('    hosts: [ahmed.tenants.example.com]\n', '    hosts: [fatima.tenants.example.com]\n'));
    repo.git('checkout', '-q', '-b', 'fix');
    repo.write(EXAMPLE);
    const { code, stderr } = plan(repo);
    expect(code).toBe(1);
    expect(stderr).toContain(`at base ${base.slice(0, 12)} (merge base of HEAD and main)`);
    expect(stderr).toContain('host already claimed by tenant "ahmed"');
  });

  test('--base naming no commit: exit 1 with a message saying what to pass', () => {
    const repo = repoOnBranch();
    const { code, stderr } = plan(repo, { base: 'no-such-branch' });
    expect(code).toBe(1);
    expect(stderr).toContain('"no-such-branch" does not name a commit in this repository');
  });

  test('--format markdown: a pull-request comment with the caution, the table and the diff block', () => {
    const repo = repoOnBranch();
    repo.write(edit.removeOpenclaw(edit.bumpAhmedImage(EXAMPLE)));
    const { code, stdout } = plan(repo, { format: 'markdown' });
    expect(code).toBe(2);
    expect(stdout.startsWith('<!-- tenantscale-plan -->\n## tenantscale plan')).toBe(true);
    expect(stdout).toContain('> [!CAUTION]');
    expect(stdout).toContain('| ➖ | `openclaw` | removed | 14 to delete |');
    expect(stdout).toContain('| ✏️ | `ahmed` | changed | 1 to update |');
    expect(stdout).toContain(`\`\`\`diff\ntenant entry (defaults merged):\n    image: ghcr.io/stefanprodan/podinfo:6.7.1 → ghcr.io/stefanprodan/podinfo:6.7.2\n~ ${IMAGE_LINE}\n\`\`\``);
    expect(stdout).toContain('🛑 **destructive** · `openclaw`');
    expect(stdout).toContain('<sub>Exit 2: destructive change');
  });

  test('--format markdown on an invalid list still prints a comment (with the problems) and exits 1', () => {
    const repo = repoOnBranch();
    repo.write(EXAMPLE.replace('max: 5', 'max: 0'));
    const { code, stdout } = plan(repo, { format: 'markdown' });
    expect(code).toBe(1);
    expect(stdout).toContain('is invalid** (1 problem); no plan computed.');
    expect(stdout).toContain('tenant "fatima", field scaling.max (line 36, column 12) = 0');
  });

  test('--format json: parseable, with the field changes and warnings; byte-identical across runs', () => {
    const repo = repoOnBranch();
    repo.write(edit.lowerFatimaMax(edit.removeOpenclaw(edit.bumpAhmedImage(EXAMPLE))));
    const first = plan(repo, { format: 'json' });
    const second = plan(repo, { format: 'json' });
    expect(first.stdout).toBe(second.stdout);
    const json = JSON.parse(first.stdout);
    expect(json.exitCode).toBe(2);
    expect(json.summary).toMatchObject({ baseTenants: 3, headTenants: 2, added: 0, removed: 1, changed: 2, unchanged: 0 });
    const ahmed = json.tenants.find((t: { name: string }) => t.name === 'ahmed');
    expect(ahmed.objects).toEqual([
      {
        action: 'update',
        object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'tenant-ahmed', name: 'ahmed' },
        changes: [{ path: 'spec.template.spec.containers[0].image', old: 'ghcr.io/stefanprodan/podinfo:6.7.1', new: 'ghcr.io/stefanprodan/podinfo:6.7.2' }],
      },
    ]);
    expect(json.warnings.map((w: { code: string; tenant: string }) => `${w.code}:${w.tenant}`)).toEqual(['tenant-removed:openclaw', 'capacity-reduced:fatima']);
    expect(json.policy).toMatchObject({ evaluated: true, scope: 'touched', mandatory: 0 });
  });

  test('--quiet prints nothing on stdout, and the exit code still tells', () => {
    const repo = repoOnBranch();
    repo.write(edit.removeOpenclaw(EXAMPLE));
    const run = (quiet: boolean) => {
      const writes: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
        writes.push(String(chunk));
        return true;
      });
      try {
        return { code: runPlan({ cwd: repo.dir, env: NO_CI, quiet }), writes };
      } finally {
        spy.mockRestore();
      }
    };
    const quiet = run(true);
    expect(quiet.code).toBe(2);
    expect(quiet.writes).toEqual([]);
    const loud = run(false);
    expect(loud.code).toBe(2);
    expect(loud.writes.join('')).toContain('- openclaw');
  });

  test('--tenants points at another file; a path outside the repository is an error', () => {
    const repo = new TempRepo('main');
    repos.push(repo);
    repo.commit('tenants', EXAMPLE, 'config/list.yaml');
    repo.git('checkout', '-q', '-b', 'change');
    repo.write(edit.addCarol(EXAMPLE), 'config/list.yaml');
    expect(plan(repo, { tenants: 'config/list.yaml' }).stdout).toContain('tenantscale plan: config/list.yaml');
    const outside = plan(repo, { tenants: '/etc/hostname' });
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('is not inside the Git repository');
  });

  test('plan and add-tenant have --help documenting flags and exit codes', async () => {
    const writes: string[] = [];
    const program = new Command('tenantscale').exitOverride().configureOutput({ writeOut: (s) => writes.push(s), writeErr: (s) => writes.push(s) });
    planCommand.register(program);
    addTenantCommand.register(program);
    await expect(program.parseAsync(['node', 'tenantscale', 'plan', '--help'])).rejects.toMatchObject({ exitCode: 0 });
    await expect(program.parseAsync(['node', 'tenantscale', 'add-tenant', '--help'])).rejects.toMatchObject({ exitCode: 0 });
    const help = writes.join('');
    expect(help).toContain('--base <rev>');
    expect(help).toContain('-t, --tenants <file>');
    expect(help).toContain('(choices: "human", "markdown", "json"');
    expect(help).toContain('-q, --quiet');
    expect(help).toContain('2  destructive change: a tenant or object is deleted or replaced');
    expect(help).toContain('Usage: tenantscale add-tenant [options] <name>');
    expect(help).toContain('Exit codes: 0 added');
  });

  test('the CLI registers plan and add-tenant (all commands for help; only the one run otherwise)', () => {
    // The built CLI, as bin/tenantscale.js runs it (its --version reads ../../package.json from build/cli).
    const { buildProgram } = require('../../build/cli/index.js') as typeof import('../../cli/index');
    const names = buildProgram().commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['plan', 'add-tenant']));
    expect(names.indexOf('plan')).toBeLessThan(names.indexOf('add-tenant'));
    expect(buildProgram('plan').commands.map((c) => c.name())).toEqual(['plan']);
    expect(buildProgram('add-tenant').commands.map((c) => c.name())).toEqual(['add-tenant']);
    expect(buildProgram('--help').commands.map((c) => c.name())).toEqual(names);
  });
});
