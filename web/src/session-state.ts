import type { ConnectionState } from './ws-client';

export type SessionPhase = 'idle' | 'preparing' | 'live' | 'failed';

/** Where the conversation stands, as the page shows it. */
export interface SessionView {
  connection: ConnectionState;
  phase: SessionPhase;
  mode: 'audio' | 'text' | null;
  /** Replies come from the built-in offline `sim`. */
  offlineDemo: boolean;
}

/** A tiny observable for the session view: every change re-renders the badges and the controls. */
export class SessionState {
  private view: SessionView = { connection: 'connecting', phase: 'idle', mode: null, offlineDemo: false };
  private readonly listeners: ((view: SessionView) => void)[] = [];

  get current(): Readonly<SessionView> {
    return this.view;
  }

  update(change: Partial<SessionView>): void {
    this.view = { ...this.view, ...change };
    for (const listener of this.listeners) listener(this.view);
  }

  subscribe(listener: (view: SessionView) => void): void {
    this.listeners.push(listener);
    listener(this.view);
  }
}
