import { t } from '../i18n';
import { el } from '../ui/dom';
import { dayKey, dayLabel, timeLabel } from './dates';
import { editInline } from './inline-editor';
import type { HistoryItem } from './memory-api';

export interface HistoryActions {
  edit(item: HistoryItem, text: string): Promise<void>;
  /** Asks, then forgets; resolves true when the item is gone. */
  forget(item: HistoryItem): Promise<boolean>;
  describeError(err: unknown): string;
}

let rows = 0;

/**
 * The time-indexed history, newest first, one titled list per day. Each item has Edit and Forget buttons whose
 * names say which item they act on.
 */
export class HistoryView {
  private items: HistoryItem[] = [];
  private readonly days = new Map<string, HTMLOListElement>();

  constructor(
    private readonly container: HTMLElement,
    /** Where focus goes when the last item of the list is forgotten. */
    private readonly heading: HTMLElement,
    private readonly actions: HistoryActions,
  ) {}

  get count(): number {
    return this.items.length;
  }

  clear(): void {
    this.items = [];
    this.days.clear();
    this.container.replaceChildren();
  }

  /** Adds an older page below what is shown. */
  append(items: readonly HistoryItem[]): void {
    this.items.push(...items);
    for (const item of items) this.dayList(dayKey(item.timestamp)).append(this.row(item));
  }

  /** Draws everything again (after a language change: day names and times). */
  rerender(): void {
    const items = this.items;
    this.clear();
    this.append(items);
  }

  private dayList(key: string): HTMLOListElement {
    let list = this.days.get(key);
    if (!list) {
      const headingId = `day-${key}`;
      list = el('ol', { class: 'mb-day-list', 'aria-labelledby': headingId });
      const section = el('section', { class: 'mb-day', 'data-day': key });
      section.append(el('h3', { id: headingId, class: 'mb-day-heading' }, dayLabel(key)), list);
      this.container.append(section);
      this.days.set(key, list);
    }
    return list;
  }

  private row(item: HistoryItem): HTMLLIElement {
    const textId = `history-text-${++rows}`;
    const li = el('li', { class: 'mb-item', 'data-role': item.role, 'data-id': item.id });
    const time = timeLabel(item.timestamp);
    const head = el('div', { class: 'mb-item-head' });
    head.append(el('span', { class: 'mb-speaker' }, item.speaker), el('time', { datetime: item.timestamp }, time));
    const text = el('p', { class: 'mb-item-text', id: textId }, item.text);
    const buttons = el('div', { class: 'mb-item-actions' });
    const names = { speaker: item.speaker, time };
    const edit = el('button', { type: 'button', class: 'mb-button', 'aria-label': t('memory.actions.editItem', names) }, t('memory.actions.edit'));
    const forget = el('button', { type: 'button', class: 'mb-button mb-button-danger', 'aria-label': t('memory.actions.forgetItem', names) }, t('memory.actions.forget'));
    buttons.append(edit, forget);
    li.append(head, text, buttons);

    edit.addEventListener('click', () => {
      editInline({
        target: text,
        hide: [buttons],
        label: t('memory.actions.editLabel'),
        initial: item.text,
        save: async (value) => {
          await this.actions.edit(item, value);
          item.text = value;
        },
        done: () => edit.focus(),
        describeError: (err) => this.actions.describeError(err),
      });
    });
    forget.addEventListener('click', async () => {
      if (!(await this.actions.forget(item))) return;
      this.remove(li, item);
    });
    return li;
  }

  /** Takes a forgotten item off the page and puts focus on the next item (or the one before, or the heading). */
  private remove(li: HTMLLIElement, item: HistoryItem): void {
    const all = [...this.container.querySelectorAll<HTMLLIElement>('.mb-item')];
    const at = all.indexOf(li);
    const next = all[at + 1] ?? all[at - 1];
    this.items = this.items.filter((i) => i !== item);
    const list = li.parentElement;
    li.remove();
    if (list && list.childElementCount === 0) {
      list.parentElement?.remove();
      this.days.delete(dayKey(item.timestamp));
    }
    const target = next?.querySelector<HTMLButtonElement>('.mb-button-danger') ?? this.heading;
    target.focus();
  }
}
