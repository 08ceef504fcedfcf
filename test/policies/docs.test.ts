/** docs/policies.md lists every rule with its level, and every rule it lists exists. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADDED_RULES, MANIFEST_RULES, RESOURCE_RULES } from '../../policies/rules';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'policies.md'), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| [0-9a-z]+ \| `([a-z0-9-]+)` \| (mandatory|advisory) \|/gm)].map((m) => [m[1], m[2]]),
);

test('the rule table has one row per rule, with its level', () => {
  const rules = [...MANIFEST_RULES, ...RESOURCE_RULES];
  expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(rules.map((r) => [r.name, r.level])));
});

test('the added rules are explained', () => {
  for (const name of ADDED_RULES) expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\| `, 'm'));
});

test('the pack is documented with pulumi preview --policy-pack policies', () => {
  expect(doc).toMatch(/cd policies && npm install/);
  expect(doc).toMatch(/pulumi preview --policy-pack policies/);
});
