import type { EarlierTurn } from '../chat-history/earlier-turns';
import { onLanguageChanged, t } from '../i18n';
import { dayKey, dayLabel, timeLabel } from '../memory-browser/dates';
import { el } from './dom';

/**
 * Where the last conversation left off, above the live one: a divider saying when, then quieter copies of the
 * remembered messages. It is a labelled region with a list of its own, outside the live log (role=log,
 * aria-live), so screen readers do not announce it as new messages. It shares one scroll box with the live
 * log, so the earlier messages scroll away as the conversation grows.
 */
export class EarlierMessages {
  /** The scroll box around this block and the live log. */
  readonly scroller = el('div', { class: 'conversation' });
  private readonly section: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly list = el('ol', { class: 'earlier-list' });
  private turns: EarlierTurn[] = [];

  constructor(live: HTMLOListElement) {
    const headingId = `${live.id || 'messages'}-earlier`;
    this.heading = el('h3', { id: headingId, class: 'earlier-divider' });
    this.section = el('section', { class: 'earlier', 'aria-labelledby': headingId });
    this.section.hidden = true;
    this.section.append(this.heading, this.list);
    live.before(this.scroller);
    this.scroller.append(this.section, live);
    onLanguageChanged(() => this.render());
  }

  get shown(): boolean {
    return this.turns.length > 0;
  }

  /** Replaces what is shown (oldest first); none hides the block. */
  show(turns: readonly EarlierTurn[]): void {
    this.turns = [...turns];
    this.render();
  }

  private render(): void {
    const last = this.turns.at(-1);
    this.section.hidden = !last;
    if (!last) {
      this.list.replaceChildren();
      return;
    }
    const when = t('chat.earlier.when', { day: dayLabel(dayKey(last.timestamp)), time: timeLabel(last.timestamp) });
    this.heading.textContent = t('chat.earlier.heading', { when });
    this.list.setAttribute('aria-label', t('chat.earlier.list'));
    this.list.replaceChildren(...this.turns.map((turn) => this.row(turn)));
  }

  private row(turn: EarlierTurn): HTMLLIElement {
    const li = el('li', { class: `earlier-item earlier-${turn.role}` });
    li.append(
      el('span', { class: 'earlier-author' }, turn.role === 'user' ? t('chat.you') : turn.speaker),
      el('p', { class: 'earlier-text' }, turn.text),
    );
    return li;
  }
}
