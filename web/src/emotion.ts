import { analyseEmotion } from './api';
import type { Avatar } from './avatar/avatar';

/** An expression fades back to neutral after this long, so a sad reply does not leave her sad for good. */
const HOLD_MS = 12_000;

/**
 * After each reply, asks main which emotion it carried (`POST /api/emotion/analysis`) and shows it. If the
 * route does not exist on this server, stops asking for the rest of the page's life.
 */
export class EmotionFollower {
  private available = true;
  private resetTimer?: ReturnType<typeof setTimeout>;
  private request = 0;

  constructor(private readonly avatar: () => Avatar) {}

  async afterReply(text: string, character: string): Promise<void> {
    if (!this.available || !text) return;
    const request = ++this.request;
    const emotion = await analyseEmotion(text, character);
    if (emotion === null) {
      this.available = false;
      return;
    }
    if (request !== this.request) return; // a newer reply's answer wins
    this.avatar().setExpression(emotion);
    clearTimeout(this.resetTimer);
    if (emotion !== 'neutral') this.resetTimer = setTimeout(() => this.avatar().setExpression('neutral'), HOLD_MS);
  }

  reset(): void {
    clearTimeout(this.resetTimer);
    this.request++;
    this.avatar().setExpression('neutral');
  }
}
