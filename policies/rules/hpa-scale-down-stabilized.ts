import { scalersOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

/** Shortest scale-down stabilization window accepted, in seconds. */
export const MIN_SCALE_DOWN_WINDOW_SECONDS = 60;

const INFO: RuleInfo = {
  name: 'hpa-scale-down-stabilized',
  level: 'advisory',
  description: `A scale-down stabilization window under ${MIN_SCALE_DOWN_WINDOW_SECONDS} s lets a brief dip in load remove pods that the next burst needs again: pods are created and destroyed in a loop, and each new one pays a cold start.`,
  pitfall: 'Common Pitfalls #7 "Autoscaling oscillates: stabilization windows too short"; 003 "Cooldown and stabilization windows: thrashing"',
};

/** Rule 7: an HPA's (or a ScaledObject's HPA's) scale-down stabilization window is at least 60 s. */
export function hpaScaleDownStabilized(objects: readonly KubeObject[]): Violation[] {
  return scalersOf(objects).flatMap((s) => {
    if (s.scaleDownStabilization === undefined || s.scaleDownStabilization >= MIN_SCALE_DOWN_WINDOW_SECONDS) return [];
    const field = s.object.kind === 'ScaledObject' ? 'spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown' : 'spec.behavior.scaleDown';
    return [
      violation(
        INFO,
        s.object,
        `${field}.stabilizationWindowSeconds is ${s.scaleDownStabilization}: a momentary dip removes pods the next burst needs, and replicas oscillate`,
        `raise ${field}.stabilizationWindowSeconds to at least ${MIN_SCALE_DOWN_WINDOW_SECONDS} (300 is the Kubernetes default)`,
      ),
    ];
  });
}

export const hpaScaleDownStabilizedRule: ManifestRule = { ...INFO, check: hpaScaleDownStabilized };
