import { t } from '../i18n';
import { el } from '../ui/dom';
import { dateTimeLabel } from './dates';
import type { RecentItem } from './memory-api';

/**
 * The recent window: what the character starts the next conversation with — the summary of older talk first,
 * then the latest messages as they are (read-only here; edit them in the history, the window follows).
 */
export class RecentView {
  private items: RecentItem[] = [];

  constructor(
    private readonly list: HTMLOListElement,
    private readonly empty: HTMLElement,
  ) {}

  show(items: readonly RecentItem[]): void {
    this.items = [...items];
    this.render();
  }

  render(): void {
    this.empty.hidden = this.items.length > 0;
    this.list.hidden = this.items.length === 0;
    this.list.replaceChildren(...this.items.map((item) => this.row(item)));
  }

  private row(item: RecentItem): HTMLLIElement {
    const li = el('li', { class: `mb-recent-item mb-recent-${item.kind}`, 'data-role': item.role });
    const who = item.kind === 'summary' ? t('memory.recent.summary') : item.speaker;
    const head = el('div', { class: 'mb-item-head' });
    head.append(el('span', { class: 'mb-speaker' }, who));
    if (item.timestamp) head.append(el('time', { datetime: item.timestamp }, dateTimeLabel(item.timestamp)));
    li.append(head, el('p', { class: 'mb-item-text' }, item.text));
    return li;
  }
}
