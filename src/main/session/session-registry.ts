import type { Logger } from '../../shared/log.js';

/** What a connected page socket must offer for REST routes to reach it (the chat socket implements it). */
export interface PageSocket {
  readonly character: string;
  send(message: Record<string, unknown>): void;
  close(code?: number, reason?: string): void;
}

/** What the session manager of one character tells REST routes (the chat core implements it). */
export interface CharacterSessionControl {
  /** A realtime voice session is running (some settings may not change then). */
  isVoiceActive(): boolean;
  isActive(): boolean;
  /** Ends the session from the server side (the page gets session_ended_by_server). */
  end(reason: string): Promise<void>;
}

/**
 * The page sockets and session managers of every character, keyed by character name.
 * REST routes use it for the spec's side effects (reload_page, catgirl_switched, ending sessions);
 * the chat core registers into it.
 */
export class SessionRegistry {
  private readonly sockets = new Map<string, PageSocket>();
  private readonly sessions = new Map<string, CharacterSessionControl>();

  constructor(private readonly log: Logger) {}

  attachSocket(socket: PageSocket): PageSocket | undefined {
    const previous = this.sockets.get(socket.character);
    this.sockets.set(socket.character, socket);
    return previous;
  }

  detachSocket(socket: PageSocket): void {
    if (this.sockets.get(socket.character) === socket) this.sockets.delete(socket.character);
  }

  socketOf(character: string): PageSocket | undefined {
    return this.sockets.get(character);
  }

  allSockets(): PageSocket[] {
    return [...this.sockets.values()];
  }

  attachSession(character: string, control: CharacterSessionControl): void {
    this.sessions.set(character, control);
  }

  detachSession(character: string): void {
    this.sessions.delete(character);
  }

  session(character: string): CharacterSessionControl | undefined {
    return this.sessions.get(character);
  }

  allSessions(): CharacterSessionControl[] {
    return [...this.sessions.values()];
  }

  isVoiceActive(character: string): boolean {
    return this.sessions.get(character)?.isVoiceActive() ?? false;
  }

  sendTo(character: string, message: Record<string, unknown>): boolean {
    const socket = this.sockets.get(character);
    if (!socket) return false;
    try {
      socket.send(message);
      return true;
    } catch (err) {
      this.log.warn({ character, err }, 'send to page socket failed');
      return false;
    }
  }

  broadcast(message: Record<string, unknown>): number {
    let sent = 0;
    for (const character of this.sockets.keys()) if (this.sendTo(character, message)) sent++;
    return sent;
  }

  /** Ends every active session; returns how many were ended. */
  async endAll(reason: string): Promise<number> {
    let ended = 0;
    for (const [character, control] of this.sessions) {
      if (!control.isActive()) continue;
      try {
        await control.end(reason);
        ended++;
      } catch (err) {
        this.log.warn({ character, err }, 'ending session failed');
      }
    }
    return ended;
  }

  /** Renames the keys after a character rename so sockets and sessions follow the character. */
  rename(oldName: string, newName: string): void {
    const socket = this.sockets.get(oldName);
    if (socket) {
      this.sockets.delete(oldName);
      this.sockets.set(newName, socket);
    }
    const session = this.sessions.get(oldName);
    if (session) {
      this.sessions.delete(oldName);
      this.sessions.set(newName, session);
    }
  }
}
