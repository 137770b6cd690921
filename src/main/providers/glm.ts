import { RealtimeWsClient, type RealtimeEndpoint } from './realtime-ws-client.js';
import { glmDialect } from './wire/glm.js';

/** Zhipu GLM-Realtime over the shared realtime WebSocket shell. */
export class GlmRealtimeClient extends RealtimeWsClient {
  constructor(endpoint: RealtimeEndpoint) {
    super(glmDialect, endpoint);
  }
}
