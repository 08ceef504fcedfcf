#!/usr/bin/env node
// Writes docs/dashboards/<name>.svg from the dashboard definitions (constructs/platform/dashboards/).
// Reads the compiled build/ (npm run build first). test/platform/dashboards.test.ts fails when a
// committed picture differs from what the definition draws.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { allDashboards } = require('../build/constructs/platform/dashboards/dashboards');
const { dashboardPicture } = require('../build/constructs/platform/dashboards/dashboard-picture');

const dir = join(__dirname, '..', 'docs', 'dashboards');
mkdirSync(dir, { recursive: true });
for (const [name, board] of Object.entries(allDashboards())) {
  writeFileSync(join(dir, `${name}.svg`), dashboardPicture(board));
  console.log(`docs/dashboards/${name}.svg`);
}
