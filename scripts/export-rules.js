#!/usr/bin/env node
// Writes the rule groups of every PrometheusRule tenantscale synthesizes as one Prometheus rule file
// (what the Prometheus Operator hands to Prometheus), for `promtool check rules` and
// `promtool test rules test/promtool/*.test.yaml`. Reads the compiled build/ (npm run build first).
//   node scripts/export-rules.js [out-file]   (default build/promtool/rules.yaml)
// Also writes <out-file without .yaml>-labels-only.yaml: the same rules without annotations, for the
// unit tests that assert what fires and with which labels (promtool compares annotations exactly;
// their templates are checked by `promtool check rules` and one test of the full file).
const { mkdirSync, writeFileSync } = require('node:fs');
const { dirname, resolve } = require('node:path');
const { stringify } = require('yaml');
const { alertManifests } = require('../build/constructs/platform/platform-manifests');
const { DEFAULT_PLATFORM_SETTINGS } = require('../build/constructs/platform-settings');

// The fixture tenants and pool the promtool tests use (test/promtool/README.md).
const tenants = [
  { name: 'acme', coldStartBudget: 30 },
  { name: 'globex', coldStartBudget: 60 },
];
const nodePools = [{ name: 'workers', max: 3 }];
// The stack's fixed items test/promtool/cost.test.yaml expects (scripts/cost-rule-test.js).
const { billedItems } = require('./cost-rule-test').COST_FIXTURE;
const out = resolve(process.argv[2] ?? 'build/promtool/rules.yaml');
const groups = alertManifests(DEFAULT_PLATFORM_SETTINGS, { tenants, nodePools, billedItems }).flatMap((rule) => rule.spec.groups);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, stringify({ groups }, { lineWidth: 0 }));
const bare = groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations, ...r }) => r) }));
writeFileSync(out.replace(/\.yaml$/, '-labels-only.yaml'), stringify({ groups: bare }, { lineWidth: 0 }));
console.log(`${out}: ${groups.length} groups, ${groups.reduce((n, g) => n + g.rules.length, 0)} rules`);
