import type { Aedes } from 'aedes';
import type { Publisher } from '../router/ports.js';

/** Publisher into the embedded broker, QoS 1, as IoT Core's data plane publishes for the router. */
export class BrokerPublisher implements Publisher {
  constructor(private readonly broker: Aedes) {}

  publish(topic: string, payload: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.broker.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  }
}
