import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { parseAllDocuments } from 'yaml';
import { synthesize, synthesizeToDirectory } from '../../cli/commands/synth';
import { register, runValidate, ValidateOptions } from '../../cli/commands/validate';
import { Output } from '../../cli/output';
import { loadTenants } from '../../tenants/validate';
import { ALL_CRDS, HTTP_ROUTE, tempDir, writeCrdDir, writeManifests } from './fixtures';
import { bundledCrdCatalog } from '../../cli/conformance/crd-catalog';
import { EXAMPLE_TENANTS } from '../example-project';

const colorless = pc.createColors(false);

function run(options: ValidateOptions): { code: number; info: string[]; warnings: string[]; errors: string[]; stdout: string } {
  const info: string[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  let stdout = '';
  const quiet = options.quiet ?? false;
  const out: Output = {
    info: (line) => (quiet ? undefined : info.push(line)),
    warn: (line) => (quiet ? undefined : warnings.push(line)),
    error: (line) => errors.push(line),
    color: colorless,
  };
  const code = runValidate(options, out, (text) => (stdout += text));
  return { code, info, warnings, errors, stdout };
}

// The example tenants, synthesized exactly as `tenantscale synth` writes them.
// Plain HTTP: the hand-written fixture CRDs have no Certificate or ListenerSet (the HTTPS objects
// are validated against the pinned upstream CRDs in CI, `validate --crds ../shared/crds`).
const exampleTenants = loadTenants(EXAMPLE_TENANTS).map((t) => ({ ...t, tls: false }));
const synthesized = synthesize({ tenants: exampleTenants });
const dist = tempDir('dist');
beforeAll(() => synthesizeToDirectory(dist, { tenants: exampleTenants }, { threads: 1 }));
const crds = writeCrdDir(ALL_CRDS);

/** The synthesized objects of one tenant file, as plain data to mutate. */
function tenantObjects(): Record<string, any>[] {
  const [path, text] = [...synthesized.files].find(([p]) => p.startsWith('tenants/'))!;
  expect(path).toMatch(/^tenants\/.+\.yaml$/);
  return parseAllDocuments(text).map((d) => d.toJS());
}
const find = (objects: Record<string, any>[], kind: string) => objects.find((o) => o.kind === kind)!;

describe('tenantscale validate: the synthesized example tenants', () => {
  it('pass against kubernetes-models and the CRDs', () => {
    const result = run({ dir: dist, crds });
    const files = [...synthesized.files.keys()].length;
    expect(result.errors).toEqual([]);
    expect(result.info).toContain(`✓ validated ${synthesized.objectCount} objects in ${files} files: 0 failed`);
    expect(result.info).toContain(`schemas: kubernetes-models 4.5.1; ${ALL_CRDS.length} CRDs from ${crds}`);
    // The scaleTargetRef "port or portName" rule of the fixture, once per InterceptorRoute: evaluated.
    expect(result.warnings).toEqual([]);
    expect(result.info).toContain(`CEL rules: ${synthesized.kinds.InterceptorRoute} evaluated, 0 not evaluated (listed above), 0 transition rules skipped (they apply to updates only)`);
    expect(result.code).toBe(0);
  });

  it('without a CRD: its objects are reported as not checked, apart from failures; --require-schemas fails them', () => {
    const partial = writeCrdDir(ALL_CRDS.filter((c) => c !== HTTP_ROUTE));
    const result = run({ dir: dist, crds: partial });
    expect(result.code).toBe(0);
    expect(result.errors).toEqual([]);
    const routeLines = result.warnings.filter((l) => l.includes('HTTPRoute') && !l.startsWith('!'));
    expect(routeLines).toHaveLength(synthesized.kinds.HTTPRoute);
    expect(routeLines[0]).toMatch(
      /^.+\.yaml: HTTPRoute tenant-[a-z0-9-]+\/[a-z0-9-]+: \(object\): note: not checked: no schema for gateway\.networking\.k8s\.io\/v1 HTTPRoute; pass --crds DIR with its CustomResourceDefinition \(none of the 8 CRDs loaded defines HTTPRoute\.gateway\.networking\.k8s\.io\)$/,
    );
    // A run that checked less than every object says so in its summary line (issue 21): no ✓.
    expect(result.info.filter((l) => l.startsWith('✓'))).toEqual([]);
    expect(result.warnings.at(-1)).toBe(
      `! validated ${synthesized.objectCount} objects in ${synthesized.files.size} files: 0 failed, ${synthesized.kinds.HTTPRoute} not checked (no schema): INCOMPLETE, ${synthesized.kinds.HTTPRoute} of ${synthesized.objectCount} objects not checked; pass --crds DIR with their CRDs, and --require-schemas to fail such a run`,
    );
    const strict = run({ dir: dist, crds: partial, requireSchemas: true });
    expect(strict.code).toBe(1);
    expect(strict.errors[strict.errors.length - 1]).toBe(`✗ validated ${synthesized.objectCount} objects in ${synthesized.files.size} files: 0 failed, ${synthesized.kinds.HTTPRoute} not checked (no schema)`);
  });
});

describe('tenantscale validate: failing objects', () => {
  const dir = tempDir('bad');

  function failing(name: string, mutate: (objects: Record<string, any>[]) => Record<string, any>[] | void, options: Partial<ValidateOptions> = {}): { file: string; lines: string[]; notes: string[]; code: number } {
    const objects = tenantObjects();
    const file = writeManifests(dir, name, mutate(objects) ?? objects);
    const result = run({ dir: file, crds, ...options });
    return { file, lines: result.errors, notes: result.warnings, code: result.code };
  }

  it('an unknown field in a Deployment', () => {
    const { file, lines, code } = failing('unknown-field.yaml', (objects) => {
      find(objects, 'Deployment').spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    });
    const d = find(tenantObjects(), 'Deployment');
    expect(code).toBe(1);
    expect(lines).toEqual([
      `${file}: Deployment ${d.metadata.namespace}/${d.metadata.name}: spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy"`,
      `✗ validated ${tenantObjects().length} objects in 1 file: 1 failed`,
    ]);
  });

  it('a wrong type and a missing required field', () => {
    const { file, lines } = failing('type-and-required.yaml', (objects) => {
      const d = find(objects, 'Deployment');
      d.spec.template.spec.containers[0].ports[0].containerPort = '9898';
      delete d.spec.selector;
    });
    const d = find(tenantObjects(), 'Deployment');
    const who = `${file}: Deployment ${d.metadata.namespace}/${d.metadata.name}`;
    expect(lines.slice(0, -1).sort()).toEqual([
      `${who}: spec.selector: missing required field "selector"`,
      `${who}: spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string "9898"`,
    ]);
  });

  it('a kind nobody defines is not checked (exit 0), and fails under --require-schemas', () => {
    const { file, lines, notes, code } = failing('unknown-kind.yaml', () => [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' } }]);
    expect(code).toBe(0);
    expect(lines).toEqual([]);
    expect(notes).toEqual([
      `${file}: Widget n/w: (object): note: not checked: no schema for example.com/v1 Widget; pass --crds DIR with its CustomResourceDefinition (none of the 9 CRDs loaded defines Widget.example.com)`,
      '! validated 1 object in 1 file: 0 failed, 1 not checked (no schema): INCOMPLETE, 1 of 1 objects not checked; pass --crds DIR with their CRDs, and --require-schemas to fail such a run',
    ]);
    const strict = failing('unknown-kind.yaml', () => [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' } }], { requireSchemas: true });
    expect(strict.code).toBe(1);
    expect(strict.lines).toEqual(['✗ 1 object has no schema and --require-schemas is set', '✗ validated 1 object in 1 file: 0 failed, 1 not checked (no schema)']);
  });

  it('a built-in group without the kind is a problem: the API server has no such resource', () => {
    const { file, lines, code } = failing('no-such-builtin.yaml', () => [{ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'w', namespace: 'n' } }]);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(new RegExp(`^${file}: Deploymnet n/w: \\(object\\): no schema for apps/v1 Deploymnet in kubernetes-models`));
  });

  it('a CRD field violation: InterceptorRoute target without service', () => {
    const { file, lines } = failing('no-service.yaml', (objects) => {
      delete find(objects, 'InterceptorRoute').spec.target.service;
    });
    const h = find(tenantObjects(), 'InterceptorRoute');
    expect(lines[0]).toBe(`${file}: InterceptorRoute ${h.metadata.namespace}/${h.metadata.name}: spec.target.service: missing required field "service"`);
    expect(lines).toHaveLength(2);
  });

  it('metadata: no namespace and a cluster-scoped namespace are notes (the applier and the API server handle them); a duplicate in one file fails', () => {
    const { file, lines, notes } = failing('metadata.yaml', (objects) => {
      const ns = find(objects, 'Namespace');
      ns.metadata.namespace = 'default';
      delete find(objects, 'Service').metadata.namespace;
      return [...objects, find(objects, 'HTTPRoute')];
    });
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}: Namespace default/tenant-[a-z0-9-]+: metadata.namespace: note: Namespace is cluster-scoped: the API server clears metadata.namespace; remove it$`)),
        expect.stringMatching(new RegExp(`^${file}: Service [a-z0-9-]+: metadata.namespace: note: no namespace: Service is namespaced, so it lands in the namespace the applier defaults to`)),
      ]),
    );
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${file}: HTTPRoute tenant-[a-z0-9-]+/[a-z0-9-]+: \\(object\\): duplicate object: ${file} \\(document \\d+\\) already defines HTTPRoute`)),
      expect.stringMatching(/: 1 failed$/),
    ]);
  });

  it('--require-namespace: a namespaced object without namespace fails', () => {
    const { lines, code } = failing('no-namespace.yaml', (objects) => void delete find(objects, 'Service').metadata.namespace, { requireNamespace: true });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/Service [a-z0-9-]+: metadata.namespace: no namespace: Service is namespaced, .*; --require-namespace asks for an explicit one$/);
  });

  it('the same object in two unrelated files is a note; under one kustomization it fails', () => {
    const two = tempDir('dup');
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } };
    writeManifests(two, 'a.yaml', [cm]);
    writeManifests(two, 'b.yaml', [cm]);
    const loose = run({ dir: two });
    expect(loose.code).toBe(0);
    expect(loose.warnings).toEqual([`${join(two, 'b.yaml')}: ConfigMap n/c: (object): note: also defined in ${join(two, 'a.yaml')} (document 1): applying both files, the later replaces the earlier`]);
    writeFileSync(join(two, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - a.yaml\n  - b.yaml\n');
    const built = run({ dir: two });
    expect(built.code).toBe(1);
    expect(built.errors[0]).toBe(`${join(two, 'b.yaml')}: ConfigMap n/c: (object): duplicate object: ${join(two, 'a.yaml')} (document 1) already defines ConfigMap n/c; kustomize build refuses this and an apply keeps only the later one`);
  });

  it('YAML that does not parse is reported with its file and line', () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n');
    const result = run({ dir: file, crds });
    expect(result.code).toBe(1);
    expect(result.errors[0]).toMatch(new RegExp(`^${file}: document 1: \\(object\\): not valid YAML: Map keys must be unique`));
  });
});

describe('tenantscale validate: output and options', () => {
  it('--format json reports every problem with its object and path', () => {
    const dir = tempDir('json');
    writeManifests(dir, 'a.yaml', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, dataa: {} }]);
    const result = run({ dir, format: 'json' });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      files: 1,
      objects: 1,
      failed: 1,
      notChecked: 0,
      complete: true,
      // No --crds: the bundled CRD schemas (cli/conformance/crd-schemas.json).
      schemas: { kubernetes: 'kubernetes-models 4.5.1', crds: bundledCrdCatalog().size },
      cel: { evaluated: 0, notEvaluated: 0, transitionRulesSkipped: 0 },
      unchecked: { celRules: 0, patterns: 0 },
      notes: [],
      celNotEvaluated: [],
      problems: [
        { file: join(dir, 'a.yaml'), line: 1, document: 1, apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'c', path: 'dataa', message: 'unknown field "dataa"' },
      ],
    });
  });

  it('--quiet prints nothing on success', () => {
    const result = run({ dir: dist, crds, quiet: true });
    expect(result.code).toBe(0);
    expect([...result.info, ...result.warnings, ...result.errors]).toEqual([]);
  });

  it('fails clearly on a missing directory, an empty one, and an unusable schema file', () => {
    expect(run({ dir: '/nonexistent/dist' }).errors).toEqual(['✗ /nonexistent/dist does not exist; run `tenantscale synth` first or name the directory to validate']);
    const empty = tempDir('empty');
    mkdirSync(join(empty, 'tenants'));
    expect(run({ dir: empty }).errors).toEqual([`✗ no *.yaml or *.yml files under ${empty}; run \`tenantscale synth\` first`]);
    const notSchema = join(empty, 'schema.json');
    writeFileSync(notSchema, '{"swagger": "2.0"}');
    const result = run({ dir: dist, k8sSchema: notSchema, format: 'json' });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ ok: false, error: `${notSchema}: not a Kubernetes OpenAPI v2 document: there is no top-level "definitions" object` });
  });

  it('--help lists the options and the exit codes', () => {
    const program = new Command('tenantscale');
    register(program);
    const help = program.commands.find((c) => c.name() === 'validate')!.helpInformation() + '';
    expect(help).toContain('--crds <dir>');
    expect(help).toContain('--k8s-schema <file>');
    expect(help).toContain('--format <format>');
    let full = '';
    program.commands.find((c) => c.name() === 'validate')!.configureOutput({ writeOut: (s) => (full += s) }).outputHelp();
    expect(help).toContain('--require-namespace');
    expect(help).toContain('--require-schemas');
    expect(full).toContain('Exit codes: 0 every checked object conforms (objects of a kind without a schema are reported\nas not checked, and the summary line then starts with "!" and says INCOMPLETE); 1 an object fails');
  });
});

describe('the bundled CRD schemas (issue 21 item 6)', () => {
  it('offline, without --crds: every object of the example output is checked, and --require-schemas passes', () => {
    const result = run({ dir: dist, requireSchemas: true, requireNamespace: true });
    expect(result.errors).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.info.at(-1)).toBe(`✓ validated ${synthesized.objectCount} objects in ${synthesized.files.size} files: 0 failed`);
    expect(result.info[0]).toMatch(/^schemas: kubernetes-models 4\.5\.1; \d+ CRDs from the bundled CRD schemas \(cli\/conformance\/crd-schemas\.json, from the pinned CRDs\)$/);
  });

  it('cover every CRD scripts/import-crds.sh imports, with the SHA-256 of each pinned file, and no descriptions', () => {
    const bundle = JSON.parse(readFileSync(join(__dirname, '../../cli/conformance/crd-schemas.json'), 'utf8')) as { crds: { source: { file: string; sha256: string }; spec: { group: string; names: { kind: string } } }[] };
    const imported = [...readFileSync(join(__dirname, '../../scripts/import-crds.sh'), 'utf8').matchAll(/^\s*\[[^\]]+\]="([^"]+)"/gm)].flatMap((m) => m[1].split(/\s+/)).sort();
    expect([...new Set(bundle.crds.map((c) => c.source.file))].sort()).toEqual(imported);
    expect(bundle.crds.every((c) => /^[0-9a-f]{64}$/.test(c.source.sha256))).toBe(true);
    expect(JSON.stringify(bundle)).not.toMatch(/"description":"/);
    // The kinds tenantscale writes, among them the ones the README's offline run reported "not checked".
    const kinds = bundle.crds.map((c) => `${c.spec.names.kind}.${c.spec.group}`);
    expect(kinds).toEqual(expect.arrayContaining(['ScaledObject.keda.sh', 'InterceptorRoute.http.keda.sh', 'HTTPRoute.gateway.networking.k8s.io', 'ListenerSet.gateway.networking.k8s.io', 'Certificate.cert-manager.io', 'VerticalPodAutoscaler.autoscaling.k8s.io', 'ServiceMonitor.monitoring.coreos.com', 'BackendTrafficPolicy.gateway.envoyproxy.io', 'Kustomization.kustomize.toolkit.fluxcd.io', 'OCIRepository.source.toolkit.fluxcd.io']));
  });

  it('a wrong field in a custom object fails against the bundled schema (it is checked, not skipped)', () => {
    const objects = tenantObjects();
    const route = find(objects, 'HTTPRoute');
    route.spec.hostnamez = route.spec.hostnames;
    const dir = tempDir('bundled');
    writeManifests(dir, 'route.yaml', [route]);
    const result = run({ dir });
    expect(result.code).toBe(1);
    expect(result.errors[0]).toMatch(/HTTPRoute .*: spec\.hostnamez: /);
  });
});
