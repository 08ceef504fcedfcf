/**
 * `check` over manifests it did not write: every unreadable or unusable file, document and object
 * is reported (file and line) and the rest is still checked; `--format json` carries it all.
 * Rules that need the Pulumi view are reported as not evaluated, never as passed.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckReport, runCheck } from '../../cli/commands/check';
import { loadManifests } from '../../policies/engine';
import { captureOutput } from '../cli/capture-output';

const deployment = (name: unknown, image = 'nginx') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${JSON.stringify(name)}\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: ${image}}]\n`;

let dir: string;
let written: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenantscale-check-problems-'));
  written = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** A directory with one good file and one of each problem. */
function writeMixed(): void {
  writeFileSync(join(dir, 'a-broken.yaml'), 'kind: [\n');
  // A file whose second document is invalid: its first and third documents are still read.
  writeFileSync(join(dir, 'b-partly.yaml'), `${deployment('first')}---\nkey: [unclosed\n---\n${deployment('third')}`);
  writeFileSync(join(dir, 'c-names.yaml'), [deployment(42), deployment(null), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n'].join('---\n'));
  writeFileSync(join(dir, 'd-list.yaml'), `apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: ok, namespace: shop}}\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: {a: 1}}}\n`);
  mkdirSync(join(dir, 'e-unreadable.yaml'));
}

describe('loadManifests', () => {
  test('reports each problem with file and line and keeps every readable object', () => {
    writeMixed();
    const { objects, problems } = loadManifests(dir);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Deployment/first', 'Deployment/third', 'ConfigMap/ok']);
    const rel = (p: { file: string }) => p.file.slice(p.file.lastIndexOf('/') + 1);
    expect(problems.map((p) => [rel(p), p.line, p.level, p.message])).toEqual([
      ['a-broken.yaml', 2, 'error', expect.stringMatching(/^not valid YAML: /)],
      ['b-partly.yaml', 12, 'error', expect.stringMatching(/^not valid YAML: /)],
      ['c-names.yaml', 1, 'error', 'Deployment (apps/v1) has metadata.name 42 (a number): the API server requires a name string; not checked'],
      ['c-names.yaml', 11, 'error', 'Deployment (apps/v1) has metadata.name null: the API server requires a name string; not checked'],
      ['c-names.yaml', 21, 'error', 'ConfigMap (v1) has no metadata.name: the API server requires a name string; not checked'],
      ['c-names.yaml', 25, 'note', 'Job (batch/v1) has generateName "migrate-" and no name (for kubectl create): not checked, the rules match objects by name'],
      ['d-list.yaml', 5, 'error', 'items[1]: ConfigMap (v1) has metadata.name a mapping: the API server requires a name string; not checked'],
    ]);
  });

  test('an unreadable file is reported, not thrown (a directory named *.yaml cannot be read as a file)', () => {
    mkdirSync(join(dir, 'x.yaml'));
    writeFileSync(join(dir, 'y.yaml'), deployment('y', 'nginx:1.27.0'));
    // x.yaml is a directory: walked, empty. A file without read permission is the other case.
    writeFileSync(join(dir, 'z.yaml'), deployment('z'));
    chmodSync(join(dir, 'z.yaml'), 0o000);
    const { objects, problems } = loadManifests(dir);
    chmodSync(join(dir, 'z.yaml'), 0o644);
    if (process.getuid?.() === 0) {
      // root reads anything: the permission case cannot be made here, only the readable rest.
      expect(objects.map((o) => o.metadata.name)).toEqual(['y', 'z']);
      return;
    }
    expect(objects.map((o) => o.metadata.name)).toEqual(['y']);
    expect(problems).toEqual([expect.objectContaining({ level: 'error', message: 'cannot read this file: EACCES' })]);
  });

  test('tool configuration files (kustomization.yaml, kustomize transformer configs) are skipped, not reported', () => {
    writeFileSync(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n');
    writeFileSync(join(dir, 'labels.yaml'), 'apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: labels}\nlabels: {a: b}\n');
    writeFileSync(join(dir, 'app.yaml'), deployment('web', 'nginx:1.27.0'));
    expect(loadManifests(dir)).toEqual({ objects: [expect.objectContaining({ kind: 'Deployment' })], problems: [] });
    // An object of a cluster API group without metadata is still reported.
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n');
    expect(loadManifests(dir).problems).toEqual([expect.objectContaining({ level: 'error', message: 'ConfigMap (v1) has no metadata: the API server requires a name string; not checked' })]);
  });
});

describe('tenantscale check over foreign manifests', () => {
  test('human output: every problem per file, then the violations of what could be read; exit 1', () => {
    writeMixed();
    const out = captureOutput();
    expect(runCheck({ dir }, out)).toBe(1);
    const text = out.stdout.join('\n');
    expect(text).toMatch(/^file .*a-broken\.yaml\n  ✗ line 2: not valid YAML/m);
    expect(text).toMatch(/^file .*c-names\.yaml\n  ✗ line 1: Deployment \(apps\/v1\) has metadata\.name 42 \(a number\)/m);
    expect(text).toMatch(/^  ○ line 25: Job \(batch\/v1\) has generateName "migrate-"/m);
    // The objects that could be read were checked: nginx without a tag in "first" and "third".
    expect(text).toMatch(/Deployment\/first\n    ✗ image-pinned/);
    expect(text).toMatch(/Deployment\/third\n    ✗ image-pinned/);
    expect(out.stdout.at(-1)).toMatch(/^✗ 3 objects in .*: 2 mandatory, 0 advisory; 6 problems in 4 files \(not checked\)$/);
  });

  test('--format json prints everything: problems, violations, objects, not-evaluated rules', () => {
    writeMixed();
    expect(runCheck({ dir, format: 'json' }, captureOutput())).toBe(1);
    const report = JSON.parse(written.join('')) as CheckReport;
    expect(report.objects).toBe(3);
    expect(report.summary).toEqual({ mandatory: 2, advisory: 0, problems: 6 });
    expect(report.problems).toHaveLength(7);
    expect(report.problems.filter((p) => p.level === 'note')).toEqual([expect.objectContaining({ line: 25 })]);
    expect(report.violations.map((v) => `${v.rule} ${v.name}`)).toEqual(['image-pinned first', 'image-pinned third']);
    expect(report.notEvaluated.map((r) => r.rule)).toContain('capacity-fits');
  });

  test('a clean directory with only a generateName note passes (exit 0), showing the note', () => {
    writeFileSync(join(dir, 'ok.yaml'), `${deployment('web', 'nginx:1.27.0')}---\napiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\n`);
    const out = captureOutput();
    expect(runCheck({ dir, rules: 'image-pinned' }, out)).toBe(0);
    expect(out.stdout).toEqual([expect.stringMatching(/^file /), expect.stringMatching(/^  ○ line \d+: Job/), expect.stringMatching(/^✓ 1 object in .*, 1 rules: no violations$/)]);
  });
});

describe('rules that need the Pulumi view', () => {
  test('--rules capacity-fits alone: no ✓; says it needs the Pulumi view; exit 1 (nothing was checked), in text and json', () => {
    writeFileSync(join(dir, 'ok.yaml'), deployment('web', 'nginx:1.27.0'));
    const out = captureOutput();
    expect(runCheck({ dir, rules: 'capacity-fits' }, out)).toBe(1);
    expect(out.stdout).toEqual([
      '○ not evaluated: capacity-fits needs the Pulumi view (DOKS node pools, Helm releases), which manifest files do not have; it runs in `pulumi preview --policy-pack policies`',
      expect.stringMatching(/^✗ 1 object in .*: no rule evaluated$/),
    ]);
    expect(out.stdout.join('\n')).not.toMatch(/✓/);
    expect(runCheck({ dir, rules: 'capacity-fits', format: 'json' }, captureOutput())).toBe(1);
    const report = JSON.parse(written.join('')) as CheckReport;
    expect(report.rules).toEqual([]);
    expect(report.notEvaluated).toEqual([{ rule: 'capacity-fits', reason: expect.stringMatching(/^needs the Pulumi view/) }]);
  });

  test('with a manifest rule beside it: the manifest rule is evaluated (✓), capacity-fits is listed as not evaluated', () => {
    writeFileSync(join(dir, 'ok.yaml'), deployment('web', 'nginx:1.27.0'));
    const out = captureOutput();
    expect(runCheck({ dir, rules: 'image-pinned,capacity-fits' }, out)).toBe(0);
    expect(out.stdout).toEqual([expect.stringMatching(/^○ not evaluated: capacity-fits needs the Pulumi view/), expect.stringMatching(/^✓ 1 object in .*, 1 rules: no violations$/)]);
  });
});
