import { t } from '../i18n';

/** A button with aria-pressed whose label says what pressing it will do. */
export class ToggleButton {
  private on = false;

  constructor(
    private readonly button: HTMLButtonElement,
    private readonly labelOff: string,
    private readonly labelOn: string,
  ) {}

  onClick(handler: () => void): void {
    this.button.addEventListener('click', handler);
  }

  setOn(on: boolean): void {
    this.on = on;
    this.button.setAttribute('aria-pressed', String(on));
    this.refresh();
  }

  refresh(): void {
    const label = t(this.on ? this.labelOn : this.labelOff);
    this.button.setAttribute('aria-label', label);
    this.button.title = label;
  }
}
