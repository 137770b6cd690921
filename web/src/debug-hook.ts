import type { Avatar } from './avatar/avatar';
import type { PcmPlayer } from './audio/player';
import { existingAudioContext } from './audio/context';
import type { ChatController } from './chat-controller';
import type { SessionState } from './session-state';

export interface DebugSources {
  avatar: () => Avatar;
  /** Which model was asked for, and why the built-in avatar stands in, if it does. */
  avatarInfo?: () => Record<string, unknown>;
  player: PcmPlayer;
  controller: ChatController;
  session: SessionState;
  timings: { avatarVisibleMs?: number };
}

/**
 * `window.__neko`: a read-only view of what the page is doing (scheduled audio, mouth opening, socket),
 * for the browser tests and for anyone debugging in the console. It exposes numbers, never controls.
 */
export function installDebugHook(src: DebugSources): void {
  const view = {
    get avatar() {
      const a = src.avatar();
      return { kind: a.kind, ...a.state, ...src.avatarInfo?.() };
    },
    get audio() {
      const ctx = existingAudioContext();
      return { ...src.player.stats, queuedSeconds: src.player.queuedSeconds, level: src.player.level(), contextTime: ctx?.currentTime ?? 0, contextState: ctx?.state ?? 'none' };
    },
    get mic() {
      const c = src.controller;
      return { active: c.mic.active, frames: c.mic.frames, framesSent: c.framesSent, level: c.mic.level };
    },
    get screen() {
      return { active: src.controller.screen.active, frames: src.controller.screen.frames, framesSent: src.controller.screenFramesSent };
    },
    get camera() {
      return { active: src.controller.camera.active, frames: src.controller.camera.frames, framesSent: src.controller.cameraFramesSent };
    },
    get socket() {
      return { url: src.controller.socket.url, state: src.controller.socket.state, character: src.controller.character };
    },
    get session() {
      return { ...src.session.current };
    },
    get timings() {
      return { ...src.timings };
    },
  };
  Object.defineProperty(window, '__neko', { value: Object.freeze(view), writable: false, configurable: false });
}
