import { t } from '../i18n';
import { el } from '../ui/dom';
import { editInline } from './inline-editor';
import type { BrowserFact } from './memory-api';

export interface FactActions {
  edit(fact: BrowserFact, value: string): Promise<void>;
  forget(fact: BrowserFact): Promise<boolean>;
  describeError(err: unknown): string;
}

/** Long-term facts the memory service extracted (or the user set): who, what, the value; correct or forget each. */
export class FactsView {
  private facts: BrowserFact[] = [];

  constructor(
    private readonly list: HTMLUListElement,
    private readonly empty: HTMLElement,
    private readonly heading: HTMLElement,
    private readonly actions: FactActions,
  ) {}

  show(facts: readonly BrowserFact[]): void {
    this.facts = [...facts];
    this.render();
  }

  render(): void {
    this.empty.hidden = this.facts.length > 0;
    this.list.hidden = this.facts.length === 0;
    this.list.replaceChildren(...this.facts.map((fact) => this.row(fact)));
  }

  private row(fact: BrowserFact): HTMLLIElement {
    const li = el('li', { class: 'mb-fact', 'data-id': fact.id });
    const head = el('div', { class: 'mb-item-head' });
    head.append(el('span', { class: 'mb-speaker' }, fact.subject), el('span', { class: 'mb-fact-key' }, fact.key));
    const value = el('p', { class: 'mb-item-text' }, fact.value);
    const buttons = el('div', { class: 'mb-item-actions' });
    const names = { subject: fact.subject, key: fact.key };
    const edit = el('button', { type: 'button', class: 'mb-button', 'aria-label': t('memory.facts.editFact', names) }, t('memory.actions.edit'));
    const forget = el('button', { type: 'button', class: 'mb-button mb-button-danger', 'aria-label': t('memory.facts.forgetFact', names) }, t('memory.actions.forget'));
    buttons.append(edit, forget);
    li.append(head, value, buttons);
    edit.addEventListener('click', () =>
      editInline({
        target: value,
        hide: [buttons],
        label: t('memory.facts.valueLabel', names),
        initial: fact.value,
        save: async (text) => {
          await this.actions.edit(fact, text);
          fact.value = text;
        },
        done: () => edit.focus(),
        describeError: (err) => this.actions.describeError(err),
      }),
    );
    forget.addEventListener('click', async () => {
      if (!(await this.actions.forget(fact))) return;
      const next = li.nextElementSibling ?? li.previousElementSibling;
      this.facts = this.facts.filter((f) => f !== fact);
      li.remove();
      if (this.facts.length === 0) this.render();
      (next?.querySelector<HTMLButtonElement>('.mb-button-danger') ?? this.heading).focus();
    });
    return li;
  }
}
