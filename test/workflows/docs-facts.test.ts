/**
 * Issue 21 item 6: the docs and comments that disagreed with the code now quote it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyPoolWake } from '../../tenants/rules/placement';
import { TenantEntrySchema } from '../../tenants/schema';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

test('docs/runbooks.md gives the node boot of an empty pool that placement and simulate use (~74 s), not 30-45 s', () => {
  const runbooks = read('docs/runbooks.md');
  expect(runbooks).not.toMatch(/30\s*[–-]\s*45 s/);
  expect(runbooks).toContain(`waits about ${emptyPoolWake().seconds} s for a new node`);
});

test("the schema's name description names the objects tenantscale writes (InterceptorRoute and ScaledObject, no HTTPScaledObject)", () => {
  const name = (TenantEntrySchema as unknown as { shape: { name: { description?: string } } }).shape.name.description ?? '';
  expect(name).toContain('InterceptorRoute, ScaledObject and HTTPRoute are named `<name>`');
  expect(name).not.toContain('HTTPScaledObject');
  expect(read('tenants/tenants.schema.json')).not.toContain('Deployment, Service, HTTPScaledObject and HTTPRoute');
});

test('constructs/platform/versions.ts names the config key that overrides a version, and that key exists', () => {
  const versions = read('constructs/platform/versions.ts');
  expect(versions).not.toContain('tenantscale:versions');
  expect(versions).toContain('tenantscale:components.<component>.version');
  expect(read('infra/config.ts')).toContain("version: chartVersion(`${key}.version`, pinned)");
});

test('docs/sources.md says what "the lessons" and "seed 000" are and points at upstream documentation', () => {
  const sources = read('docs/sources.md');
  expect(sources).toContain('**Seed 000** is the main one');
  expect(sources).toMatch(/https:\/\/kubernetes\.io\/docs\//);
  expect(sources).toContain('not shipped with\ntenantscale');
});
