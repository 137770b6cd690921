import type { ConfigStore } from '../shared/config/store.js';
import type { Logger } from '../shared/log.js';
import type { MemoryClient } from './bridges/memory-client.js';
import type { SessionRegistry } from './session/session-registry.js';
import type { ZmqAgentBridge } from './bridges/zmq-agent-bridge.js';
import type { CharacterSessions } from './session/character-sessions.js';
import type { ProactiveChat } from './proactive/proactive-chat.js';
import type { SocketMirror } from './ws/socket-writer.js';

/** Everything main's routes need, built once at start-up and passed explicitly (no module globals). */
export interface MainContext {
  config: ConfigStore;
  memory: MemoryClient;
  sessions: SessionRegistry;
  log: Logger;
  env: NodeJS.ProcessEnv;
  /** Base URL of the agent service (HTTP side). */
  agentUrl: string;
  /** Folder with the built page (web/dist). */
  webRoot: string;
  /** ZeroMQ link to the agent (analyze requests out, task events in); absent in tests that do not need it. */
  agentBridge?: ZmqAgentBridge;
  /** Each character's chat session (the `/ws/{character}` endpoint is served when present). */
  chat?: CharacterSessions;
  /** Unprompted lines when the user has been idle (`POST /api/proactive_chat`). */
  proactive?: ProactiveChat;
  /** Copies of a character's page traffic for the monitor's viewers. */
  mirrorFor?: (character: string) => SocketMirror | undefined;
}
