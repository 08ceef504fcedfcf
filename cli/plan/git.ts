/**
 * The few Git reads the plan needs: the repository root, the base revision (merge base with the
 * main branch by default) and a file's content at a revision. Read-only; never changes the
 * repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** A Git command failed; `message` carries git's own explanation. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim().split('\n')[0] || 'no output'}`);
    this.name = 'GitError';
  }
}

/** Runs git in `cwd` and returns its stdout. Throws `GitError`. */
export function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', [...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string | Buffer; code?: string; message?: string };
    if (e.code === 'ENOENT') throw new GitError(args, 'git is not installed or not on PATH');
    throw new GitError(args, String(e.stderr ?? e.message ?? ''));
  }
}

/** Absolute path of the work tree containing `cwd`. Throws `GitError` outside a repository. */
export function repoRoot(cwd: string): string {
  return realpathSync(git(cwd, ['rev-parse', '--show-toplevel']).trim());
}

/** The commit a revision names, or undefined when it names none. */
export function resolveCommit(cwd: string, rev: string): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Path of `file` (relative to `cwd`, or absolute) inside the repository at `root`, with `/`. */
export function pathInRepo(root: string, cwd: string, file: string): string {
  const abs = isAbsolute(file) ? file : resolve(cwd, file);
  const dir = dirname(abs);
  const real = existsSync(dir) ? resolve(realpathSync(dir), basename(abs)) : abs;
  const rel = relative(root, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new GitError(['show'], `${file} is not inside the Git repository at ${root}`);
  }
  return rel.split(sep).join('/');
}

export interface BaseRevision {
  /** The commit compared against; undefined when the repository has no commit yet. */
  readonly commit?: string;
  /** How it was chosen, for the report: `merge base of HEAD and main`, `origin/main`, … */
  readonly description: string;
}

/** Branches tried, in order, for the default base. */
export function defaultBaseCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  // On a GitHub pull request the target branch is known (and usually only as origin/<branch>).
  if (env.GITHUB_BASE_REF) out.push(`origin/${env.GITHUB_BASE_REF}`, env.GITHUB_BASE_REF);
  out.push('main', 'origin/main', 'master', 'origin/master');
  return [...new Set(out)];
}

/**
 * The revision `plan` compares against: `rev` when given (must name a commit), otherwise the merge
 * base of HEAD with the first of main, origin/main, master, origin/master that exists; without
 * any of those, HEAD itself (the plan then shows uncommitted edits); without any commit, nothing
 * (every tenant is new).
 */
export function chooseBase(cwd: string, rev?: string, env: NodeJS.ProcessEnv = process.env): BaseRevision {
  if (rev !== undefined) {
    const commit = resolveCommit(cwd, rev);
    if (commit === undefined) {
      throw new GitError(['rev-parse', rev], `"${rev}" does not name a commit in this repository (try a branch, tag or SHA; in CI fetch history with fetch-depth: 0)`);
    }
    return { commit, description: rev };
  }
  const head = resolveCommit(cwd, 'HEAD');
  if (head === undefined) return { description: 'empty repository (no commit yet)' };
  for (const candidate of defaultBaseCandidates(env)) {
    if (resolveCommit(cwd, candidate) === undefined) continue;
    try {
      const commit = git(cwd, ['merge-base', 'HEAD', candidate]).trim();
      if (commit) return { commit, description: `merge base of HEAD and ${candidate}` };
    } catch {
      // Unrelated histories: try the next candidate.
    }
  }
  return { commit: head, description: 'HEAD (no main or master branch found)' };
}

/** A file's content at a commit, or undefined when the file does not exist there. */
export function readAtCommit(root: string, commit: string, path: string): string | undefined {
  const listed = git(root, ['ls-tree', '--full-tree', '--name-only', commit, '--', path]).trim();
  if (listed === '') return undefined;
  return git(root, ['show', `${commit}:${path}`]);
}
