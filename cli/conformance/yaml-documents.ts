/**
 * Reading Kubernetes YAML the way kubectl does: multi-document streams, YAML 1.1 scalars
 * (`on`, `yes`, `0755` are what kubectl reads them as), `kind: List` flattened into its items,
 * empty documents skipped. Also finds the YAML files under a directory.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments, Tags } from 'yaml';
import { isPlainObject } from './field-path';

/** One object read from a file. */
export interface YamlObject {
  readonly file: string;
  /** 1-based index of the YAML document in the file. */
  readonly document: number;
  /** 1-based line where the document's content starts (after any `---`). */
  readonly line: number;
  /** Index in the `items` of a `kind: List` document; undefined for a plain document. */
  readonly item?: number;
  readonly value: unknown;
}

/** A document that could not be read as an object. */
export interface YamlProblem {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  readonly message: string;
}

const YAML_FILE = /\.ya?ml$/i;

/**
 * kubectl reads YAML with go-yaml v2 (through sigs.k8s.io/yaml): YAML 1.1 booleans, octal and
 * floats, but a timestamp-looking scalar stays a string and there are no base-60 numbers
 * (`1:20` is a string). The `yaml` package's 1.1 schema has both, so they are taken out.
 */
function asKubectlReads(tags: Tags): Tags {
  return tags.filter((tag) => typeof tag === 'string' || !(tag.tag === 'tag:yaml.org,2002:timestamp' || tag.format === 'TIME'));
}

/**
 * Every `*.yaml`/`*.yml` under `path` (recursively, sorted, skipping dot-directories such as
 * synth's staging directory), or `[path]` when it is a file.
 */
export function findYamlFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && YAML_FILE.test(entry.name)) out.push(full);
    }
  };
  walk(path);
  return out;
}

/** Parses a YAML stream into objects; never throws. */
export function parseYamlObjects(file: string, text: string): { objects: YamlObject[]; problems: YamlProblem[] } {
  const objects: YamlObject[] = [];
  const problems: YamlProblem[] = [];
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { version: '1.1', lineCounter, uniqueKeys: true, customTags: asKubectlReads });
  const docs = Array.isArray(documents) ? documents : [];
  docs.forEach((doc, i) => {
    const document = i + 1;
    const line = lineCounter.linePos(doc.contents?.range?.[0] ?? doc.range[0]).line;
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        problems.push({ file, document, line: err.linePos?.[0].line ?? line, message: `not valid YAML: ${err.message.split('\n')[0]}` });
      }
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    if (!isPlainObject(value)) {
      problems.push({ file, document, line, message: `the document is a ${Array.isArray(value) ? 'list' : typeof value}, not a Kubernetes object` });
      return;
    }
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, index) => objects.push({ file, document, line, item: index, value: item }));
      return;
    }
    objects.push({ file, document, line, value });
  });
  return { objects, problems };
}
