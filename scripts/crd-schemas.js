#!/usr/bin/env node
/**
 * Generates cli/conformance/crd-schemas.json, the CRD schemas `tenantscale validate` uses when no
 * --crds is given: for every CRD that scripts/import-crds.sh imports (the same file list, read from
 * that script), each served version's openAPIV3Schema with its descriptions removed (validation
 * never reads them), plus the SHA-256 of the pinned CRD file it came from. Generated from the
 * pinned CRDs, committed, never fetched at run time; CI regenerates and compares (--check).
 *
 *   node scripts/crd-schemas.js [--crds DIR] [--check]      (DIR default: ../shared/crds)
 */
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { parseAllDocuments } = require('yaml');

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'cli', 'conformance', 'crd-schemas.json');

/** The CRD files scripts/import-crds.sh imports: its `[group]="file file"` lines. */
function importedFiles() {
  const text = readFileSync(join(ROOT, 'scripts', 'import-crds.sh'), 'utf8');
  const files = [...text.matchAll(/^\s*\[[^\]]+\]="([^"]+)"/gm)].flatMap((m) => m[1].split(/\s+/).filter(Boolean));
  if (files.length === 0) throw new Error('scripts/import-crds.sh lists no CRD files');
  return files.sort();
}

/** `value` without string `description` keywords (a property named description is kept). */
function strip(value, parentKey) {
  if (Array.isArray(value)) return value.map((v) => strip(v));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'description' && typeof v === 'string' && parentKey !== 'properties') continue;
    out[k] = strip(v, k);
  }
  return out;
}

function bundle(crdDir) {
  const crds = [];
  for (const file of importedFiles()) {
    const path = join(crdDir, file);
    if (!existsSync(path)) throw new Error(`${path} does not exist (scripts/import-crds.sh imports it)`);
    const text = readFileSync(path, 'utf8');
    const sha256 = createHash('sha256').update(text).digest('hex');
    for (const doc of parseAllDocuments(text)) {
      const crd = doc.toJS();
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      crds.push({
        source: { file, sha256 },
        apiVersion: crd.apiVersion,
        kind: crd.kind,
        metadata: { name: crd.metadata.name },
        spec: {
          group: crd.spec.group,
          names: { kind: crd.spec.names.kind },
          scope: crd.spec.scope,
          versions: crd.spec.versions.filter((v) => v.served).map((v) => ({ name: v.name, served: true, schema: strip(v.schema) })),
        },
      });
    }
  }
  return `${JSON.stringify({ generatedBy: 'scripts/crd-schemas.js', crds }, null, 0)}\n`;
}

const args = process.argv.slice(2);
const at = args.indexOf('--crds');
const crdDir = resolve(at >= 0 ? args[at + 1] : join(ROOT, '..', 'shared', 'crds'));
const text = bundle(crdDir);
if (args.includes('--check')) {
  const committed = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  if (committed !== text) {
    console.error(`✗ cli/conformance/crd-schemas.json differs from the CRDs in ${crdDir}; regenerate: node scripts/crd-schemas.js --crds ${crdDir}`);
    process.exit(1);
  }
  console.log(`✓ cli/conformance/crd-schemas.json matches ${crdDir}`);
} else {
  writeFileSync(OUT, text);
  console.log(`wrote cli/conformance/crd-schemas.json (${text.length} bytes)`);
}
