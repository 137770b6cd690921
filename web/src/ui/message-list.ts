import type { EarlierTurn } from '../chat-history/earlier-turns';
import { t } from '../i18n';
import { el } from './dom';
import { EarlierMessages } from './earlier-messages';

/** Transcripts arriving this close together belong to one utterance (the original merges them too). */
const TRANSCRIPT_MERGE_MS = 3000;

type Role = 'user' | 'assistant';

/**
 * The conversation as bubbles: the user's typed messages and voice transcripts, and the character's replies
 * growing as `gemini_response` chunks stream in; above them, where the last conversation left off.
 */
export class MessageList {
  private replyBubble?: HTMLElement;
  private turnBubbles: HTMLElement[] = [];
  private lastTranscript?: { bubble: HTMLElement; at: number };
  private characterName = '';
  private readonly earlier: EarlierMessages;
  /** Counts clear()s: earlier messages asked for before the last clear are stale when they arrive. */
  private clears = 0;

  constructor(
    private readonly list: HTMLOListElement,
    private readonly emptyHint: HTMLElement,
  ) {
    this.earlier = new EarlierMessages(list);
  }

  /** Pass to showEarlier() with what it asked for, so a reset or switch in between is not undone. */
  get epoch(): number {
    return this.clears;
  }

  /** The remembered end of the last conversation (oldest first), shown above the live messages. */
  showEarlier(turns: readonly EarlierTurn[], epoch: number): void {
    if (epoch !== this.clears) return;
    this.earlier.show(turns);
    this.updateEmpty();
    this.scroll();
  }

  setCharacterName(name: string): void {
    this.characterName = name;
  }

  userText(text: string): void {
    this.lastTranscript = undefined;
    this.add('user', text, t('chat.you'));
  }

  userTranscript(text: string): void {
    const now = Date.now();
    const last = this.lastTranscript;
    if (last && now - last.at < TRANSCRIPT_MERGE_MS && last.bubble === this.list.lastElementChild) {
      const body = last.bubble.querySelector('.bubble-text')!;
      body.textContent = `${body.textContent} ${text}`;
      last.at = now;
      this.scroll();
      return;
    }
    const bubble = this.add('user', text, t('chat.transcript'));
    bubble.classList.add('transcript');
    this.lastTranscript = { bubble, at: now };
  }

  /** A piece of the reply; `isNewMessage` starts a new bubble. */
  replyChunk(text: string, isNewMessage: boolean): void {
    if (isNewMessage || !this.replyBubble) {
      this.replyBubble = this.add('assistant', '', this.characterName);
      this.replyBubble.classList.add('streaming');
      this.turnBubbles.push(this.replyBubble);
      this.lastTranscript = undefined;
    }
    const body = this.replyBubble.querySelector('.bubble-text')!;
    body.textContent += text;
    this.scroll();
  }

  /** `turn end`: the reply is complete. Returns its text (for the emotion analysis). */
  endTurn(): string {
    const text = this.turnBubbles.map((b) => b.querySelector('.bubble-text')!.textContent ?? '').join(' ').trim();
    for (const b of this.turnBubbles) b.classList.remove('streaming');
    this.replyBubble = undefined;
    this.turnBubbles = [];
    return text;
  }

  /** `response_discarded`: the server threw this turn's reply away; so do we. */
  discardTurn(): void {
    for (const b of this.turnBubbles) b.remove();
    this.replyBubble = undefined;
    this.turnBubbles = [];
    this.updateEmpty();
  }

  /** Empties the conversation, the earlier messages too (a reset, or another character). */
  clear(): void {
    this.clears++;
    this.earlier.show([]);
    this.list.replaceChildren();
    this.replyBubble = undefined;
    this.turnBubbles = [];
    this.lastTranscript = undefined;
    this.updateEmpty();
  }

  private add(role: Role, text: string, author: string): HTMLElement {
    const bubble = el('li', { class: `bubble bubble-${role}` });
    bubble.append(el('span', { class: 'bubble-author' }, author), el('p', { class: 'bubble-text' }, text));
    this.list.append(bubble);
    this.updateEmpty();
    this.scroll();
    return bubble;
  }

  private updateEmpty(): void {
    this.emptyHint.hidden = this.list.childElementCount > 0 || this.earlier.shown;
  }

  private scroll(): void {
    const box = this.earlier.scroller;
    box.scrollTop = box.scrollHeight;
  }
}
