/**
 * Issue 18, item 2: no summary line grows with the tenant count. Each command prints a few names
 * and "… N in all" (tenants/problem.ts `boundedList`, the one helper), or the first entries and a
 * count of the rest; `--format json` keeps the full list.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullSecretNotes, pullSecretUsers } from '../../cli/pull-secret-notes';
import { REPORT_LINES_MAX, runValidate } from '../../cli/commands/validate';
import { REPORT_ENTRIES_MAX, runCheck } from '../../cli/commands/check';
import { runExplain } from '../../cli/commands/explain';
import { boundedList, boundedLines, NAMES_SHOWN_MAX } from '../../tenants/problem';
import type { TenantSpec } from '../../tenants/schema';
import { captureOutput } from './capture-output';

const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
const pulling = (n: number) => names(n).map((name) => ({ name, imagePullSecret: 'docr', image: 'registry.digitalocean.com/acme/app:1.0.0' }) as TenantSpec);

describe('boundedList: the one helper for names in a summary line', () => {
  test('passing: up to ten names are listed whole', () => {
    expect(boundedList(['a', 'b', 'c'])).toBe('a, b, c');
    expect(boundedList(names(NAMES_SHOWN_MAX))).toBe(names(10).join(', '));
  });

  test('failing (unbounded before): 10,000 names become ten and the count', () => {
    const line = boundedList(names(10_000));
    expect(line).toBe('t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, … 10,000 in all');
    expect(boundedList(names(10_000), 3)).toBe('t0, t1, t2, … 10,000 in all');
  });

  test('boundedLines keeps the first lines and counts the rest', () => {
    expect(boundedLines(['a', 'b'], 2, (n) => `${n} more`)).toEqual({ shown: ['a', 'b'] });
    expect(boundedLines(['a', 'b', 'c'], 2, (n) => `${n} more`)).toEqual({ shown: ['a', 'b'], more: '1 more' });
  });
});

describe('synth: the image pull Secrets line', () => {
  test('passing: one tenant is named', () => {
    expect(pullSecretNotes(pulling(1))[0]).toMatch(/^ {2}image pull Secrets \(not checked offline\): docr \(t0\)\. dist\/ holds/);
  });

  test('failing (200 names before): 200 and 10,000 tenants print the same short line; --format json keeps every name', () => {
    const at200 = pullSecretNotes(pulling(200));
    const at10k = pullSecretNotes(pulling(10_000));
    expect(at200).toHaveLength(1);
    expect(at200[0]).toContain('docr (t0, t1, t2, … 200 in all)');
    expect(at10k[0]).toContain('docr (t0, t1, t2, … 10,000 in all)');
    expect(at10k[0].length - at200[0].length).toBe('10,000'.length - '200'.length);
    expect(pullSecretUsers(pulling(10_000)).docr).toHaveLength(10_000);
  });
});

/** A directory of `n` ConfigMaps with an unknown field each (one problem per object) and `n` objects of a kind without schema (one note each). */
function manyObjects(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantscale-bounded-'));
  mkdirSync(join(dir, 'm'));
  const docs = Array.from({ length: n }, (_, i) => [
    `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c${i}, namespace: a }\ndata: { k: v }\nbogus: 1\n`,
    `apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w${i}, namespace: a }\n`,
  ]).flat();
  writeFileSync(join(dir, 'm', 'all.yaml'), docs.join('---\n'));
  return dir;
}

describe('validate: problem and note lines', () => {
  test('passing: a few problems are all printed', () => {
    const out = captureOutput();
    expect(runValidate({ dir: manyObjects(3) }, out, () => undefined)).toBe(1);
    expect(out.stderr.filter((l) => l.includes('ConfigMap a/c'))).toHaveLength(3);
  });

  test('failing (one line per object before): 300 objects print the first lines and a count; --format json lists all', () => {
    const dir = manyObjects(300);
    const out = captureOutput();
    expect(runValidate({ dir }, out, () => undefined)).toBe(1);
    expect(out.stderr.filter((l) => l.includes('ConfigMap a/c'))).toHaveLength(REPORT_LINES_MAX);
    expect(out.stderr).toContain('… and 280 more problems (validate --format json lists them all)');
    expect(out.stderr).toContain('… and 280 more notes (validate --format json lists them all)');
    let json = '';
    runValidate({ dir, format: 'json' }, captureOutput(), (t) => (json += t));
    const report = JSON.parse(json);
    expect(report.notes.length).toBeGreaterThanOrEqual(300);
  });
});

describe('check: violation entries', () => {
  /** `n` Deployments without resource requests behind an HPA would need a full stack; a Deployment with `:latest` trips image-pinned. */
  function unpinned(n: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-bounded-check-'));
    const docs = Array.from(
      { length: n },
      (_, i) =>
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d${i}, namespace: tenant-a }\nspec:\n  selector: { matchLabels: { app: d } }\n  template:\n    metadata: { labels: { app: d } }\n    spec:\n      containers: [{ name: app, image: "nginx:latest" }]\n`,
    );
    writeFileSync(join(dir, 'all.yaml'), docs.join('---\n'));
    return dir;
  }

  test('passing: two violating objects are both listed', () => {
    const out = captureOutput();
    runCheck({ dir: unpinned(2), rules: 'image-pinned' }, out);
    expect(out.stdout.filter((l) => l.includes('Deployment/d'))).toHaveLength(2);
  });

  test('failing (every violation before): 100 objects list the first entries and a count', () => {
    const out = captureOutput();
    runCheck({ dir: unpinned(100), rules: 'image-pinned' }, out);
    expect(out.stdout.filter((l) => l.includes('Deployment/d'))).toHaveLength(REPORT_ENTRIES_MAX);
    expect(out.stdout).toContain(`… and ${100 - REPORT_ENTRIES_MAX} more violations (check --format json lists them all)`);
  });
});

describe('explain: an unknown tenant', () => {
  test('names a few tenants and the count, not the whole list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-bounded-explain-'));
    const file = join(dir, 'tenants.yaml');
    const entries = names(50).map((n) => `  - { name: ${n}, hosts: [${n}.example.com] }`).join('\n');
    writeFileSync(file, `defaults:\n  image: ghcr.io/stefanprodan/podinfo:6.7.1\n  port: 9898\n  probes: { readiness: /readyz, liveness: /healthz }\n  resources:\n    requests: { cpu: 100m, memory: 128Mi }\n    limits: { cpu: 500m, memory: 512Mi }\n  scaling: { min: 0, max: 3, metric: { requestRate: { target: 10 } } }\ntenants:\n${entries}\n`);
    const out = captureOutput();
    expect(runExplain('nobody', { tenants: file }, out)).toBe(1);
    expect(out.stderr.join('\n')).toContain('(tenants: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, … 50 in all)');
  });
});
