/**
 * The GitHub workflows cannot run here, so their structure is checked instead: triggers, the
 * steps of each job in order, the Pulumi steps gated on the secret with a skip message, minimal
 * permissions, the protected environment, and every action pinned to a full commit SHA carrying
 * its release tag in a comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const DIR = join(__dirname, '../../.github/workflows');

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  needs?: string | string[];
  'runs-on': string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  environment?: { name: string } | string;
  env?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
}

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string) => readFileSync(join(DIR, file), 'utf8');
const load = (file: string) => parse(text(file)) as Workflow;
const pr = load('pr.yml');
const deploy = load('deploy.yml');
const runs = (job: Job) => job.steps.filter((s) => s.run !== undefined).map((s) => s.run!.trim());
const stepUsing = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));

/**
 * The pins, verified against the actions' repositories (tag → commit) when they were written.
 * Upgrading an action means changing the SHA and the tag comment together, here and in the files.
 */
const VERIFIED_PINS: Record<string, { sha: string; tag: string }> = {
  'actions/checkout': { sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', tag: 'v7.0.1' },
  'actions/setup-node': { sha: '820762786026740c76f36085b0efc47a31fe5020', tag: 'v7.0.0' },
  'pulumi/actions': { sha: '8e5e406f4007fca908480587cb9893c07090f58d', tag: 'v7.0.0' },
  'marocchino/sticky-pull-request-comment': { sha: '5770ad5eb8f42dd2c4f34da00c94c5381e49af88', tag: 'v3.0.5' },
  // fluxcd/flux2 tag v2.9.4 → 889be9d6cc8afa8ed639e1e1ba4ab678e3b38d8c (its action/ directory installs the Flux CLI).
  'fluxcd/flux2/action': { sha: '889be9d6cc8afa8ed639e1e1ba4ab678e3b38d8c', tag: 'v2.9.4' },
};

/** Every `uses:` line that is not `owner/repo@<verified 40-hex SHA> # <its vX.Y.Z tag>`. */
function pinProblems(yamlText: string): string[] {
  const problems: string[] = [];
  for (const line of yamlText.split('\n')) {
    const uses = /^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/.exec(line);
    if (!uses) continue;
    const [, target, rest] = uses;
    // owner/repo, or owner/repo/path for an action in a subdirectory (fluxcd/flux2/action).
    const m = /^([\w.-]+\/[\w.-]+(?:\/[\w.-]+)*)@([0-9a-f]{40})$/.exec(target);
    const tag = /^\s*#\s*(v\d+\.\d+\.\d+)\s*$/.exec(rest);
    if (!m || !tag) {
      problems.push(`${target}: not pinned to a full commit SHA with a "# vX.Y.Z" comment`);
      continue;
    }
    const [, action, sha] = m;
    const verified = VERIFIED_PINS[action];
    if (!verified) problems.push(`${action}: no verified pin recorded in this test`);
    else if (verified.sha !== sha) problems.push(`${target}: not the verified commit of ${action} ${tag[1]} (${verified.sha})`);
    else if (verified.tag !== tag[1]) problems.push(`${target}: not the verified commit of ${action} ${tag[1]} (${sha} is ${verified.tag})`);
  }
  return problems;
}

describe('workflow files', () => {
  test('pr.yml and deploy.yml exist; every workflow parses to a named workflow with jobs (and gets the checks below)', () => {
    expect(files).toEqual(expect.arrayContaining(['deploy.yml', 'pr.yml']));
    for (const f of files) {
      const w = load(f);
      expect(typeof w.name).toBe('string');
      expect(Object.keys(w.jobs).length).toBeGreaterThan(0);
    }
  });

  test.each(files)('%s: every `uses:` is pinned to a verified full commit SHA with its exact release tag in a comment', (file) => {
    expect(text(file)).toMatch(/uses:/);
    expect(pinProblems(text(file))).toEqual([]);
  });

  test('the pin check refuses branches, floating majors, short SHAs, unverified SHAs and missing tag comments', () => {
    const sha = VERIFIED_PINS['actions/checkout'].sha;
    expect(pinProblems(`      - uses: actions/checkout@${sha} # v7.0.1\n`)).toEqual([]);
    expect(pinProblems('      - uses: actions/checkout@main\n')).toEqual(['actions/checkout@main: not pinned to a full commit SHA with a "# vX.Y.Z" comment']);
    expect(pinProblems('      - uses: actions/checkout@v7\n')).toEqual(['actions/checkout@v7: not pinned to a full commit SHA with a "# vX.Y.Z" comment']);
    expect(pinProblems(`      - uses: actions/checkout@${sha}\n`)).toEqual([`actions/checkout@${sha}: not pinned to a full commit SHA with a "# vX.Y.Z" comment`]);
    expect(pinProblems('      - uses: actions/checkout@3d3c42e # v7.0.1\n')).toEqual(['actions/checkout@3d3c42e: not pinned to a full commit SHA with a "# vX.Y.Z" comment']);
    expect(pinProblems(`      - uses: actions/checkout@${'0'.repeat(40)} # v7.0.1\n`)).toEqual([`actions/checkout@${'0'.repeat(40)}: not the verified commit of actions/checkout v7.0.1 (${sha})`]);
    expect(pinProblems(`      - uses: actions/checkout@${sha} # v7.0.0\n`)).toEqual([`actions/checkout@${sha}: not the verified commit of actions/checkout v7.0.0 (${sha} is v7.0.1)`]);
    expect(pinProblems(`      - uses: someone/unknown@${sha} # v1.0.0\n`)).toEqual(['someone/unknown: no verified pin recorded in this test']);
  });

  test.each(files)('%s: least privilege: read-only by default, no write-all, every job bounded in time', (file) => {
    const w = load(file);
    expect(w.permissions).toEqual({ contents: 'read' });
    expect(text(file)).not.toMatch(/write-all|pull_request_target|workflow_run/);
    for (const [id, job] of Object.entries(w.jobs)) {
      expect({ id, timeout: typeof job['timeout-minutes'] }).toEqual({ id, timeout: 'number' });
      expect(job.permissions).toBeDefined();
      const writes = Object.entries(job.permissions as Record<string, string>).filter(([, v]) => v === 'write').map(([k]) => k);
      expect(writes.every((k) => k === 'pull-requests')).toBe(true);
    }
  });

  test.each(files)('%s: no untrusted expression is expanded inside a shell script (script injection)', (file) => {
    for (const job of Object.values(load(file).jobs)) {
      for (const step of job.steps) {
        if (step.run === undefined) continue;
        expect({ step: step.name, run: step.run }).toEqual({ step: step.name, run: expect.not.stringMatching(/\$\{\{/) });
      }
    }
  });

  test.each(files)('%s: checkouts do not keep the token in .git/config', (file) => {
    for (const job of Object.values(load(file).jobs)) {
      for (const step of stepUsing(job, 'actions/checkout')) expect(step.with?.['persist-credentials']).toBe(false);
    }
  });
});

describe('pr.yml', () => {
  const checks = pr.jobs.checks;
  const preview = pr.jobs['pulumi-preview'];

  test('runs on pull requests to main, one run per pull request at a time', () => {
    expect(pr.on).toEqual({ pull_request: { branches: ['main'] } });
    expect(pr.concurrency).toEqual({ group: 'pr-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
  });

  test('checks: install, the unit tests, every stack\'s synth, check and validate, then the markdown plan, in that order', () => {
    const r = runs(checks);
    const order = ['npm ci', 'npm test', 'synth --quiet --stack "$stack"', 'check "$out"', 'validate --require-schemas "$out"', 'plan "${stack_args[@]}" --base "origin/${BASE_REF}" --format markdown > plan.md'];
    const at = order.map((cmd) => r.findIndex((x) => x.includes(cmd)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(stepUsing(checks, 'actions/checkout')[0].with).toMatchObject({ 'fetch-depth': 0 });
  });

  test('a pull request changing only tenant lists and stack files is not held to the project\'s unit tests (issue 21)', () => {
    const scope = checks.steps.find((s) => s.id === 'scope')!;
    expect(scope.run).toContain('git diff --name-only "origin/${BASE_REF}...HEAD"');
    // The pattern the step applies: run the tests when any other file changed.
    const pattern = new RegExp(/grep -Ev '([^']+)'/.exec(scope.run!)![1]);
    const others = (files: string[]) => files.filter((f) => !pattern.test(f));
    expect(others(['tenants/tenants.yaml', 'Pulumi.prod.yaml', 'tenants/eu.yml'])).toEqual([]);
    expect(others(['tenants/tenants.yaml', 'infra/index.ts', 'tenants/schema.ts', 'test/x.test.ts'])).toEqual(['infra/index.ts', 'tenants/schema.ts', 'test/x.test.ts']);
    const test = checks.steps.find((s) => s.run?.trim() === 'npm test')!;
    expect(test.if).toBe("${{ steps.scope.outputs.code == 'true' }}");
  });

  test('every stack file is synthesized with --stack, checked and validated with --require-schemas; the plan uses the PULUMI_STACK stack', () => {
    const step = checks.steps.find((s) => s.name?.startsWith('Your tenant list, stack by stack'))!;
    expect(step.run).toContain('for stack in Pulumi.*.yaml; do');
    expect(step.run).toContain('node bin/tenantscale.js synth --quiet --stack "$stack" --out "$out"');
    expect(step.run).toContain('node bin/tenantscale.js validate --require-schemas "$out"');
    // No stack file: the built-in platform, still validated completely.
    expect(step.run).toContain('npm run validate -- --require-schemas');
    const plan = checks.steps.find((s) => s.id === 'plan')!;
    expect(plan.run).toContain('if [ -e "Pulumi.${PLAN_STACK}.yaml" ]; then stack_args=(--stack "${PLAN_STACK}"); fi');
    expect(plan.env!.PLAN_STACK).toBe("${{ vars.PULUMI_STACK || 'dev' }}");
  });

  test('validate downloads nothing: the CRD schemas are bundled (cli/conformance/crd-schemas.json)', () => {
    expect(checks.steps.some((s) => /curl|wget/.test(s.run ?? ''))).toBe(false);
    expect(checks.steps.some((s) => s.name?.startsWith('Fetch the upstream CRDs'))).toBe(false);
  });

  test('the plan runs even after a failed check, keeps the exit code, fails only on exit 1, and reaches the summary', () => {
    const plan = checks.steps.find((s) => s.id === 'plan')!;
    expect(plan.if).toBe("${{ !cancelled() && steps.install.outcome == 'success' }}");
    expect(plan.env).toEqual({ BASE_REF: '${{ github.base_ref }}', PLAN_STACK: "${{ vars.PULUMI_STACK || 'dev' }}" });
    expect(plan.run).toContain('echo "exit-code=${code}" >> "$GITHUB_OUTPUT"');
    expect(plan.run).toContain('cat plan.md >> "$GITHUB_STEP_SUMMARY"');
    expect(plan.run).toMatch(/2\) echo "::warning[^\n]*destructive/);
    expect(plan.run).toMatch(/\*\) echo "::error[^\n]*; exit 1 ;;/);
  });

  test('the plan is posted as one sticky comment, updated on every push; not attempted from forks', () => {
    const [comment] = stepUsing(checks, 'marocchino/sticky-pull-request-comment');
    expect(comment.with).toEqual({ header: 'tenantscale-plan', path: 'plan.md' });
    expect(comment.if).toContain("steps.plan.outputs.exit-code != ''");
    expect(comment.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    expect(checks.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  test('pulumi preview --diff --policy-pack policies with the official action, only when PULUMI_ACCESS_TOKEN is set', () => {
    expect(preview.needs).toBe('checks');
    expect(preview.env).toMatchObject({ PULUMI_ACCESS_TOKEN: '${{ secrets.PULUMI_ACCESS_TOKEN }}', PULUMI_STACK: "${{ vars.PULUMI_STACK || 'dev' }}" });
    const [pulumi] = stepUsing(preview, 'pulumi/actions');
    expect(pulumi.with).toMatchObject({ command: 'preview', diff: true, policyPacks: 'policies', 'stack-name': '${{ env.PULUMI_STACK }}', 'pulumi-version': '3.248.0' });
    // Every step but the skip notice needs the token.
    const [skip, ...rest] = preview.steps;
    expect(skip.if).toBe("${{ env.PULUMI_ACCESS_TOKEN == '' }}");
    expect(skip.run).toContain('::notice title=pulumi preview skipped::No PULUMI_ACCESS_TOKEN secret');
    for (const step of rest) expect({ step: step.name, if: step.if }).toEqual({ step: step.name, if: "${{ env.PULUMI_ACCESS_TOKEN != '' }}" });
    expect(runs(preview).some((r) => r.includes('npm ci --prefix policies'))).toBe(true);
  });
});

describe('deploy.yml', () => {
  const up = deploy.jobs.up;

  test('runs on pushes to main (and by hand), never two deployments of a stack at once', () => {
    expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: {} });
    expect(deploy.concurrency).toEqual({ group: "deploy-${{ vars.PULUMI_STACK || 'dev' }}", 'cancel-in-progress': false });
  });

  test('pulumi up with the policy pack, behind the protected production environment, read-only token', () => {
    expect(up.environment).toEqual({ name: 'production' });
    expect(up.permissions).toEqual({ contents: 'read' });
    const [pulumi] = stepUsing(up, 'pulumi/actions');
    expect(pulumi.with).toMatchObject({ command: 'up', policyPacks: 'policies', 'stack-name': '${{ env.PULUMI_STACK }}', 'pulumi-version': '3.248.0' });
    const gates = runs(up).find((r) => r.includes('npm run synth'))!;
    expect(gates.split('\n')).toEqual(['npm run synth', 'npm run check']);
    const names = up.steps.map((s) => s.name ?? s.uses ?? '');
    expect(names.indexOf('Offline gates on the merged commit (synth, check)')).toBeLessThan(names.indexOf('pulumi up --policy-pack policies'));
  });

  test('skips with a notice without the secret; no dependency cache in the job holding deploy secrets', () => {
    const [skip, ...rest] = up.steps;
    expect(skip.if).toBe("${{ env.PULUMI_ACCESS_TOKEN == '' }}");
    expect(skip.run).toContain('::notice title=pulumi up skipped::');
    for (const step of rest) expect(step.if).toMatch(/^\$\{\{ env\.PULUMI_ACCESS_TOKEN != '' (\}\}$|&& )/);
    const [node] = stepUsing(up, 'actions/setup-node');
    expect(node.with).toEqual({ 'node-version': 20, 'package-manager-cache': false });
  });
});

describe('deploy.yml in flux mode (tenantDelivery: flux)', () => {
  const up = deploy.jobs.up;
  const names = up.steps.map((s) => s.name ?? '');
  const step = (name: string) => up.steps.find((s) => s.name === name)!;
  const SCOPE = 'Deploy scope (flux mode skips pulumi up when only the tenant list changed)';
  const SYNTH = "Synthesize the stack's tenants (shards and Flux objects)";
  const OCI = 'Publish the tenant artifact (OCI, DigitalOcean Container Registry)';
  const GIT = 'Publish the tenant artifact (Git branch)';

  test('the scope step decides from the pushed range (full history checked out), before pulumi up', () => {
    expect(stepUsing(up, 'actions/checkout')[0].with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
    expect(step(SCOPE).id).toBe('scope');
    expect(step(SCOPE).env).toEqual({ BEFORE: '${{ github.event.before }}', EVENT: '${{ github.event_name }}' });
    expect(step(SCOPE).run).toContain('node build/infra/deploy-scope.js');
    expect(names.indexOf(SCOPE)).toBeLessThan(names.indexOf('pulumi up --policy-pack policies'));
  });

  test('pulumi up runs only when the scope says so; the artifact is published after it, in flux mode only', () => {
    expect(step('pulumi up --policy-pack policies').if).toBe("${{ env.PULUMI_ACCESS_TOKEN != '' && steps.scope.outputs.pulumi-up == 'true' }}");
    for (const name of [SYNTH, OCI, GIT]) {
      expect(step(name).if).toContain("steps.scope.outputs.delivery == 'flux'");
      expect(names.indexOf(name)).toBeGreaterThan(names.indexOf('pulumi up --policy-pack policies'));
    }
    expect(step(SYNTH).run!.trim().split('\n')).toEqual(['node bin/tenantscale.js synth --stack "$PULUMI_STACK" --out artifact', 'node bin/tenantscale.js check artifact']);
    expect(step(OCI).if).toContain("steps.scope.outputs.source == 'oci'");
    expect(step(GIT).if).toContain("steps.scope.outputs.source == 'git'");
  });

  test('OCI: the Flux CLI of the pinned Flux release pushes dist as the commit\'s artifact, then moves the followed tag', () => {
    const { FLUX_VERSION } = require('../../constructs/platform/versions');
    const [cli] = stepUsing(up, 'fluxcd/flux2/action');
    expect(cli.with).toEqual({ version: FLUX_VERSION });
    const run = step(OCI).run!;
    expect(run).toContain('--password-stdin');
    expect(run).toContain('flux push artifact "${ARTIFACT_URL}:${GITHUB_SHA}" --path=artifact');
    expect(run).toContain('flux tag artifact "${ARTIFACT_URL}:${GITHUB_SHA}" --tag "${ARTIFACT_REF}"');
    expect(step(OCI).env).toEqual({ ARTIFACT_URL: '${{ steps.scope.outputs.url }}', ARTIFACT_REF: '${{ steps.scope.outputs.ref }}' });
  });

  test('Git: force-pushes the rendered tree with a deploy key; the job token stays read-only', () => {
    expect(step(GIT).env).toMatchObject({ DEPLOY_KEY: '${{ secrets.TENANT_ARTIFACT_DEPLOY_KEY }}' });
    expect(step(GIT).run).toContain('git push --force "$ARTIFACT_URL" "HEAD:refs/heads/${ARTIFACT_REF}"');
    expect(up.permissions).toEqual({ contents: 'read' });
  });
});

describe('deployScope (infra/deploy-scope.ts)', () => {
  const { deployScope, tenantOnly } = require('../../infra/deploy-scope') as typeof import('../../infra/deploy-scope');
  const flux = { tenantDelivery: 'flux' as const, tenantsFile: 'tenants/tenants.yaml', flux: { source: 'oci' as const, url: 'oci://registry.digitalocean.com/a/t' } };

  test('flux mode, only the tenant list (and docs) changed: no pulumi up, publish to the default tag', () => {
    expect(deployScope(flux, ['tenants/tenants.yaml', 'docs/gitops.md', 'README.md'])).toEqual({
      delivery: 'flux',
      pulumiUp: false,
      reason: 'only the tenant list or docs changed (3 files)',
      source: 'oci',
      url: 'oci://registry.digitalocean.com/a/t',
      ref: 'latest',
    });
  });

  test('flux mode, a platform file changed, or the range is unknown: pulumi up', () => {
    expect(deployScope(flux, ['tenants/tenants.yaml', 'Pulumi.dev.yaml'])).toMatchObject({ pulumiUp: true, reason: 'the platform changed: Pulumi.dev.yaml' });
    expect(deployScope(flux, undefined)).toMatchObject({ pulumiUp: true });
    expect(tenantOnly('constructs/tenant.ts', 'tenants/tenants.yaml')).toBe(false);
  });

  test('pulumi mode: always pulumi up, nothing to publish', () => {
    expect(deployScope({ ...flux, tenantDelivery: 'pulumi' }, ['tenants/tenants.yaml'])).toEqual({ delivery: 'pulumi', pulumiUp: true, reason: 'pulumi mode: the tenants are Pulumi resources' });
  });
});
