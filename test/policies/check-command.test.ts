/**
 * `tenantscale check`, in process: exit codes, the grouped text report, --format json, --quiet,
 * --rules, and input errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pc from 'picocolors';
import { Command } from 'commander';
import { CheckReport, groupViolations, register, runCheck } from '../../cli/commands/check';
import { Output } from '../../cli/output';
import { tenantManifests, toYaml } from '../../constructs/manifests';
import { platformManifests } from '../../constructs/platform/platform-manifests';
import type { Violation } from '../../policies/types';
import { loadTenants } from '../../tenants/validate';
import { FIXTURES } from './helpers';
import { MANIFEST_RULES } from '../../policies/rules';
import { EXAMPLE_TENANTS } from '../example-project';

interface Captured extends Output {
  readonly stdout: string[];
  readonly stderr: string[];
}

/** An Output that records lines instead of printing them (no color). */
function capture(quiet = false): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    info: (line) => {
      if (!quiet) stdout.push(line);
    },
    warn: (line) => {
      if (!quiet) stderr.push(line);
    },
    error: (line) => stderr.push(line),
    color: pc.createColors(false),
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenantscale-check-cli-'));
  const tenants = loadTenants(EXAMPLE_TENANTS);
  writeFileSync(join(dir, 'platform.yaml'), toYaml(platformManifests()));
  for (const t of tenants) writeFileSync(join(dir, `${t.name}.yaml`), toYaml(tenantManifests(t)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let written: string[];
beforeEach(() => {
  written = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

test('the synthesized example is clean: exit 0', () => {
  const out = capture();
  expect(runCheck({ dir }, out)).toBe(0);
  expect(out.stdout).toEqual([
    '○ not evaluated: chart-versions-pinned, scale-to-zero-needs-node-autoscaling, capacity-fits need the Pulumi view (DOKS node pools, Helm releases), which manifest files do not have; they run in `pulumi preview --policy-pack policies`',
    expect.stringMatching(new RegExp(`^✓ \\d+ objects in .*, ${MANIFEST_RULES.length} rules: no violations$`)),
  ]);
  expect(out.stderr).toEqual([]);
});

test('the fixtures: exit 1, violations grouped by namespace and object with rule, level and fix', () => {
  const out = capture();
  expect(runCheck({ dir: join(FIXTURES, 'lesson-chatbot') }, out)).toBe(1);
  expect(out.stdout).toEqual([
    'namespace default',
    '  Deployment/chatbot',
    '    ✗ autoscaler-owns-replicas (mandatory): sets spec.replicas: 0 although HTTPScaledObject/chatbot owns the replica count; every sync would fight the autoscaler',
    expect.stringMatching(/^      fix: delete spec\.replicas from the manifest/),
    expect.stringMatching(/^    ✗ http-scaled-has-readiness \(mandatory\): container "podinfo" has no readinessProbe/),
    expect.stringMatching(/^      fix: add containers\[podinfo\]\.readinessProbe/),
    '  HTTPRoute/chatbot-route',
    expect.stringMatching(/^    ✗ cold-start-timeout-chain \(mandatory\): rules\[0\] gives up after Envoy Gateway's default 15s/),
    expect.stringMatching(/^      fix: set rules\[0\]\.timeouts\.request \(and backendRequest\) to at least "300s"$/),
    expect.stringMatching(/^    ✗ cross-namespace-ref-granted \(mandatory\): rules\[0\] references Service keda\/keda-add-ons-http-interceptor-proxy/),
    expect.stringMatching(/^      fix: add a ReferenceGrant in namespace keda/),
    '  HTTPScaledObject/chatbot',
    expect.stringMatching(/^    ✗ cold-start-timeout-chain \(mandatory\): timeouts\.conditionWait is unset, so the interceptor default applies: KEDA_HTTP_READINESS_TIMEOUT, 0 at add-on 0\.15 \(no limit\)/),
    expect.stringMatching(/^      fix: set spec\.timeouts\.conditionWait to the workload's cold-start budget/),
    expect.stringMatching(/^    ! scaledown-period-production \(advisory\): scaledownPeriod is 60s/),
    expect.stringMatching(/^      fix: set spec\.scaledownPeriod to at least 300/),
    expect.stringMatching(/^○ not evaluated: chart-versions-pinned, scale-to-zero-needs-node-autoscaling, capacity-fits need the Pulumi view/),
    expect.stringMatching(/^✗ 6 objects in .*: 5 mandatory, 1 advisory$/),
  ]);
});

test('every fixture directory together: exit 1', () => {
  expect(runCheck({ dir: FIXTURES }, capture())).toBe(1);
});

test('advisory violations alone exit 0', () => {
  const out = capture();
  expect(runCheck({ dir: join(FIXTURES, 'vpa-acting-mode') }, out)).toBe(0);
  expect(out.stdout).toEqual([
    'namespace shop',
    '  VerticalPodAutoscaler/api',
    expect.stringMatching(/^    ! vpa-acting-mode \(advisory\): has no updateMode, so it runs in Auto mode/),
    expect.stringMatching(/^      fix: set spec\.updatePolicy\.updateMode: "Off"/),
    expect.stringMatching(/^○ not evaluated: /),
    expect.stringMatching(/^! 1 object in .*: 0 mandatory, 1 advisory \(advisory only, exit 0\)$/),
  ]);
});

test('--format json prints one document for pipelines', () => {
  const out = capture();
  expect(runCheck({ dir: join(FIXTURES, 'lesson-chatbot'), format: 'json' }, out)).toBe(1);
  expect(out.stdout).toEqual([]);
  const report = JSON.parse(written.join('')) as CheckReport;
  expect(report.objects).toBe(6);
  expect(report.summary).toEqual({ mandatory: 5, advisory: 1, problems: 0 });
  expect(report.rules).toHaveLength(MANIFEST_RULES.length);
  expect(report.problems).toEqual([]);
  expect(report.notEvaluated.map((r) => r.rule)).toEqual(['chart-versions-pinned', 'scale-to-zero-needs-node-autoscaling', 'capacity-fits']);
  expect(report.violations.map((v) => v.rule)).toEqual([
    'autoscaler-owns-replicas',
    'http-scaled-has-readiness',
    'cold-start-timeout-chain',
    'cross-namespace-ref-granted',
    'cold-start-timeout-chain',
    'scaledown-period-production',
  ]);
  expect(report.violations[3]).toEqual(expect.objectContaining({ level: 'mandatory', namespace: 'default', kind: 'HTTPRoute', name: 'chatbot-route' }));
});

test('--quiet prints only mandatory violations, on stderr', () => {
  const out = capture(true);
  expect(runCheck({ dir: join(FIXTURES, 'lesson-chatbot'), quiet: true }, out)).toBe(1);
  expect(out.stdout).toEqual([]);
  expect(out.stderr.join('\n')).toMatch(/cross-namespace-ref-granted/);
  expect(out.stderr.join('\n')).not.toMatch(/scaledown-period-production/);
  const clean = capture(true);
  expect(runCheck({ dir, quiet: true }, clean)).toBe(0);
  expect([...clean.stdout, ...clean.stderr]).toEqual([]);
});

test('--rules runs only the named rules', () => {
  const out = capture();
  expect(runCheck({ dir: join(FIXTURES, 'lesson-chatbot'), rules: 'scaledown-period-production' }, out)).toBe(0);
  expect(out.stdout.at(-1)).toMatch(/0 mandatory, 1 advisory/);
});

test('input errors exit 1 with a message: missing directory, no objects, bad YAML, unknown rule', () => {
  const missing = capture();
  expect(runCheck({ dir: join(dir, 'nope') }, missing)).toBe(1);
  expect(missing.stderr).toEqual([expect.stringMatching(/^✗ .*nope: no such directory$/)]);

  const empty = mkdtempSync(join(tmpdir(), 'tenantscale-empty-'));
  const none = capture();
  expect(runCheck({ dir: empty }, none)).toBe(1);
  expect(none.stderr).toEqual([expect.stringMatching(/^✗ no Kubernetes objects under .*run `tenantscale synth` first/)]);
  writeFileSync(join(empty, 'broken.yaml'), 'kind: [\n');
  const bad = capture();
  expect(runCheck({ dir: empty }, bad)).toBe(1);
  expect(bad.stdout).toEqual([
    expect.stringMatching(/^file .*broken\.yaml$/),
    expect.stringMatching(/^  ✗ line \d+: not valid YAML/),
    expect.stringMatching(/^○ not evaluated: /),
    expect.stringMatching(/^✗ 0 objects in .*: 0 mandatory, 0 advisory; 1 problem in 1 file \(not checked\)$/),
  ]);
  rmSync(empty, { recursive: true, force: true });

  const unknown = capture();
  expect(runCheck({ dir, rules: 'image-pinned,nope' }, unknown)).toBe(1);
  expect(unknown.stderr).toEqual([expect.stringMatching(/^✗ unknown rule: nope/)]);
});

test('through commander: [dir] argument, --format json, -q, exit code, --help with exit codes', async () => {
  const program = () => {
    const p = new Command('tenantscale').exitOverride().configureOutput({ writeOut: (t) => written.push(t), writeErr: (t) => written.push(t) });
    register(p);
    return p;
  };
  try {
    await program().parseAsync(['node', 'tenantscale', 'check', join(FIXTURES, 'lesson-chatbot'), '--format', 'json']);
    expect(process.exitCode).toBe(1);
    expect((JSON.parse(written.join('')) as CheckReport).summary.mandatory).toBe(5);
    written.length = 0;
    await program().parseAsync(['node', 'tenantscale', 'check', dir, '-q']);
    expect(process.exitCode).toBe(0);
    written.length = 0;
    await expect(program().parseAsync(['node', 'tenantscale', 'check', '--help'])).rejects.toEqual(expect.objectContaining({ exitCode: 0 }));
    const help = written.join('');
    expect(help).toMatch(/Usage: tenantscale check \[options\] \[dir\]/);
    expect(help).toMatch(/Exit codes: 0 no mandatory violation/);
    expect(help).toMatch(/--format <format>/);
    written.length = 0;
    await expect(program().parseAsync(['node', 'tenantscale', 'check', dir, '--format', 'xml'])).rejects.toEqual(expect.objectContaining({ exitCode: 1 }));
  } finally {
    process.exitCode = undefined;
  }
});

test('groupViolations keeps cluster-scoped objects under "(cluster)"', () => {
  const v = (namespace: string, kind: string, name: string): Violation => ({ rule: 'r', level: 'mandatory', namespace, kind, name, message: 'm', fix: 'f' });
  const groups = groupViolations([v('', 'Namespace', 'tenant-a'), v('a', 'Deployment', 'x'), v('a', 'Deployment', 'x')]);
  expect([...groups.keys()]).toEqual(['(cluster)', 'a']);
  expect(groups.get('a')!.get('Deployment/x')).toHaveLength(2);
});
