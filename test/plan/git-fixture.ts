/**
 * Throw-away Git repositories for the plan tests: `git init` in the OS temp directory, commit a
 * tenants file, then edit it in the working tree.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const TENANTS_FILE = 'tenants/tenants.yaml';

/**
 * A copy of the repository's example list (test/plan/fixtures/tenants.yaml, so that edits to
 * tenants/tenants.yaml do not move these tests): ahmed, fatima (max 5, concurrency) and the
 * stateful openclaw.
 */
export const EXAMPLE = readFileSync(join(__dirname, 'fixtures/tenants.yaml'), 'utf8');

export class TempRepo {
  readonly dir: string;

  constructor(branch = 'main') {
    this.dir = mkdtempSync(join(tmpdir(), 'tenantscale-plan-'));
    this.git('init', '-q', '-b', branch);
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_AUTHOR_NAME: 'test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'test', GIT_COMMITTER_EMAIL: 'test@example.com' },
    });
  }

  write(text: string, file = TENANTS_FILE): void {
    mkdirSync(dirname(join(this.dir, file)), { recursive: true });
    writeFileSync(join(this.dir, file), text);
  }

  commit(message: string, text?: string, file = TENANTS_FILE): string {
    if (text !== undefined) this.write(text, file);
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export { captureOutput } from '../cli/capture-output';

/** Text edits of the example list used across the tests. */
export const edit = {
  /** ahmed gets its own image 6.7.2 (the default is 6.7.1). */
  bumpAhmedImage: (t: string) => t.replace('    hosts: [ahmed.tenants.example.com]\n', '    hosts: [ahmed.tenants.example.com]\n    image: ghcr.io/stefanprodan/podinfo:6.7.2\n'),
  /** A new tenant carol at the end. */
  addCarol: (t: string) => `${t.trimEnd()}\n\n  - name: carol\n    hosts: [carol.tenants.example.com]\n`,
  /** openclaw (the last entry, with its comment) removed. */
  removeOpenclaw: (t: string) => t.slice(0, t.indexOf('  # A stateful')).trimEnd() + '\n',
  /** fatima's scaling.max 5 → 3. */
  lowerFatimaMax: (t: string) => t.replace('    scaling:\n      max: 5\n', '    scaling:\n      max: 3\n'),
};
