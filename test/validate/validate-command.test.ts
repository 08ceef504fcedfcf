import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import pc from 'picocolors';
import { parseAllDocuments } from 'yaml';
import { synthesize, synthesizeToDirectory } from '../../cli/commands/synth';
import { register, runValidate, ValidateOptions } from '../../cli/commands/validate';
import { Output } from '../../cli/output';
import { loadTenants } from '../../tenants/validate';
import { ALL_CRDS, HTTP_ROUTE, tempDir, writeCrdDir, writeManifests } from './fixtures';

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
const exampleTenants = loadTenants(join(__dirname, '..', '..', 'tenants', 'tenants.yaml'));
const synthesized = synthesize({ tenants: exampleTenants });
const dist = tempDir('dist');
synthesizeToDirectory(dist, { tenants: exampleTenants }, { threads: 1 });
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
    // The target "port or portName" rule of the fixture, once per InterceptorRoute.
    expect(result.warnings).toEqual([`note: ${synthesized.kinds.InterceptorRoute} CEL rules (x-kubernetes-validations) on the validated fields were not evaluated`]);
    expect(result.code).toBe(0);
  });

  it('fail, kind by kind, without the CRDs: no schema is an error, not a skip', () => {
    const result = run({ dir: dist, crds: writeCrdDir(ALL_CRDS.filter((c) => c !== HTTP_ROUTE)) });
    expect(result.code).toBe(1);
    const routeLines = result.errors.filter((l) => l.includes('HTTPRoute'));
    expect(routeLines).toHaveLength(synthesized.kinds.HTTPRoute);
    expect(routeLines[0]).toMatch(
      /^.+\.yaml: HTTPRoute tenant-[a-z0-9-]+\/[a-z0-9-]+: \(object\): no schema for gateway\.networking\.k8s\.io\/v1 HTTPRoute; pass --crds DIR with its CustomResourceDefinition \(none of the 7 CRDs loaded defines HTTPRoute\.gateway\.networking\.k8s\.io\)$/,
    );
    expect(result.errors[result.errors.length - 1]).toBe(`✗ validated ${synthesized.objectCount} objects in ${synthesized.files.size} files: ${synthesized.kinds.HTTPRoute} failed`);
  });
});

describe('tenantscale validate: failing objects', () => {
  const dir = tempDir('bad');

  function failing(name: string, mutate: (objects: Record<string, any>[]) => Record<string, any>[] | void): { file: string; lines: string[]; code: number } {
    const objects = tenantObjects();
    const file = writeManifests(dir, name, mutate(objects) ?? objects);
    const result = run({ dir: file, crds });
    return { file, lines: result.errors, code: result.code };
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

  it('a kind nobody defines', () => {
    const { file, lines } = failing('unknown-kind.yaml', () => [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' } }]);
    expect(lines).toEqual([
      `${file}: Widget n/w: (object): no schema for example.com/v1 Widget; pass --crds DIR with its CustomResourceDefinition (none of the 8 CRDs loaded defines Widget.example.com)`,
      '✗ validated 1 object in 1 file: 1 failed',
    ]);
  });

  it('a CRD field violation: InterceptorRoute target without service', () => {
    const { file, lines } = failing('no-service.yaml', (objects) => {
      delete find(objects, 'InterceptorRoute').spec.target.service;
    });
    const h = find(tenantObjects(), 'InterceptorRoute');
    expect(lines[0]).toBe(`${file}: InterceptorRoute ${h.metadata.namespace}/${h.metadata.name}: spec.target.service: missing required field "service"`);
    expect(lines).toHaveLength(2);
  });

  it('metadata: a namespaced object without namespace, a cluster-scoped one with one, and a duplicate', () => {
    const { file, lines } = failing('metadata.yaml', (objects) => {
      const ns = find(objects, 'Namespace');
      ns.metadata.namespace = 'default';
      delete find(objects, 'Service').metadata.namespace;
      return [...objects, find(objects, 'HTTPRoute')];
    });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${file}: Namespace default/tenant-[a-z0-9-]+: metadata.namespace: Namespace is cluster-scoped: the API server ignores metadata.namespace; remove it$`)),
        expect.stringMatching(new RegExp(`^${file}: Service [a-z0-9-]+: metadata.namespace: missing namespace: Service is namespaced`)),
        expect.stringMatching(new RegExp(`^${file}: HTTPRoute tenant-[a-z0-9-]+/[a-z0-9-]+: \\(object\\): duplicate object: ${file} \\(document \\d+\\) already defines HTTPRoute`)),
      ]),
    );
    expect(lines[lines.length - 1]).toMatch(/: 3 failed$/);
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
      schemas: { kubernetes: 'kubernetes-models 4.5.1', crds: 0 },
      unchecked: { celRules: 0, patterns: 0 },
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
    expect(full).toContain('Exit codes: 0 every object conforms; 1 an object fails, has no schema, or an input or schema');
  });
});
