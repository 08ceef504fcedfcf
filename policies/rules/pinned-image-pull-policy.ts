import { imageUnpinnedReason } from './image-pinned';
import { allContainersOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'pinned-image-pull-policy',
  level: 'advisory',
  description:
    "A pinned image never changes, yet imagePullPolicy: Always makes every cold start contact the registry instead of reusing the node's cached copy: seconds more per wake-up, and no wake-up at all while the registry is unreachable. (Rule 14's advisory half: CrossGuard has one enforcement level per policy.)",
  pitfall: 'Cold-Start Engineering #1 ("Container image pulled (cached: 1s; uncached: 10s+)")',
};

/** Rule 14 (advisory part): pinned images use IfNotPresent. */
export function pinnedImagePullPolicy(objects: readonly KubeObject[]): Violation[] {
  return objects.flatMap((o) =>
    allContainersOf(o).flatMap(({ container, list }) => {
      if (typeof container.image !== 'string' || imageUnpinnedReason(container.image)) return [];
      if (container.imagePullPolicy !== 'Always') return [];
      return [
        violation(
          INFO,
          o,
          `${list}[${container.name}] pulls the pinned image ${container.image} on every start (imagePullPolicy: Always), so the node's cached copy is never reused on a cold start`,
          `set ${list}[${container.name}].imagePullPolicy: IfNotPresent`,
        ),
      ];
    }),
  );
}

export const pinnedImagePullPolicyRule: ManifestRule = { ...INFO, check: pinnedImagePullPolicy };
