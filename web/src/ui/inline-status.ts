import { setText } from './i18n-text';

export type StatusKind = 'ok' | 'error' | 'busy' | 'info';

/**
 * A one-line result next to the control that caused it (saved, failed and why, working…): announced to
 * screen readers, and translated again when the language changes.
 */
export class InlineStatus {
  readonly element: HTMLParagraphElement;

  constructor() {
    this.element = document.createElement('p');
    this.element.className = 'inline-status';
    this.element.setAttribute('role', 'status');
    this.element.setAttribute('aria-live', 'polite');
    this.element.hidden = true;
  }

  show(kind: StatusKind, key: string, values?: Record<string, unknown>): void {
    this.element.hidden = false;
    this.element.dataset.kind = kind;
    setText(this.element, key, values);
  }

  clear(): void {
    this.element.hidden = true;
    this.element.textContent = '';
    delete this.element.dataset.i18nKey;
  }
}
