import { t } from '../i18n';
import { el } from '../ui/dom';
import { FLAG_KEYS, type FlagKey } from './agent-api';
import type { AgentStatus, CapabilityView } from './agent-status';
import { reasonText } from './reason-text';

export type SwitchKey = 'agent' | FlagKey;

/** One switch: name, what it does, the switch itself, and whether it can work (with the reasons it cannot). */
class SwitchRow {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly name = el('span', { class: 'agent-switch-name' });
  private readonly hint = el('span', { class: 'agent-switch-hint' });
  private readonly state = el('span', { class: 'agent-pill' });
  private readonly reasons = el('ul', { class: 'agent-reasons' });
  private view: CapabilityView = { on: false, ready: false, reasons: [] };
  private blockedBy: string | null = null;
  private locked = false;

  constructor(readonly key: SwitchKey) {
    const id = `agent-switch-${key}`;
    this.input = el('input', { type: 'checkbox', role: 'switch', id, class: 'agent-switch-input', 'aria-describedby': `${id}-why` });
    const label = el('label', { for: id, class: 'agent-switch-text' });
    label.append(this.name, this.hint);
    const why = el('div', { id: `${id}-why`, class: 'agent-switch-why' });
    why.append(this.state, this.reasons);
    this.element = el('li', { class: 'agent-switch', 'data-flag': key });
    this.element.append(label, this.input, why);
  }

  /**
   * `blockedBy`: a sentence saying why the switch cannot be used now (the agent is off, or offline).
   * `locked`: it cannot be switched on (its reasons say why); switching it off stays possible.
   */
  show(view: CapabilityView, blockedBy: string | null, locked = false): void {
    this.view = view;
    this.blockedBy = blockedBy;
    this.locked = locked;
    this.refresh();
  }

  setBusy(busy: boolean): void {
    this.element.toggleAttribute('aria-busy', busy);
    this.updateDisabled();
  }

  refresh(): void {
    const { view } = this;
    this.name.textContent = t(`agent.flags.${this.key}.label`);
    this.hint.textContent = t(`agent.flags.${this.key}.hint`);
    this.input.checked = view.on;
    this.updateDisabled();
    const state = view.ready ? 'ready' : 'unavailable';
    this.element.dataset.ready = String(view.ready);
    this.state.dataset.state = state;
    this.state.textContent = view.tools !== undefined && view.ready && view.on ? t('agent.flags.tools', { count: view.tools }) : t(`agent.flags.${state}`);
    const lines = [...(this.blockedBy ? [this.blockedBy] : []), ...view.reasons.map(reasonText)];
    this.reasons.replaceChildren(...[...new Set(lines)].map((line) => el('li', {}, line)));
  }

  private updateDisabled(): void {
    this.input.disabled = this.element.hasAttribute('aria-busy') || this.blockedBy !== null || (this.locked && !this.view.on);
  }
}

/** The master switch and the capability switches, with their availability. */
export class FlagsSection {
  readonly element: HTMLElement;
  private readonly rows = new Map<SwitchKey, SwitchRow>();
  private status: AgentStatus | null = null;

  constructor(onToggle: (key: SwitchKey, on: boolean) => Promise<void>) {
    this.element = el('ul', { class: 'agent-switches' });
    for (const key of ['agent', ...FLAG_KEYS] as SwitchKey[]) {
      const row = new SwitchRow(key);
      this.rows.set(key, row);
      this.element.append(row.element);
      row.input.addEventListener('change', () => {
        row.setBusy(true);
        void onToggle(key, row.input.checked).finally(() => row.setBusy(false));
      });
    }
  }

  show(status: AgentStatus): void {
    this.status = status;
    this.refresh();
  }

  refresh(): void {
    const status = this.status;
    if (!status) return;
    const offline = status.online ? null : t('agent.panel.offlineShort');
    this.rows.get('agent')!.show(status.agent, offline);
    for (const key of FLAG_KEYS) {
      const view = status.capabilities[key];
      // A capability that cannot work here cannot be switched on (its reasons say why).
      this.rows.get(key)!.show(view, offline ?? (status.agent.on ? null : t('agent.flags.needsAgent')), !view.ready);
    }
  }
}
