/**
 * Issue 18, item 3: the FluxInstance tenantscale writes is validated strictly, against the
 * project's own schema of it (cli/conformance/flux-instance-crd.ts, from
 * controlplaneio-fluxcd/flux-operator@v0.58.1 api/v1/fluxinstance_types.go).
 */
import { crdCatalog, loadCrdDirectory } from '../../cli/conformance/crd-catalog';
import { ALL_CRDS, writeCrdDir } from '../validate/fixtures';
import { FLUX_INSTANCE_CRD, PROJECT_CRDS } from '../../cli/conformance/flux-instance-crd';
import { fluxInstanceManifest } from '../../constructs/platform/flux-instance';
import { readSynthStack } from '../../cli/synth-stack';

const schema = crdCatalog(PROJECT_CRDS).lookup({ group: 'fluxcd.controlplane.io', version: 'v1', kind: 'FluxInstance' })!;
const check = (object: Record<string, unknown>) => schema.validate(object).problems.map((p) => `${p.path.join('.')}: ${p.message}`);
const edit = (change: (o: any) => void): Record<string, unknown> => {
  const o = JSON.parse(JSON.stringify(fluxInstanceManifest()));
  change(o);
  return o;
};

describe('the FluxInstance against the project schema', () => {
  test('the schema is the one FluxInstance CRD, namespaced, v1 served', () => {
    expect(schema).toBeDefined();
    expect(schema.scope).toBe('Namespaced');
    expect(FLUX_INSTANCE_CRD.spec.versions.map((v) => v.name)).toEqual(['v1']);
  });

  test('passing: the object tenantscale writes (each size) is accepted', () => {
    for (const size of ['small', 'medium', 'large'] as const) expect(check(fluxInstanceManifest({ size }))).toEqual([]);
  });

  test('failing: a name other than flux (the CRD rule at fluxinstance_types.go:519)', () => {
    expect(check(edit((o) => (o.metadata.name = 'tenants'))).join('\n')).toContain("the only accepted name for a FluxInstance is 'flux'");
  });

  test('failing: an unknown size, component or cluster type (enums at :209, :120, :201)', () => {
    expect(check(edit((o) => (o.spec.cluster.size = 'huge'))).join('\n')).toMatch(/spec\.cluster\.size: .*(small|one of)/);
    expect(check(edit((o) => o.spec.components.push('helm-operator'))).join('\n')).toMatch(/spec\.components\.2: /);
    expect(check(edit((o) => (o.spec.cluster.type = 'doks'))).join('\n')).toMatch(/spec\.cluster\.type: /);
  });

  test('failing: a missing registry (required at :92) and an unknown field (strict)', () => {
    expect(check(edit((o) => delete o.spec.distribution.registry)).join('\n')).toMatch(/spec\.distribution.*registry/);
    expect(check(edit((o) => (o.spec.cluster.sizes = 'large'))).join('\n')).toMatch(/spec\.cluster.*sizes/);
    expect(check(edit((o) => (o.spec.distribution.artifact = 'https://example.com/x'))).join('\n')).toMatch(/spec\.distribution\.artifact: /);
  });

  test('synth --stack (flux) writes the FluxInstance first in flux/delivery.yaml, the object FluxTenantDelivery creates', () => {
    const stack = readSynthStack('test/fixtures/stacks/Pulumi.flux.yaml');
    expect(stack.flux?.delivery[0]).toEqual(fluxInstanceManifest({ size: stack.config.flux.size }));
  });

  test('validate --crds DIR: a directory without the FluxInstance CRD gets the project schema (before: "not checked"), counted apart', () => {
    const catalog = loadCrdDirectory(writeCrdDir(ALL_CRDS));
    expect(catalog.size).toBe(ALL_CRDS.length);
    expect(catalog.projectKinds).toEqual(['FluxInstance']);
    expect(catalog.lookup({ group: 'fluxcd.controlplane.io', version: 'v1', kind: 'FluxInstance' })?.validate(edit((o) => (o.metadata.name = 'x'))).problems).toHaveLength(1);
  });
});
