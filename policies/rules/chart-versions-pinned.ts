import { HELM_TYPES } from '../resources';
import type { RegisteredResource, ResourceRule, RuleInfo, Violation } from '../types';

/** An exact chart version: semver with an optional `v` and pre-release/build suffix, no range operators. */
export const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const INFO: RuleInfo = {
  name: 'chart-versions-pinned',
  level: 'mandatory',
  description:
    'A Helm release without an exact version installs whatever the repository publishes next: the preview you reviewed is not what `pulumi up` applies, and a new KEDA, HTTP add-on or Envoy Gateway chart can change CRDs and defaults under running tenants.',
  pitfall: 'Installing Envoy Gateway ("The version is pinned to v1.7.2 … so you and the reader are running the exact same release")',
};

/** Rule 18 (Pulumi): every Helm release or chart has an exact `version`. */
export function chartVersionsPinned(resources: readonly RegisteredResource[]): Violation[] {
  return resources.flatMap((r) => {
    if (!HELM_TYPES.has(r.type)) return [];
    const chart = typeof r.props.chart === 'string' ? r.props.chart : '';
    // A chart from a local path is pinned by the repository it lives in.
    if (chart.startsWith('.') || chart.startsWith('/')) return [];
    const version = r.props.version;
    if (typeof version === 'string' && EXACT_VERSION.test(version)) return [];
    const what = version === undefined || version === '' ? 'has no version' : `has version ${JSON.stringify(version)}, a range, not one release`;
    return [
      {
        rule: INFO.name,
        level: INFO.level,
        namespace: '',
        kind: r.type,
        name: r.name,
        message: `chart ${chart || '(unnamed)'} ${what}: the next run may install a different chart than the preview showed`,
        fix: 'set version to an exact release, e.g. version: "2.20.2" (see constructs/platform/versions.ts)',
      },
    ];
  });
}

export const chartVersionsPinnedRule: ResourceRule = { ...INFO, check: chartVersionsPinned };
