import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findYamlFiles, parseYamlObjects } from '../../cli/conformance/yaml-documents';
import { tempDir } from './fixtures';

describe('reading manifests', () => {
  it('reads scalars as kubectl (go-yaml v2) does: 1.1 booleans and octals, timestamps and base-60 as strings', () => {
    const { objects, problems } = parseYamlObjects('a.yaml', 'a: on\nb: 0755\nc: 2024-01-02\nd: 1:20\ne: "on"\nf: 1e3\n');
    expect(problems).toEqual([]);
    expect(objects[0].value).toEqual({ a: true, b: 493, c: '2024-01-02', d: '1:20', e: 'on', f: 1000 });
  });

  it('splits multi-document streams, skips empty documents and flattens kind: List', () => {
    const text = '---\napiVersion: v1\nkind: ConfigMap\n---\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n- kind: A\n- kind: B\n';
    const { objects } = parseYamlObjects('m.yaml', text);
    expect(objects.map((o) => [o.document, o.line, o.item, (o.value as { kind: string }).kind])).toEqual([
      [1, 2, undefined, 'ConfigMap'],
      [4, 8, 0, 'A'],
      [4, 8, 1, 'B'],
    ]);
  });

  it('reports documents that are not objects or not YAML, with their line', () => {
    const { objects, problems } = parseYamlObjects('x.yaml', 'kind: A\n---\n- 1\n- 2\n---\na: [1\n');
    expect(objects).toHaveLength(1);
    expect(problems[0]).toEqual({ file: 'x.yaml', document: 2, line: 3, message: 'the document is a list, not a Kubernetes object' });
    expect(problems[1]).toMatchObject({ file: 'x.yaml', document: 3 });
    expect(problems[1].message).toMatch(/^not valid YAML: /);
  });

  it('finds *.yaml and *.yml recursively, sorted, skipping dot-directories and other files', () => {
    const dir = tempDir('find');
    mkdirSync(join(dir, 'tenants'));
    mkdirSync(join(dir, '.tenantscale-staging-1'));
    for (const f of ['tenants/b.yaml', 'tenants/a.yml', 'platform.YAML', 'notes.md', '.tenantscale-staging-1/x.yaml']) writeFileSync(join(dir, f), 'kind: A\n');
    expect(findYamlFiles(dir)).toEqual([join(dir, 'platform.YAML'), join(dir, 'tenants', 'a.yml'), join(dir, 'tenants', 'b.yaml')]);
    expect(findYamlFiles(join(dir, 'notes.md'))).toEqual([join(dir, 'notes.md')]);
  });
});
