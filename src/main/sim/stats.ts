/** What the sim has seen, so tests (and the status page) can check what clients actually sent. */
export interface SimStats {
  connections: number;
  imagesReceived: number;
  audioBytesReceived: number;
  responsesStarted: number;
  responsesCancelled: number;
  responsesCompleted: number;
  chatRequests: Array<{ model: string; images: number; messages: number; stream: boolean }>;
}

export function emptyStats(): SimStats {
  return { connections: 0, imagesReceived: 0, audioBytesReceived: 0, responsesStarted: 0, responsesCancelled: 0, responsesCompleted: 0, chatRequests: [] };
}

/** A live connection's view, for assertions on what the client configured. */
export interface SimSessionSnapshot {
  protocol: 'realtime' | 'gemini';
  dialect: string;
  model: string;
  /** The effective session/setup configuration after every update. */
  config: Record<string, unknown>;
  images: number;
}
