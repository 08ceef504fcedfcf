/** `synth` and the platform's tenant domain: a tenant list that takes it is refused and nothing is written. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSynth } from '../../cli/commands/synth';
import { captureOutput } from './capture-output';

const list = (tenant: string) => `defaults:
  image: ghcr.io/stefanprodan/podinfo:6.7.1
  port: 9898
  probes: { readiness: /readyz, liveness: /healthz }
  resources:
    requests: { cpu: 100m, memory: 128Mi }
    limits: { cpu: 500m, memory: 512Mi }
  scaling:
    max: 3
    metric:
      requestRate: { target: 10 }
tenants:
  - name: ahmed
    hosts: [ahmed.tenants.example.com]
${tenant}`;

async function synth(tenant: string): Promise<{ code: number; out: string; log: ReturnType<typeof capture> }> {
  const dir = mkdtempSync(join(tmpdir(), 'synth-domain-'));
  const file = join(dir, 'tenants.yaml');
  writeFileSync(file, list(tenant));
  const log = captureOutput();
  const out = join(dir, 'dist');
  return { code: await runSynth({ tenants: file, out }, log), out, log };
}

describe('synth and the tenant domain (tenants/rules/domains.ts platformDomainProblems)', () => {
  test('a tenant owning the tenant domain is refused, naming tenant, field and value; nothing is written', async () => {
    const { code, out, log } = await synth('  - name: evil\n    hosts: [evil.tenants.example.com]\n    domains: [tenants.example.com]\n');
    expect(code).toBe(1);
    const text = log.stderr.join('\n');
    expect(text).toContain('evil');
    expect(text).toContain('domains.0');
    expect(text).toContain('"tenants.example.com" is the platform\'s tenant domain tenants.example.com');
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  test('a tenant with its own name under the tenant domain and a domain of its own is written', async () => {
    const { code, out } = await synth('  - name: fatima\n    hosts: [fatima.tenants.example.com, assistant.fatima.example.org]\n    domains: [fatima.example.org]\n');
    expect(code).toBe(0);
    expect(existsSync(join(out, 'tenants', 'fatima.yaml'))).toBe(true);
  }, 60_000);
});
