import { PublishCommand, type IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import type { Publisher } from './ports.js';

/** Publisher over AWS IoT Core's data plane, QoS 1 so that the broker acknowledges to the meter's session. */
export class IotPublisher implements Publisher {
  constructor(private readonly client: IoTDataPlaneClient) {}

  async publish(topic: string, payload: Uint8Array): Promise<void> {
    await this.client.send(new PublishCommand({ topic, qos: 1, payload }));
  }
}
