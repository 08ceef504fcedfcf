import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';
import { ScaledJob, ScaledJobSpec, ScaledJobSpecScalingStrategyStrategy } from './imports/keda.sh';
import { CronJobPlan, JOB_HISTORY, RunPlan, ScaledJobPlan } from './tenant-kinds';
import { TenantContext } from './tenant-context';
import { kedaTriggers, triggerAuthentications } from './tenant-scaler';
import { podSpec } from './tenant-workload';

export interface TenantJobProps {
  /** The tenant (spec, settings, names, labels). */
  readonly ctx: TenantContext;
  /** What starts the runs (tenant-kinds.ts): a ScaledJob or a CronJob. */
  readonly run: RunPlan;
}

type Emitter<P extends RunPlan> = (scope: Construct, ctx: TenantContext, plan: P) => void;

/** One emitter per run plan. */
const EMITTERS: { readonly [T in RunPlan['type']]: Emitter<Extract<RunPlan, { type: T }>> } = {
  'scaled-job': scaledJob,
  'cron-job': cronJob,
};

/**
 * The runs of a job tenant: work that finishes and exits, so no Deployment (whose restartPolicy
 * Always would start a finished report again and again). Each run is a Job of one pod with the
 * tenant's pod spec under restartPolicy Never: a failed run is retried in a new pod up to
 * `run.backoffLimit` times, and stopped after `run.deadlineSeconds`.
 */
export class TenantJob extends Construct {
  constructor(scope: Construct, id: string, props: TenantJobProps) {
    super(scope, id);
    (EMITTERS[props.run.type] as Emitter<RunPlan>)(this, props.ctx, props.run);
  }
}

/** The Job spec of one run: one pod, retried up to backoffLimit, stopped at the deadline. */
function jobSpec(ctx: TenantContext, run: RunPlan['run']): Record<string, unknown> {
  return {
    activeDeadlineSeconds: run.deadlineSeconds,
    backoffLimit: run.backoffLimit,
    completions: 1,
    parallelism: 1,
    template: { metadata: { labels: { ...ctx.labels } }, spec: podSpec(ctx, 'Never') },
  };
}

/**
 * A KEDA ScaledJob (kedacore/keda@v2.20.2): every pollingInterval KEDA reads the triggers'
 * backlog, divides it by the target (pkg/scaling/scaledjob/metrics.go:31-44, capped at
 * maxReplicaCount :116-118) and, with the default scaling strategy, creates that many Jobs minus the
 * ones still running (pkg/scaling/executor/scale_jobs.go:458-460), then deletes finished Jobs beyond
 * the history limits (:336-381). pollingInterval is left at KEDA's default, 30 s
 * (apis/keda/v1alpha1/withtriggers_types.go:51), the value the simulator models.
 */
function scaledJob(scope: Construct, ctx: TenantContext, plan: ScaledJobPlan): void {
  triggerAuthentications(scope, ctx, plan.auths);
  const spec: ScaledJobSpec = {
    jobTargetRef: jobSpec(ctx, plan.run) as never,
    minReplicaCount: plan.min,
    maxReplicaCount: plan.max,
    successfulJobsHistoryLimit: JOB_HISTORY.successful,
    failedJobsHistoryLimit: JOB_HISTORY.failed,
    scalingStrategy: { strategy: ScaledJobSpecScalingStrategyStrategy.DEFAULT },
    triggers: kedaTriggers(plan.triggers),
  };
  new ApiObject(scope, 'scaled-job', { ...ScaledJob.GVK, metadata: ctx.meta(ctx.name), spec });
}

/**
 * A batch/v1 CronJob: one Job at each scheduled time, read in `cron.timezone` (spec.timeZone, GA
 * in Kubernetes 1.27); Forbid skips a run while the previous one is still going, Replace stops it.
 */
function cronJob(scope: Construct, ctx: TenantContext, plan: CronJobPlan): void {
  if (!plan.cron) throw new Error(`tenant ${ctx.name}: kind cron-job without cron (validate the tenant list before building)`);
  new ApiObject(scope, 'cron-job', {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: ctx.meta(ctx.name),
    spec: {
      schedule: plan.cron.schedule,
      timeZone: plan.cron.timezone,
      concurrencyPolicy: plan.cron.concurrencyPolicy,
      successfulJobsHistoryLimit: JOB_HISTORY.successful,
      failedJobsHistoryLimit: JOB_HISTORY.failed,
      jobTemplate: { metadata: { labels: { ...ctx.labels } }, spec: jobSpec(ctx, plan.run) },
    },
  });
}
