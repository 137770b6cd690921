import { t } from '../i18n';
import { el } from '../ui/dom';

/** The chip on the stage: how many background tasks are running; a click opens the agent panel. */
export class TaskChip {
  private readonly count = el('span', { class: 'agent-chip-count' });
  private running = 0;

  constructor(private readonly button: HTMLButtonElement) {
    button.append(this.count);
    this.refresh();
  }

  onClick(handler: () => void): void {
    this.button.addEventListener('click', handler);
  }

  setRunning(count: number): void {
    this.running = count;
    this.refresh();
  }

  refresh(): void {
    this.count.textContent = String(this.running);
    this.button.dataset.running = String(this.running);
    const label = t('agent.chip', { count: this.running });
    this.button.setAttribute('aria-label', label);
    this.button.title = label;
  }
}
