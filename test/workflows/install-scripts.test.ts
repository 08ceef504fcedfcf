/**
 * "npm ci runs no dependency install scripts" must hold on npm 10 (Node 20's own npm, what CI's
 * setup-node gives) as on npm 11. Only recent npm 11 releases read package.json's allowScripts;
 * npm 10 ignores it and runs every install script. `ignore-scripts=true` in .npmrc is honoured by
 * every npm version, so it is what makes the claim true; the TypeScript build that `prepare` used
 * to run happens on first use instead (scripts/build-if-stale.js). .ci/run observes it for real
 * with npm 10 (it needs the registry); here the settings that make it true are checked.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** key=value settings of an .npmrc (comments and blank lines skipped). */
function npmrc(file: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const raw of read(file).split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    settings[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return settings;
}

/** Packages of a lockfile that declare install scripts (npm records `hasInstallScript`). */
function withInstallScripts(lockfile: string): string[] {
  const lock = JSON.parse(read(lockfile)) as { packages: Record<string, { hasInstallScript?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && p.hasInstallScript === true)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    .sort();
}

const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

describe.each([
  ['the program', '', 'package.json'],
  ['the policy pack', 'policies/', 'policies/package.json'],
])('%s: npm ci runs no install scripts on any npm version', (_name, dir, manifest) => {
  const pkg = JSON.parse(read(manifest)) as { scripts?: Record<string, string>; allowScripts?: Record<string, boolean> };

  test('.npmrc sets ignore-scripts=true (npm 6 to 11 honour it)', () => {
    expect(npmrc(`${dir}.npmrc`)['ignore-scripts']).toBe('true');
  });

  test('allowScripts denies every dependency that has install scripts (for npm 11 run with --ignore-scripts=false)', () => {
    const scripted = withInstallScripts(`${dir}package-lock.json`);
    expect(scripted.length).toBeGreaterThan(0);
    for (const name of scripted) expect(pkg.allowScripts?.[name]).toBe(false);
  });

  test('the package has no install-time lifecycle script of its own, which would silently not run', () => {
    for (const script of LIFECYCLE) expect(pkg.scripts?.[script]).toBeUndefined();
  });
});

describe('the build that `prepare` used to run', () => {
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  test('every npm script that runs build/ directly compiles first when the sources changed', () => {
    const direct = Object.entries(pkg.scripts).filter(([, cmd]) => /node build\//.test(cmd));
    expect(direct.map(([name]) => name)).toEqual(expect.arrayContaining(['bench', 'bench:plan']));
    for (const [, cmd] of direct) expect(cmd.startsWith('node scripts/build-if-stale.js && ')).toBe(true);
    expect(pkg.scripts.test).toBe('node scripts/build-if-stale.js && jest');
    expect(pkg.scripts.build).toBe('node scripts/build-if-stale.js --always');
  });

  test('the CLI entry point (npm run synth, npx tenantscale) compiles first when the sources changed', () => {
    const bin = read('bin/tenantscale.js');
    expect(bin.indexOf("require('../scripts/build-if-stale.js').ensureBuilt()")).toBeGreaterThan(0);
    expect(bin.indexOf('ensureBuilt()')).toBeLessThan(bin.indexOf("require('../build/cli/index.js')"));
  });

  test('the fingerprint of the sources is stable while nothing changes', () => {
    const { fingerprint } = require('../../scripts/build-if-stale.js') as { fingerprint(): string };
    expect(fingerprint()).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint()).toBe(fingerprint());
  });

  test('the pull-request workflow builds explicitly right after npm ci; no workflow turns scripts back on', () => {
    const pr = parse(read('.github/workflows/pr.yml')) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const runs = pr.jobs.checks.steps.map((s) => s.run?.trim() ?? '');
    const install = runs.indexOf('npm ci --no-audit --no-fund');
    expect(install).toBeGreaterThanOrEqual(0);
    expect(runs[install + 1]).toBe('npm run build');
    for (const file of ['pr.yml', 'deploy.yml']) {
      expect(read(`.github/workflows/${file}`)).not.toMatch(/ignore-scripts=false|--no-ignore-scripts|dangerously-allow-all-scripts/);
    }
  });
});
