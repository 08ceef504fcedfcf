import type { QueueTrigger } from '../../tenants/kinds';
import { TriggerPlan } from './keda-trigger';
import { kafkaTrigger } from './kafka';
import { prometheusTrigger } from './prometheus';
import { rabbitmqTrigger } from './rabbitmq';
import { redisListTrigger, redisStreamTrigger } from './redis';

type Builder<T extends QueueTrigger['type']> = (t: Extract<QueueTrigger, { type: T }>, authName: string) => TriggerPlan;

/** One builder per queue trigger type: a new trigger type is one file and one line here. */
export const QUEUE_TRIGGERS: { readonly [T in QueueTrigger['type']]: Builder<T> } = {
  kafka: kafkaTrigger,
  'redis-list': redisListTrigger,
  'redis-stream': redisStreamTrigger,
  rabbitmq: rabbitmqTrigger,
  prometheus: (t) => ({ trigger: prometheusTrigger(t) }),
};

/** The KEDA trigger of a queue tenant's trigger entry; `authName` names its TriggerAuthentication. */
export function queueTrigger(t: QueueTrigger, authName: string): TriggerPlan {
  return (QUEUE_TRIGGERS[t.type] as Builder<typeof t.type>)(t as never, authName);
}
