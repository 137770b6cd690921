import { RealtimeWsClient, type RealtimeEndpoint } from './realtime-ws-client.js';
import { openAiRealtimeDialect } from './wire/openai-realtime.js';

/** OpenAI Realtime (GA event names; beta aliases accepted) over the shared realtime WebSocket shell. */
export class OpenAiRealtimeClient extends RealtimeWsClient {
  constructor(endpoint: RealtimeEndpoint) {
    super(openAiRealtimeDialect, endpoint);
  }
}
