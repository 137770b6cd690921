import { ApiError, setCurrentCharacter } from './api';
import { MicCapture, MicError } from './audio/capture';
import { resumeAudio } from './audio/context';
import type { PcmPlayer } from './audio/player';
import type { EmotionFollower } from './emotion';
import { currentLanguage, t } from './i18n';
import type { ServerMessage, ServerMessageOf } from './protocol';
import { followCharacterInPath } from './route';
import { VisualShare, type VisualSource } from './visual-share';
import type { SessionState } from './session-state';
import { statusNotice } from './ui/status-text';
import type { MessageList } from './ui/message-list';
import type { Toasts } from './ui/toasts';
import { ChatSocket } from './ws-client';

/** The original page gives a session 15 s to start (websocket.md §2.1). */
const SESSION_START_TIMEOUT_MS = 15_000;
/** After the provider dropped a voice session, try again after this long (the original waits 7.5 s). */
const VOICE_RESTART_MS = 3000;
const RELOAD_DELAY_MS = 2500;
/** Switching is refused while the old character is in a voice session; ending it takes a moment. */
const SWITCH_RETRIES = 4;
const SWITCH_RETRY_MS = 400;

export interface ControllerDeps {
  session: SessionState;
  player: PcmPlayer;
  messages: MessageList;
  toasts: Toasts;
  emotion: EmotionFollower;
  /** Told when the character changes (avatar label, switcher, title). */
  onCharacter(name: string): void;
  onVoice(on: boolean): void;
  onScreen(on: boolean): void;
  onCamera?(on: boolean): void;
  /** `agent_*` messages (status, task updates, notifications), for the agent panel. */
  onAgentMessage?(message: ServerMessageOf<'agent_status_update' | 'agent_task_update' | 'agent_notification'>): void;
}

/**
 * The conversation: turns server messages into bubbles, sound, toasts and session state, and the user's
 * actions (talk, type, share, reset, switch) into client messages.
 */
export class ChatController {
  readonly mic = new MicCapture();
  readonly screen = new VisualShare('screen');
  readonly camera = new VisualShare('camera');
  readonly socket: ChatSocket;
  /** The user asked for voice; survives reconnects so the conversation resumes by itself. */
  private voiceWanted = false;
  private startTimer?: ReturnType<typeof setTimeout>;
  private voiceRestartTimer?: ReturnType<typeof setTimeout>;
  private superseded = false;
  framesSent = 0;
  screenFramesSent = 0;
  cameraFramesSent = 0;

  constructor(
    character: string,
    private readonly deps: ControllerDeps,
  ) {
    this.socket = new ChatSocket(character, {
      message: (m) => this.onMessage(m),
      audio: (speechId, data) => deps.player.enqueue(speechId, data),
      state: (state, reconnected) => this.onConnection(state, reconnected),
    });
    this.mic.onFrame = (frame) => {
      const view = deps.session.current;
      // Frames before the session is live would only pile up on the server; the user sees "preparing".
      if (view.phase !== 'live' || view.mode !== 'audio') return;
      if (this.socket.send({ action: 'stream_data', input_type: 'audio', data: Array.from(frame) })) this.framesSent++;
    };
    this.mic.onEnded = () => this.stopVoice(true);
    this.screen.onFrame = (dataUrl) => this.sendVisualFrame('screen', dataUrl);
    this.screen.onEnded = () => deps.onScreen(false);
    this.camera.onFrame = (dataUrl) => this.sendVisualFrame('camera', dataUrl);
    this.camera.onEnded = () => deps.onCamera?.(false);
  }

  get character(): string {
    return this.socket.character;
  }

  start(): void {
    this.socket.connect();
  }

  sendText(text: string): void {
    // The server ends a voice session when text arrives (websocket.md §2.2b); the mic goes with it.
    if (this.voiceWanted) this.stopVoice(false);
    this.deps.messages.userText(text);
    const view = this.deps.session.current;
    if (!(view.mode === 'text' && (view.phase === 'live' || view.phase === 'preparing'))) {
      this.socket.send({ action: 'start_session', input_type: 'text', new_session: false, language: currentLanguage() });
    }
    // Sent right away: the server queues input that arrives while a session is starting.
    this.socket.send({ action: 'stream_data', input_type: 'text', data: text, language: currentLanguage() });
  }

  async toggleVoice(): Promise<void> {
    if (this.voiceWanted) {
      this.stopVoice(true);
      return;
    }
    try {
      await resumeAudio();
      await this.mic.start();
    } catch (err) {
      const key = err instanceof MicError && err.kind === 'denied' ? 'errors.micDenied' : 'errors.micUnavailable';
      this.deps.toasts.show(t(key), 'error');
      return;
    }
    this.voiceWanted = true;
    this.deps.onVoice(true);
    this.startVoiceSession();
  }

  async toggleScreen(): Promise<void> {
    await this.toggleVisual(this.screen, this.camera);
  }

  async toggleCamera(): Promise<void> {
    await this.toggleVisual(this.camera, this.screen);
  }

  /** One picture source at a time: starting the camera stops screen sharing and the other way round. */
  private async toggleVisual(share: VisualShare, other: VisualShare): Promise<void> {
    const report = (s: VisualShare, on: boolean) => (s.source === 'screen' ? this.deps.onScreen(on) : this.deps.onCamera?.(on));
    if (share.active) {
      share.stop();
      report(share, false);
      return;
    }
    try {
      await share.start();
    } catch {
      this.deps.toasts.show(t(share.source === 'screen' ? 'errors.screenDenied' : 'errors.cameraDenied'), 'warning');
      return;
    }
    if (other.active) {
      other.stop();
      report(other, false);
    }
    report(share, true);
  }

  /** A fresh conversation with the same character (`start_session` with `new_session: true`). */
  reset(): void {
    if (this.voiceWanted) this.stopVoice(true);
    this.deps.player.clear();
    this.deps.messages.clear();
    this.deps.emotion.reset();
    this.socket.send({ action: 'start_session', input_type: 'text', new_session: true, language: currentLanguage() });
    this.deps.toasts.show(t('controls.resetDone'));
  }

  /** The user picked another character: make it current on the server, which tells every page to follow. */
  async switchCharacter(name: string): Promise<void> {
    if (name === this.character) return;
    if (this.voiceWanted) this.stopVoice(true);
    for (let attempt = 0; ; attempt++) {
      try {
        await setCurrentCharacter(name);
        break;
      } catch (err) {
        // 400 while the old voice session is still closing: wait and try again.
        if (err instanceof ApiError && err.status === 400 && attempt < SWITCH_RETRIES) {
          await new Promise((r) => setTimeout(r, SWITCH_RETRY_MS));
          continue;
        }
        this.deps.toasts.show(t('errors.switchFailed', { error: (err as Error).message }), 'error');
        this.deps.onCharacter(this.character); // put the picker back
        return;
      }
    }
    this.follow(name);
  }

  /** Moves this page to `name`'s socket (after `catgirl_switched`, or our own switch). */
  follow(name: string): void {
    if (name === this.character) return;
    if (this.voiceWanted) this.stopVoice(false);
    this.deps.player.clear();
    this.deps.messages.clear();
    this.deps.emotion.reset();
    this.deps.session.update({ phase: 'idle', mode: null });
    followCharacterInPath(name);
    this.deps.onCharacter(name);
    this.socket.switchTo(name);
  }

  private startVoiceSession(): void {
    this.socket.send({ action: 'start_session', input_type: 'audio', language: currentLanguage() });
    clearTimeout(this.startTimer);
    this.startTimer = setTimeout(() => {
      const view = this.deps.session.current;
      if (this.voiceWanted && !(view.phase === 'live' && view.mode === 'audio')) {
        this.deps.toasts.show(t('errors.sessionTimeout'), 'error');
        this.stopVoice(true);
      }
    }, SESSION_START_TIMEOUT_MS);
  }

  /** Mic off. `tellServer` ends the voice session; not needed when the server is switching away anyway. */
  private stopVoice(tellServer: boolean): void {
    this.voiceWanted = false;
    clearTimeout(this.startTimer);
    clearTimeout(this.voiceRestartTimer);
    this.mic.stop();
    this.deps.onVoice(false);
    if (tellServer && this.deps.session.current.mode === 'audio') {
      this.socket.send({ action: 'end_session' });
      this.deps.session.update({ phase: 'idle', mode: null });
    }
  }

  private sendVisualFrame(source: VisualSource, dataUrl: string): void {
    // Frames go to a running session only: with none, the server would start a voice session for them.
    if (this.deps.session.current.phase !== 'live') return;
    if (!this.socket.send({ action: 'stream_data', input_type: source, data: dataUrl })) return;
    if (source === 'screen') this.screenFramesSent++;
    else this.cameraFramesSent++;
  }

  private onConnection(state: ChatSocket['state'], reconnected: boolean): void {
    if (this.superseded && state === 'reconnecting') {
      // Another window took this character over: do not fight it for the connection.
      this.socket.close();
      return;
    }
    this.deps.session.update({ connection: state, phase: 'idle', mode: null });
    if (state === 'open' && reconnected && this.voiceWanted) this.startVoiceSession();
  }

  private onMessage(message: ServerMessage): void {
    const { session, player, messages, toasts } = this.deps;
    switch (message.type) {
      case 'session_preparing':
        session.update({ phase: 'preparing', mode: message.input_mode });
        break;
      case 'session_started':
        session.update({ phase: 'live', mode: message.input_mode });
        if (message.input_mode === 'audio') clearTimeout(this.startTimer);
        break;
      case 'session_failed':
        session.update({ phase: 'failed', mode: message.input_mode });
        if (message.input_mode === 'audio' && this.voiceWanted) this.stopVoice(false);
        break;
      case 'session_ended_by_server':
        session.update({ phase: 'idle', mode: null });
        toasts.show(t('notices.sessionEnded'), 'warning');
        if (this.voiceWanted) {
          clearTimeout(this.voiceRestartTimer);
          this.voiceRestartTimer = setTimeout(() => this.voiceWanted && this.startVoiceSession(), VOICE_RESTART_MS);
        }
        break;
      case 'auto_close_mic':
        toasts.show(t('notices.autoCloseMic'));
        if (this.voiceWanted) {
          this.voiceWanted = false;
          this.mic.stop();
          this.deps.onVoice(false);
          this.socket.send({ action: 'pause_session' });
        }
        break;
      case 'gemini_response':
        messages.replyChunk(message.text, message.isNewMessage);
        break;
      case 'user_transcript':
        messages.userTranscript(message.text);
        break;
      case 'user_activity':
        player.interrupt(message.interrupted_speech_id);
        break;
      case 'system':
        if (message.data === 'turn end') void this.deps.emotion.afterReply(messages.endTurn(), this.character);
        break;
      case 'status': {
        const notice = statusNotice(message.message);
        if (notice.code === 'PROVIDER_NOTICE') session.update({ offlineDemo: true });
        if (notice.code === 'CHARACTER_SWITCHING_TERMINAL') this.superseded = true;
        toasts.show(notice.text, notice.kind);
        break;
      }
      case 'response_discarded':
        messages.discardTurn();
        player.clear();
        if (message.message) {
          const notice = statusNotice(message.message);
          toasts.show(notice.text, notice.kind);
        } else if (message.will_retry) {
          toasts.show(t('notices.discarded'));
        }
        break;
      case 'repetition_warning':
        toasts.show(t('notices.repetition', { name: message.name }), 'warning');
        break;
      case 'request_screenshot': {
        const frame = this.screen.capture() ?? this.camera.capture();
        if (frame) this.socket.send({ action: 'screenshot_response', data: frame });
        break;
      }
      case 'catgirl_switched':
        this.follow(message.new_catgirl);
        break;
      case 'reload_page': {
        // `message` is a status-style JSON string (RELOAD_PAGE) or, from older paths, plain Chinese text.
        const notice = statusNotice(message.message);
        toasts.show(notice.code ? notice.text : t('notices.reloadSoon'));
        setTimeout(() => location.reload(), RELOAD_DELAY_MS);
        break;
      }
      case 'agent_notification':
        toasts.show(message.text, message.status === 'error' || message.status === 'failed' ? 'warning' : 'info');
        this.deps.onAgentMessage?.(message);
        break;
      case 'agent_status_update':
      case 'agent_task_update':
        this.deps.onAgentMessage?.(message);
        break;
      default:
        // pong: nothing to show on the chat page
        break;
    }
  }
}
