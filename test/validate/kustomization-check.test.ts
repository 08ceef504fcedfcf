import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatPath } from '../../cli/conformance/field-path';
import { checkKustomization, isKustomizeConfig } from '../../cli/conformance/kustomization-check';
import { runValidate } from '../../cli/commands/validate';
import pc from 'picocolors';
import { tempDir } from './fixtures';

const lines = (problems: { path: (string | number)[] | readonly (string | number)[]; message: string }[]) => problems.map((p) => `${formatPath(p.path)}: ${p.message}`);

describe('kustomization wiring', () => {
  const dir = '/out';
  const files = ['/out/kustomization.yaml', '/out/tenants/a.yaml', '/out/tenants/b.yaml', '/out/platform/platform.yaml', '/elsewhere/x.yaml'];
  const exists = (path: string) => files.includes(path) || path === '/out/platform';

  it('recognizes kustomize build files, not API objects', () => {
    expect(isKustomizeConfig({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' })).toBe(true);
    expect(isKustomizeConfig({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' })).toBe(true);
    expect(isKustomizeConfig({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' })).toBe(false);
  });

  it('accepts a kustomization listing every manifest beside and below it (files, directories, remote bases)', () => {
    const k = { resources: ['tenants/a.yaml', 'tenants/b.yaml', 'platform', 'https://github.com/org/repo//base?ref=v1'] };
    expect(checkKustomization(`${dir}/kustomization.yaml`, k, files, exists)).toEqual([]);
  });

  it('reports a listed resource that does not exist and a manifest it does not list', () => {
    const k = { resources: ['tenants/a.yaml', 'tenants/c.yaml', 'platform'] };
    expect(lines(checkKustomization(`${dir}/kustomization.yaml`, k, files, exists))).toEqual([
      'resources[1]: "tenants/c.yaml" does not exist (relative to /out); kustomize build fails',
      'resources: does not list tenants/b.yaml, so kustomize, Argo CD and Flux never apply it',
    ]);
  });

  it('reports malformed lists', () => {
    expect(lines(checkKustomization(`${dir}/kustomization.yaml`, { resources: 'tenants/a.yaml', components: [3] }, [], exists))).toEqual([
      'resources: expected a list of paths, got string',
      'components[0]: expected a non-empty path or URL',
    ]);
  });

  it('is checked by tenantscale validate instead of asking for a schema', () => {
    const out = tempDir('kustomize');
    mkdirSync(join(out, 'tenants'));
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: t\n`;
    writeFileSync(join(out, 'tenants', 'a.yaml'), cm('a'));
    writeFileSync(join(out, 'tenants', 'b.yaml'), cm('b'));
    writeFileSync(join(out, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - tenants/a.yaml\n');
    const errors: string[] = [];
    const info: string[] = [];
    const code = runValidate({ dir: out }, { info: (l) => info.push(l), warn: () => undefined, error: (l) => errors.push(l), color: pc.createColors(false) });
    expect(code).toBe(1);
    expect(errors).toEqual([
      `${join(out, 'kustomization.yaml')}: Kustomization: resources: does not list tenants/b.yaml, so kustomize, Argo CD and Flux never apply it`,
      '✗ validated 3 objects in 3 files: 1 failed',
    ]);
    writeFileSync(join(out, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - tenants/a.yaml\n  - tenants/b.yaml\n');
    expect(runValidate({ dir: out, quiet: true }, { info: () => undefined, warn: () => undefined, error: (l) => errors.push(l), color: pc.createColors(false) })).toBe(0);
  });
});
