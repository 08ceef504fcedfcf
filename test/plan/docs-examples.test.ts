/**
 * docs/gitops.md shows real output of `add-tenant` and `plan`: these tests replay the two
 * documented changes in temporary repositories and compare with the documented text (the base
 * commit id, which differs per repository, aside).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAddTenant } from '../../cli/commands/add-tenant';
import { runPlan } from '../../cli/commands/plan';
import { captureOutput, edit, EXAMPLE, TempRepo, TENANTS_FILE } from './git-fixture';

const DOC = readFileSync(join(__dirname, '../../docs/gitops.md'), 'utf8');
const NO_CI = { PATH: process.env.PATH } as NodeJS.ProcessEnv;
const anonymize = (text: string) => text.replace(/\b[0-9a-f]{12}\b/g, '<sha>');

/** The body of the first fenced block of `fence` (e.g. "```text") after `marker` in the doc. */
function block(marker: string, fence: string): string {
  const at = DOC.indexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  const start = DOC.indexOf(`${fence}\n`, at) + fence.length + 1;
  const close = fence.replace(/[a-z]+$/, '');
  return DOC.slice(start, DOC.indexOf(`\n${close}\n`, start));
}

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

function branch(name: string): TempRepo {
  const repo = new TempRepo('main');
  repos.push(repo);
  repo.commit('tenants', EXAMPLE);
  repo.git('checkout', '-q', '-b', name);
  return repo;
}

test('the safe-change example: add-tenant carol, fatima max 5 → 3, plan in human format (exit 0)', () => {
  const repo = branch('add-carol');
  const added = captureOutput();
  expect(runAddTenant('carol', { host: ['carol.tenants.example.com'], image: 'ghcr.io/stefanprodan/podinfo:6.7.2', tenants: join(repo.dir, TENANTS_FILE) }, added)).toBe(0);
  expect(DOC).toContain(added.stdout[0].replace(join(repo.dir, TENANTS_FILE), TENANTS_FILE));
  repo.write(edit.lowerFatimaMax(readFileSync(join(repo.dir, TENANTS_FILE), 'utf8')));
  const out = captureOutput();
  expect(runPlan({ cwd: repo.dir, env: NO_CI }, out)).toBe(0);
  expect(anonymize(out.stdout.join('\n'))).toBe(anonymize(block('`npx tenantscale plan` (exit code 0):', '```text')));
});

test('the destructive example: ahmed image bumped, openclaw removed, plan in Markdown (exit 2)', () => {
  const repo = branch('bump-and-retire');
  repo.write(edit.removeOpenclaw(edit.bumpAhmedImage(EXAMPLE)));
  const out = captureOutput();
  expect(runPlan({ cwd: repo.dir, env: NO_CI, format: 'markdown' }, out)).toBe(2);
  expect(anonymize(out.stdout.join('\n'))).toBe(anonymize(block('(exit code 2) posts this comment:', '````markdown')));
});
