import { unpinnedImageReason } from '../../tenants/validate';
import { allContainersOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

const INFO: RuleInfo = {
  name: 'image-pinned',
  level: 'mandatory',
  description:
    'An untagged or `latest` image changes under you: each cold start may pull a different build, and it must be pulled every time (imagePullPolicy defaults to Always for latest), adding seconds to every wake-up.',
  pitfall: 'Cold-Start Engineering #1 "Image pull is the single biggest cold-start variable"; the lesson pins podinfo:6.7.1 and gateway-helm v1.7.2',
};

/**
 * Why an image reference is not pinned, or undefined when it is. A `ko://` reference is a Go
 * import path that `ko resolve` / `ko apply` replace with the digest of the image they build and
 * push before anything reaches the cluster (https://ko.build/features/k8s, "ko resolve" step 3;
 * https://ko.build/reference/ko_resolve: "image references resolved to built/pushed image
 * digests"): it is pinned by construction, not "latest".
 */
export function imageUnpinnedReason(image: string): string | undefined {
  if (image.startsWith('ko://')) return undefined;
  return unpinnedImageReason(image);
}

/** Rule 14: every container image has a tag other than latest, or a digest (or is a `ko://` build reference). */
export function imagePinned(objects: readonly KubeObject[]): Violation[] {
  return objects.flatMap((o) =>
    allContainersOf(o).flatMap(({ container, list }) => {
      if (typeof container.image !== 'string') return [];
      const reason = imageUnpinnedReason(container.image);
      if (!reason) return [];
      return [
        violation(
          INFO,
          o,
          `${list}[${container.name}] image ${container.image} is not pinned: ${reason}`,
          `pin a released version (repo:1.2.3) or a digest (repo@sha256:…) in ${list}[${container.name}].image`,
        ),
      ];
    }),
  );
}

export const imagePinnedRule: ManifestRule = { ...INFO, check: imagePinned };
