import { parseCron, shortestOffWindowSeconds } from '../../core/cron';
import { asArray, formatSeconds, isNumber, scalersOf, specOf, violation } from '../model';
import type { KubeObject, ManifestRule, RuleInfo, Violation } from '../types';

/** KEDA's cooldownPeriod default, and the HPA's scale-down stabilization default. */
export const KEDA_DEFAULT_COOLDOWN_SECONDS = 300;
export const HPA_DEFAULT_SCALE_DOWN_WINDOW_SECONDS = 300;

const INFO: RuleInfo = {
  name: 'cron-cooldown-fits-window',
  level: 'advisory',
  description:
    "A cron-triggered ScaledObject scales down only after its cooldownPeriod (to zero) or the HPA's scale-down window (to min) has passed with the cron inactive. If that delay is not shorter than the off-window between `end` and the next `start`, the timer is reset before it expires and the workload never scales down.",
  pitfall: 'Lab Errors "KEDA cron pod scales up but never scales down" (default cooldownPeriod: 300 on a 5-minute cycle)',
};

/** Rule 16: a cron ScaledObject's scale-down delay is shorter than its shortest off-window. */
export function cronCooldownFitsWindow(objects: readonly KubeObject[]): Violation[] {
  const out: Violation[] = [];
  for (const scaler of scalersOf(objects)) {
    if (scaler.object.kind !== 'ScaledObject') continue;
    const spec = specOf(scaler.object);
    const toZero = scaler.idleMin === 0;
    const delay = toZero
      ? isNumber(spec.cooldownPeriod) ? spec.cooldownPeriod : KEDA_DEFAULT_COOLDOWN_SECONDS
      : scaler.scaleDownStabilization ?? HPA_DEFAULT_SCALE_DOWN_WINDOW_SECONDS;
    const delayText = toZero
      ? `cooldownPeriod ${delay}s${isNumber(spec.cooldownPeriod) ? '' : ' (KEDA default)'}`
      : `the HPA scale-down window ${delay}s${scaler.scaleDownStabilization === undefined ? ' (default)' : ''}`;
    asArray<Record<string, any>>(spec.triggers).forEach((trigger, i) => {
      if (trigger.type !== 'cron') return;
      const start = typeof trigger.metadata?.start === 'string' ? parseCron(trigger.metadata.start) : undefined;
      const end = typeof trigger.metadata?.end === 'string' ? parseCron(trigger.metadata.end) : undefined;
      if (!start || !end) return;
      const off = shortestOffWindowSeconds(start, end);
      if (off === undefined || delay < off) return;
      out.push(
        violation(
          INFO,
          scaler.object,
          `triggers[${i}] is off for only ${formatSeconds(off)} between "${trigger.metadata.end}" and the next "${trigger.metadata.start}", but ${delayText} must pass first: the timer restarts before it expires and the workload never scales down`,
          toZero
            ? `set spec.cooldownPeriod below ${off} (e.g. ${Math.max(1, Math.floor(off / 4))}), or lengthen the off-window`
            : `set spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds below ${off}, or lengthen the off-window`,
        ),
      );
    });
  }
  return out;
}

export const cronCooldownFitsWindowRule: ManifestRule = { ...INFO, check: cronCooldownFitsWindow };
