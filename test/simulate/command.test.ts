import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulateCommand } from '../../cli/commands/simulate';
import type { Output } from '../../cli/output';
import pc from 'picocolors';

const ROOT = join(__dirname, '..', '..');

function capture(): Output & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, info: (l) => stdout.push(l), warn: (l) => stderr.push(l), error: (l) => stderr.push(l), color: pc.createColors(false) };
}

describe('tenantscale simulate (command)', () => {
  it('prints the report for the repository\'s tenants on the dev stack', () => {
    const out = capture();
    expect(runSimulateCommand({ cwd: ROOT, days: 1, format: 'json' }, out)).toBe(0);
    const r = JSON.parse(out.stdout.join('\n'));
    expect(r.tenants).toBe(6);
    expect(r.stack).toBe('dev');
  });

  it('refuses a bad profile file with field, value, allowed and fix, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-sim-'));
    writeFileSync(join(dir, 'profile.yaml'), 'days: 90\n');
    const out = capture();
    expect(runSimulateCommand({ cwd: ROOT, profile: join(dir, 'profile.yaml') }, out)).toBe(1);
    expect(out.stdout).toEqual([]);
    expect(out.stderr.join('\n')).toMatch(/field days = 90: .*\(allowed: an integer from 1 to 31; fix: simulate one week: days: 7\)/);
    expect(readdirSync(dir)).toEqual(['profile.yaml']);
  });

  it('names a missing stack file and how to fix it', () => {
    const out = capture();
    expect(runSimulateCommand({ cwd: ROOT, stack: 'nope' }, out)).toBe(1);
    expect(out.stderr.join('\n')).toMatch(/Pulumi\.nope\.yaml does not exist .*fix: pass --stack dev/);
  });
});
