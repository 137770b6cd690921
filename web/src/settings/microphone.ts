import { el } from '../ui/dom';
import { button } from '../ui/form-field';
import { textEl } from '../ui/i18n-text';
import { InlineStatus } from '../ui/inline-status';
import { get, post } from './http';
import { card, sectionHeader, type SettingsSection } from './section';

/**
 * Microphone choice (rest.md §4.17): the browser's audio inputs; the choice is stored on the server and the
 * chat page asks for that device when voice starts. Device names show once the browser has allowed the mic.
 */
export class MicrophoneSection implements SettingsSection {
  readonly id = 'microphone' as const;
  private readonly group = el('div', { class: 'radio-list', role: 'radiogroup', id: 'microphone-list' });
  private readonly status = new InlineStatus();
  private readonly allow = button('settings.microphone.allow');
  private stored: string | null = null;

  mount(root: HTMLElement): void {
    sectionHeader(root, this.id);
    const devices = card('settings.microphone.listTitle');
    const heading = devices.card.querySelector('h2')!;
    heading.id = 'microphone-heading';
    this.group.setAttribute('aria-labelledby', heading.id);
    this.allow.addEventListener('click', () => void this.askPermission());
    devices.body.append(this.group, this.allow, this.status.element);
    root.append(devices.card);
    navigator.mediaDevices?.addEventListener?.('devicechange', () => void this.render());
  }

  async load(): Promise<void> {
    this.stored = (await get<{ microphone_id: string | null }>('/api/characters/get_microphone')).microphone_id;
    await this.render();
  }

  /** Labels are empty until the page may use the microphone; one short request reveals them. */
  private async askPermission(): Promise<void> {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      stream.getTracks().forEach((track) => track.stop());
      await this.render();
    } catch {
      this.status.show('error', 'settings.microphone.denied');
    }
  }

  private async render(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) {
      this.group.replaceChildren();
      this.allow.hidden = true;
      return this.status.show('error', 'settings.microphone.unsupported');
    }
    const inputs = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput' && d.deviceId !== 'default' && d.deviceId !== 'communications');
    const named = inputs.some((d) => d.label);
    this.allow.hidden = named || inputs.length === 0;
    const options: { id: string; label: HTMLElement }[] = [{ id: '', label: textEl('span', 'settings.microphone.systemDefault') }];
    inputs.forEach((d, i) => options.push({ id: d.deviceId, label: d.label ? el('span', {}, d.label) : textEl('span', 'settings.microphone.unnamed', {}, { n: i + 1 }) }));
    if (this.stored && !inputs.some((d) => d.deviceId === this.stored)) {
      options.push({ id: this.stored, label: textEl('span', 'settings.microphone.missing') });
    }
    this.group.replaceChildren(
      ...options.map((o, i) => {
        const row = el('div', { class: 'radio-row' });
        const radio = el('input', { type: 'radio', name: 'microphone', id: `mic-${i}`, value: o.id });
        radio.checked = (this.stored ?? '') === o.id;
        radio.addEventListener('change', () => void this.choose(o.id || null));
        const label = el('label', { for: radio.id });
        label.append(o.label);
        row.append(radio, label);
        return row;
      }),
    );
    if (inputs.length === 0) this.status.show('info', 'settings.microphone.none');
  }

  private async choose(id: string | null): Promise<void> {
    try {
      await post('/api/characters/set_microphone', { microphone_id: id });
      this.stored = id;
      this.status.show('ok', 'settings.microphone.saved');
    } catch (err) {
      this.status.show('error', 'settings.common.saveFailed', { error: (err as Error).message });
    }
  }
}

