import { RealtimeWsClient, type RealtimeEndpoint } from './realtime-ws-client.js';
import { stepDialect } from './wire/step.js';

/** StepFun realtime over the shared realtime WebSocket shell. */
export class StepRealtimeClient extends RealtimeWsClient {
  constructor(endpoint: RealtimeEndpoint) {
    super(stepDialect, endpoint);
  }
}
