import { RealtimeWsClient, type RealtimeEndpoint } from './realtime-ws-client.js';
import { qwenOmniDialect } from './wire/qwen-omni.js';

/** Alibaba DashScope Qwen Omni realtime over the shared realtime WebSocket shell. */
export class QwenOmniClient extends RealtimeWsClient {
  constructor(endpoint: RealtimeEndpoint) {
    super(qwenOmniDialect, endpoint);
  }
}
