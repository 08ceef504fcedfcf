/**
 * The fields that say what drives a tenant (seed 000, "The Decision Tree"): its `kind` and the
 * kind's own blocks (queue triggers, schedule windows, warm windows, a shared service's
 * autoscaling, a stateful runtime's burst metric, the HTTP cold-start experience). Wired into
 * tenants/schema.ts by `kindFields`; the rules that refuse what the lessons forbid are in
 * tenants/kind-rules.ts. Trigger metadata names follow KEDA v2.20.2 (kedacore/keda@v2.20.2
 * pkg/scalers/*.go, cited where each trigger is emitted: constructs/triggers/).
 */
import { z } from 'zod';
import type { FieldHint } from './field-hint';

/** Every kind, in decision-tree order. `http` is the default. */
export const TENANT_KINDS = ['http', 'queue', 'scheduled', 'service', 'stateful', 'job', 'cron-job'] as const;

/** Kinds whose pods run to completion (a Job's pod, restartPolicy Never): no Deployment, no Service. */
export const JOB_KINDS: readonly TenantKind[] = ['job', 'cron-job'];
export type TenantKind = (typeof TENANT_KINDS)[number];

/** Days of a warm window, as KEDA's cron scaler reads them (day-of-week field, 0 = Sunday). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
/** An IANA zone name such as Europe/Berlin or UTC (checked against the runtime's zone list in kind-rules). */
const TIMEZONE = /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/;
/** Most tenants one shared service admits (`consumers`). */
export const CONSUMERS_MAX = 1000;

const CRON_FIELD = /^(\S+\s+){4}\S+$/;
/** host:port (a comma-separated list for Kafka brokers). */
const HOST_PORT = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?:[0-9]{1,5}$/;
const HTTP_URL = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/\S*)?$/;

/** The schema helpers of tenants/schema.ts, handed in so that this module has no import cycle with it. */
export interface SchemaHelpers {
  hinted<T extends z.ZodType>(schema: T, description: string, hint: FieldHint): T;
}

const secretName = () => z.string().regex(K8S_NAME).max(253).meta({ description: 'Name of an existing Secret in the tenant namespace.' });
const positive = (description: string) => z.number().int().min(1).max(1_000_000).meta({ description });
const nonNegative = (description: string) => z.number().int().min(0).max(1_000_000).meta({ description });

/** A Prometheus query KEDA evaluates (the lessons' request rate or p95 latency). */
function prometheusQuery() {
  return z.strictObject({
    serverAddress: z.string().regex(HTTP_URL).meta({ description: 'Prometheus URL KEDA queries, e.g. http://kube-prometheus-stack-prometheus.monitoring:9090.' }),
    query: z.string().min(1).max(4096).meta({ description: 'PromQL returning one number (e.g. sum(rate(http_requests_total[2m]))).' }),
    threshold: z.number().positive().meta({ description: 'Target value per replica.' }),
    activationThreshold: z.number().min(0).optional().meta({ description: 'Above this value the workload wakes from zero (default 0).' }),
  });
}

function triggerSchema() {
  const kafka = z.strictObject({
    type: z.literal('kafka'),
    bootstrapServers: z.string().regex(/^[^,\s]+(,[^,\s]+)*$/).meta({ description: 'Comma-separated broker host:port list.' }),
    consumerGroup: z.string().min(1).max(255),
    topic: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/),
    partitions: positive('Partitions of the topic: scaling.max may not exceed it (an extra consumer would sit idle).'),
    lagThreshold: positive('Lag per replica (KEDA default 10).').default(10),
    activationLagThreshold: nonNegative('Lag above which the consumer wakes from zero (default 0).').default(0),
    sasl: z.enum(['plaintext', 'scram_sha256', 'scram_sha512']).optional().meta({ description: 'SASL mechanism; username and password come from `credentialsSecret`.' }),
    tls: z.boolean().default(false).meta({ description: 'TLS to the brokers; ca (and cert/key for mTLS) come from `credentialsSecret`.' }),
    credentialsSecret: secretName().optional(),
  });
  const redisList = z.strictObject({
    type: z.literal('redis-list'),
    address: z.string().regex(HOST_PORT),
    listName: z.string().min(1).max(1024),
    listLength: positive('List length per replica (KEDA default 5).').default(5),
    activationListLength: nonNegative('Length above which the worker wakes from zero (default 0).').optional(),
    passwordSecret: secretName().optional().meta({ description: 'Secret whose key `password` holds the Redis password.' }),
  });
  const redisStream = z.strictObject({
    type: z.literal('redis-stream'),
    address: z.string().regex(HOST_PORT),
    stream: z.string().min(1).max(1024),
    consumerGroup: z.string().min(1).max(1024),
    pendingEntriesCount: positive('Pending entries per replica (KEDA default 5).').default(5),
    passwordSecret: secretName().optional().meta({ description: 'Secret whose key `password` holds the Redis password.' }),
  });
  const rabbitmq = z.strictObject({
    type: z.literal('rabbitmq'),
    queueName: z.string().min(1).max(255),
    mode: z.enum(['QueueLength', 'MessageRate']).default('QueueLength'),
    value: z.number().positive().meta({ description: 'Messages (QueueLength) or messages/s (MessageRate) per replica.' }),
    activationValue: z.number().min(0).optional(),
    hostSecret: secretName().meta({ description: 'Secret whose key `host` holds the amqp:// URL with credentials.' }),
  });
  const prometheus = prometheusQuery().extend({ type: z.literal('prometheus') });
  return z.discriminatedUnion('type', [kafka, redisList, redisStream, rabbitmq, prometheus]);
}

function warmWindow() {
  return z.strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7).meta({ description: 'Days the window opens, e.g. [mon, tue, wed, thu, fri] (an overnight window closes on the following day).' }),
    from: z.string().regex(CLOCK).meta({ description: 'Opening time, HH:MM.' }),
    to: z.string().regex(CLOCK).meta({ description: 'Closing time, HH:MM: after `from` on the same day, or before it for a window that closes the next day (from 18:00 to 02:00).' }),
    timezone: z.string().regex(TIMEZONE).meta({ description: 'IANA time zone, e.g. Europe/Berlin.' }),
    replicas: z.number().int().min(1).max(1000).default(1).meta({ description: 'Replicas kept warm inside the window.' }),
  });
}

function scheduleWindow() {
  return z.strictObject({
    start: z.string().regex(CRON_FIELD).meta({ description: 'Five-field cron expression opening the window, e.g. "0 2 * * *".' }),
    end: z.string().regex(CRON_FIELD).meta({ description: 'Five-field cron expression closing it, e.g. "0 4 * * *".' }),
    timezone: z.string().regex(TIMEZONE),
    replicas: z.number().int().min(1).max(1000).meta({ description: 'Replicas while the window is open.' }),
  });
}

/**
 * How one run of a job or cron-job behaves: the Job's activeDeadlineSeconds and backoffLimit,
 * and how long a run usually takes (what `simulate` charges each run's pod for).
 */
function runSpec() {
  return z.strictObject({
    deadlineSeconds: z.number().int().min(10).max(604800).default(3600).meta({ description: 'Job activeDeadlineSeconds: a run still going after this is stopped and marked failed (default 3600).' }),
    backoffLimit: z.number().int().min(0).max(10).default(2).meta({ description: 'Retries of a failed run, each in a new pod (Job backoffLimit, default 2).' }),
    expectedSeconds: z.number().int().min(1).max(604800).optional().meta({ description: 'How long a run usually takes; simulate charges each run\'s pod for this long (default: deadlineSeconds, the most a run can cost).' }),
  });
}

/** The fixed schedule of a cron-job tenant: a batch/v1 CronJob. */
function cronJobSchedule() {
  return z.strictObject({
    schedule: z.string().regex(CRON_FIELD).meta({ description: 'Five-field cron expression of the run, e.g. "0 2 * * *" (the nightly report at 2 AM).' }),
    timezone: z.string().regex(TIMEZONE).meta({ description: 'IANA time zone the schedule is read in (CronJob spec.timeZone), e.g. Europe/Berlin or UTC.' }),
    concurrencyPolicy: z.enum(['Forbid', 'Replace']).default('Forbid').meta({ description: 'A run still going at the next time: Forbid skips the new run (default), Replace stops the old one.' }),
  });
}

function coldStart() {
  return z
    .strictObject({
      placeholder: z
        .strictObject({
          statusCode: z
            .number()
            .int()
            .min(100)
            .max(599)
            .default(503)
            .meta({ description: 'Status of the placeholder: 503 (default), 429, or 307 with Location and Retry-After headers: statuses a client retries (tenants/rules/placeholder.ts). Another final status needs allowStatusCode.' }),
          allowStatusCode: z
            .number()
            .int()
            .min(200)
            .max(599)
            .optional()
            .meta({ description: 'Override: the same code as statusCode, to answer with a status clients do not retry (e.g. 200 for a sender known to poll). Never for 1xx.' }),
          body: z.string().max(32768).optional(),
          configMap: z
            .strictObject({ name: z.string().regex(K8S_NAME).max(253), key: z.string().max(253).optional() })
            .optional()
            .meta({ description: 'ConfigMap in the tenant namespace labelled http.keda.sh/response-body: "true".' }),
          headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,128}$/), z.string().max(1024)).optional(),
        })
        .optional()
        .meta({ description: 'Answer at once while no pod is ready (a "waking up" page) instead of holding the request.' }),
      fallback: z
        .strictObject({ service: z.string().regex(DNS_LABEL).max(63), port: z.number().int().min(1).max(65535) })
        .optional()
        .meta({ description: 'Service in the tenant namespace that answers when the wake exceeds coldStartBudget.' }),
    })
    .meta({ description: 'InterceptorRoute coldStart: placeholder response and/or fallback Service.' });
}

function serviceAutoscaling() {
  return z
    .strictObject({
      cpu: z.number().int().min(1).max(100).optional().meta({ description: 'Target average CPU utilization, % of the request.' }),
      memory: z.number().int().min(1).max(100).optional().meta({ description: 'Target average memory utilization, % of the request.' }),
      prometheus: prometheusQuery().optional().meta({ description: 'Custom metric through KEDA\'s Prometheus trigger instead of CPU/memory.' }),
    })
    .meta({ description: 'How a shared service scales: an HPA on CPU and/or memory utilization, or a custom metric.' });
}

/**
 * The kind fields of a tenant entry (`partial`, as written) or of a resolved tenant (`resolved`:
 * `kind` defaults to http). Every block but `kind` stays optional; kind-rules.ts says which block
 * each kind needs and refuses the ones it must not have.
 */
export function kindFields(mode: 'partial' | 'resolved', h: SchemaHelpers) {
  const kind = h.hinted(
    z.enum(TENANT_KINDS),
    'What drives the tenant (seed 000, The Decision Tree): http requests (default), a queue, a schedule, a shared always-on service, a stateful runtime, or work that runs to completion: job (one run per queued batch, a KEDA ScaledJob) and cron-job (a fixed schedule, a CronJob).',
    { allowed: TENANT_KINDS.join(', '), fix: 'write kind: http, queue, scheduled, service, stateful, job or cron-job' },
  );
  return {
    kind: mode === 'partial' ? kind.optional().meta({ default: 'http' }) : kind.default('http'),
    warm: z.array(warmWindow()).max(20).optional().meta({ description: 'http: windows kept warm (a cron trigger beside the HTTP trigger).' }),
    coldStart: coldStart().optional(),
    triggers: z.array(triggerSchema()).min(1).max(10).optional().meta({ description: 'queue: the KEDA triggers that drive the worker; job: the triggers whose backlog starts runs (a KEDA ScaledJob).' }),
    cron: cronJobSchedule().optional().meta({ description: 'cron-job: the fixed schedule of a batch/v1 CronJob.' }),
    run: runSpec().optional().meta({ description: 'job and cron-job: deadline, retries and usual duration of one run.' }),
    schedule: z.array(scheduleWindow()).min(1).max(20).optional().meta({ description: 'scheduled: the cron windows the workload runs in.' }),
    autoscaling: serviceAutoscaling().optional(),
    consumers: z
      .array(z.string().regex(DNS_LABEL).max(56))
      .max(CONSUMERS_MAX)
      .optional()
      .meta({ description: 'service: tenants allowed to call it (their namespaces are admitted by its NetworkPolicy).' }),
    uses: z
      .array(z.string().regex(DNS_LABEL).max(56))
      .max(100)
      .optional()
      .meta({ description: 'Shared services (kind service) this tenant calls: its NetworkPolicy lets it reach their namespaces.' }),
    burst: prometheusQuery().optional().meta({ description: 'stateful: custom metric for burst load; VPA then acts on memory only.' }),
  };
}

export type KafkaTrigger = Extract<z.output<ReturnType<typeof triggerSchema>>, { type: 'kafka' }>;
export type QueueTrigger = z.output<ReturnType<typeof triggerSchema>>;
export type WarmWindow = z.output<ReturnType<typeof warmWindow>>;
export type ScheduleWindow = z.output<ReturnType<typeof scheduleWindow>>;
export type RunSpec = z.output<ReturnType<typeof runSpec>>;
export type CronJobSchedule = z.output<ReturnType<typeof cronJobSchedule>>;
export type PrometheusQuery = z.output<ReturnType<typeof prometheusQuery>>;
