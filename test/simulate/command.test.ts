import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulateCommand } from '../../cli/commands/simulate';
import { captureOutput } from '../cli/capture-output';
import { EXAMPLE_DIR } from '../example-project';

const ROOT = join(__dirname, '..', '..');

describe('tenantscale simulate (command)', () => {
  it('prints the report for the repository\'s tenants on the dev stack', () => {
    const out = captureOutput();
    expect(runSimulateCommand({ cwd: EXAMPLE_DIR, days: 1, format: 'json' }, out)).toBe(0);
    const r = JSON.parse(out.stdout.join('\n'));
    expect(r.tenants).toBe(6);
    expect(r.stack).toBe('dev');
  });

  it('refuses a bad profile file with field, value, allowed and fix, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenantscale-sim-'));
    writeFileSync(join(dir, 'profile.yaml'), 'days: 90\n');
    const out = captureOutput();
    expect(runSimulateCommand({ cwd: EXAMPLE_DIR, profile: join(dir, 'profile.yaml') }, out)).toBe(1);
    expect(out.stdout).toEqual([]);
    expect(out.stderr.join('\n')).toMatch(/field days = 90: .*\(allowed: an integer from 1 to 31; fix: simulate one week: days: 7\)/);
    expect(readdirSync(dir)).toEqual(['profile.yaml']);
  });

  it('names a missing stack file and how to fix it', () => {
    const out = captureOutput();
    expect(runSimulateCommand({ cwd: ROOT, stack: 'nope' }, out)).toBe(1);
    expect(out.stderr.join('\n')).toMatch(/Pulumi\.nope\.yaml does not exist .*fix: pass --stack dev/);
  });
});
