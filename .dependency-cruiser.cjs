/**
 * The layer rules of tenantscale (docs/architecture.md "Layers"), checked by dependency-cruiser:
 * `npm run depcheck`, and by `npm test` (test/architecture/layers.test.ts). Imports run one way:
 *
 *   core → tenants → constructs → policies | simulate → infra → cli → bench
 *
 * A folder may import its own layer and the layers to its left, never one to its right, and no
 * import cycle is allowed anywhere. There are no exceptions in this file: a fact two layers need
 * moves down to the lowest layer that needs it (core/ if nothing else fits).
 * Type-only imports count (tsPreCompilationDeps), as they tie the layers as much as values do.
 */
const upward = (name, from, forbidden, why) => ({
  name,
  comment: why,
  severity: 'error',
  from: { path: `^${from}/` },
  to: { path: `^(${forbidden.join('|')})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle: move the shared part into a file both import (or down a layer).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    upward('core-imports-nothing-above', 'core', ['tenants', 'constructs', 'policies', 'simulate', 'infra', 'cli', 'bench', 'test'],
      'core/ (quantities, cron, DigitalOcean facts, stack-file reading) is the bottom layer: it imports only libraries.'),
    upward('tenants-import-only-core', 'tenants', ['constructs', 'policies', 'simulate', 'infra', 'cli', 'bench', 'test'],
      'tenants/ (the input model and its validation) may import core/ only: move the fact it needs down to core/.'),
    upward('constructs-import-only-core-and-tenants', 'constructs', ['policies', 'simulate', 'infra', 'cli', 'bench', 'test'],
      'constructs/ (the cdk8s objects) may import core/ and tenants/ only.'),
    upward('policies-do-not-import-simulate-infra-cli', 'policies', ['simulate', 'infra', 'cli', 'bench', 'test'],
      'policies/ reads the model and the synthesized objects: core/, tenants/, constructs/ only.'),
    upward('simulate-does-not-import-policies-infra-cli', 'simulate', ['policies', 'infra', 'cli', 'bench', 'test'],
      'simulate/ reads the model and the synthesized objects: core/, tenants/, constructs/ only (the CLI passes it a parsed stack).'),
    upward('infra-does-not-import-cli', 'infra', ['cli', 'bench', 'test'],
      'infra/ (the Pulumi program) may import every layer below it, not the CLI.'),
    upward('cli-does-not-import-bench-or-tests', 'cli', ['bench', 'test'],
      'cli/ is the top of the shipped code: benchmarks and tests import it, not the other way.'),
  ],
  options: {
    // The generated CRD classes are a leaf of constructs/ (they import only cdk8s).
    exclude: { path: '^(node_modules|build|dist)/|^policies/node_modules/' },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    moduleSystems: ['cjs', 'es6'],
  },
};
