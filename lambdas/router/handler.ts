import { IoTDataPlaneClient } from '@aws-sdk/client-iot-data-plane';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { loadRouterConfig } from './config.js';
import { IotPublisher } from './iot-publisher.js';
import { LambdaInvoker } from './lambda-invoker.js';
import { routeMessage, type RouteResult } from './route.js';

// Cold start: a missing variable fails here, before the first message.
const config = loadRouterConfig(process.env);
const deps = {
  invoker: new LambdaInvoker(new LambdaClient({ maxAttempts: config.maxAttempts }), config.inferenceFunctionName),
  publisher: new IotPublisher(new IoTDataPlaneClient({ maxAttempts: config.maxAttempts, endpoint: config.iotDataEndpoint })),
  predictionTopic: config.predictionTopic,
};

/** IoT rule `SELECT *, clientid() AS device_id FROM 'smartmeter/data'` -> predict -> publish to the meter. */
export const handler = async (event: unknown): Promise<RouteResult> => {
  const result = await routeMessage(event, deps);
  if (result.statusCode === 400) console.warn(JSON.stringify({ level: 'warn', msg: 'rejected reading', ...result.error }));
  return result;
};
