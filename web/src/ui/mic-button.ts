import { t } from '../i18n';

/** The voice button: a toggle whose ring grows with the microphone level. */
export class MicButton {
  private on = false;

  constructor(private readonly button: HTMLButtonElement) {}

  onToggle(handler: () => void): void {
    this.button.addEventListener('click', handler);
  }

  setOn(on: boolean): void {
    this.on = on;
    this.button.setAttribute('aria-pressed', String(on));
    this.refresh();
    if (!on) this.setLevel(0);
  }

  /** RMS 0 … 1; shown on a perceptual (square-root) scale so quiet speech still moves the ring. */
  setLevel(rms: number): void {
    this.button.style.setProperty('--level', Math.min(1, Math.sqrt(rms) * 2.2).toFixed(3));
  }

  refresh(): void {
    const label = t(this.on ? 'controls.micStop' : 'controls.micStart');
    this.button.setAttribute('aria-label', label);
    this.button.title = label;
  }
}
