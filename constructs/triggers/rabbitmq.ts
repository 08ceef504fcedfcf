import type { QueueTrigger } from '../../tenants/kinds';
import { TriggerPlan } from './keda-trigger';

type RabbitMq = Extract<QueueTrigger, { type: 'rabbitmq' }>;

/**
 * RabbitMQ queue length or message rate (kedacore/keda@v2.20.2 pkg/scalers/rabbitmq_scaler.go:84-94:
 * queueName, mode, value, activationValue, host). The amqp:// URL carries credentials, so `host`
 * is an auth parameter (allowed there, rabbitmq_scaler.go:94) read from the Secret's key `host`.
 */
export function rabbitmqTrigger(t: RabbitMq, authName: string): TriggerPlan {
  return {
    trigger: {
      type: 'rabbitmq',
      metadata: {
        protocol: 'amqp',
        queueName: t.queueName,
        mode: t.mode,
        value: String(t.value),
        ...(t.activationValue !== undefined ? { activationValue: String(t.activationValue) } : {}),
      },
      authenticationRef: { name: authName },
    },
    auth: { name: authName, secretTargetRef: [{ parameter: 'host', name: t.hostSecret, key: 'host' }] },
    brokerEgress: [{ port: 5672 }],
  };
}
