import { el } from './dom';

const SHOW_MS = 6000;
/** The same text again within this window is not shown twice (a session retrying repeats its notices). */
const DEDUPE_MS = 4000;

export type ToastKind = 'info' | 'warning' | 'error';

/** Short notices over the stage; announced politely to screen readers by the container's role=status. */
export class Toasts {
  private recent = new Map<string, number>();

  constructor(private readonly container: HTMLElement) {}

  show(text: string, kind: ToastKind = 'info'): void {
    const now = Date.now();
    const last = this.recent.get(text);
    if (last !== undefined && now - last < DEDUPE_MS) return;
    this.recent.set(text, now);
    const toast = el('div', { class: `toast toast-${kind}` }, text);
    toast.addEventListener('click', () => toast.remove());
    this.container.append(toast);
    // Keep the stack short on small screens.
    while (this.container.childElementCount > 3) this.container.firstElementChild?.remove();
    setTimeout(() => toast.remove(), kind === 'error' ? SHOW_MS * 1.5 : SHOW_MS);
  }
}
