import { t } from '../i18n';
import { el } from '../ui/dom';
import { agentApi, type McpEntry, type McpServersAnswer, type McpServerStatus } from './agent-api';
import { entryOf, fieldsOf, LineError, type McpFormFields } from './mcp-entry';

/** Same rule as the agent's: names become part of tool names the model sees. */
const NAME_PATTERN = '[A-Za-z0-9_.\\-]{1,40}';
/** How long "Really remove?" waits for the second click. */
const CONFIRM_MS = 4000;

type ServerState = 'ready' | 'connecting' | 'restarting' | 'stopped' | 'disabled' | 'idle';

function stateOf(entry: McpEntry, status: McpServerStatus | undefined, mcpOn: boolean): ServerState {
  if (entry.disabled) return 'disabled';
  if (!mcpOn) return 'idle';
  const s = status?.state;
  return s === 'ready' || s === 'connecting' || s === 'restarting' ? s : status ? 'stopped' : 'connecting';
}

let fieldIds = 0;

/** A labelled field: `<label>` with its text, the control, and an optional hint that describes it. */
function field(labelKey: string, control: HTMLInputElement | HTMLTextAreaElement, hintKey?: string): HTMLElement {
  const id = `agent-field-${++fieldIds}`;
  control.id = id;
  const wrap = el('div', { class: 'agent-field' });
  wrap.append(el('label', { for: id, class: 'agent-field-label', 'data-key': labelKey }), control);
  if (hintKey) {
    wrap.append(el('span', { id: `${id}-hint`, class: 'agent-field-hint', 'data-key': hintKey }));
    control.setAttribute('aria-describedby', `${id}-hint`);
  }
  return wrap;
}

/** The MCP server list with add, edit, switch on/off and remove. */
export class McpEditor {
  readonly element: HTMLElement;
  private readonly notice = el('p', { class: 'agent-notice', role: 'alert' });
  private readonly list = el('ul', { class: 'agent-mcp-list' });
  private readonly empty = el('p', { class: 'agent-empty' });
  private readonly addButton = el('button', { type: 'button', class: 'agent-button agent-mcp-add' });
  private readonly form = el('form', { class: 'agent-mcp-form', novalidate: '' });
  private readonly formTitle = el('h4', { class: 'agent-form-title' });
  private readonly formError = el('p', { class: 'agent-form-error', role: 'alert' });
  private readonly nameInput = el('input', { type: 'text', name: 'name', required: '', pattern: NAME_PATTERN, maxlength: '40', autocomplete: 'off', spellcheck: 'false' });
  private readonly kindStdio = el('input', { type: 'radio', name: 'kind', value: 'stdio' });
  private readonly kindHttp = el('input', { type: 'radio', name: 'kind', value: 'http' });
  private readonly commandInput = el('input', { type: 'text', name: 'command', autocomplete: 'off', spellcheck: 'false' });
  private readonly argsInput = el('textarea', { name: 'args', rows: '3', spellcheck: 'false' });
  private readonly envInput = el('textarea', { name: 'env', rows: '2', spellcheck: 'false' });
  private readonly urlInput = el('input', { type: 'url', name: 'url', autocomplete: 'off', spellcheck: 'false', placeholder: 'http://127.0.0.1:3001/mcp' });
  private readonly headersInput = el('textarea', { name: 'headers', rows: '2', spellcheck: 'false' });
  private readonly stdioFields = el('div', { class: 'agent-form-group' });
  private readonly httpFields = el('div', { class: 'agent-form-group' });
  private readonly saveButton = el('button', { type: 'submit', class: 'agent-button agent-button-primary' });
  private readonly cancelButton = el('button', { type: 'button', class: 'agent-button agent-button-quiet' });
  private answer: McpServersAnswer | null = null;
  private loadError: string | null = null;
  /** The entry being edited; undefined while adding a new one. */
  private editing: string | undefined;
  private rendered = '';

  constructor(private readonly onChanged: () => void) {
    this.element = el('div', { class: 'agent-mcp' });
    this.buildForm();
    this.addButton.addEventListener('click', () => this.openForm(undefined));
    this.element.append(this.notice, this.empty, this.list, this.addButton, this.form);
    this.form.hidden = true;
    this.refresh();
  }

  async load(): Promise<void> {
    try {
      this.answer = await agentApi.mcpServers();
      this.loadError = null;
    } catch (err) {
      this.loadError = (err as Error).message;
    }
    this.render();
  }

  /** Language changed, or a fresh answer: all texts again. */
  refresh(): void {
    for (const node of this.form.querySelectorAll<HTMLElement>('[data-key]')) node.textContent = t(node.dataset.key!);
    this.saveButton.textContent = t('agent.mcp.form.save');
    this.cancelButton.textContent = t('agent.mcp.form.cancel');
    this.addButton.textContent = t('agent.mcp.add');
    this.formTitle.textContent = this.editing ? t('agent.mcp.form.editTitle', { name: this.editing }) : t('agent.mcp.form.addTitle');
    this.rendered = '';
    this.render();
  }

  private render(): void {
    const answer = this.answer;
    const problem = this.loadError ? t('agent.errors.load', { error: this.loadError }) : answer?.config_error ? t('agent.mcp.configError', { error: answer.config_error }) : '';
    this.notice.textContent = problem;
    this.notice.hidden = !problem;
    const entries = Object.entries(answer?.config.mcpServers ?? {});
    this.empty.textContent = t('agent.mcp.empty');
    this.empty.hidden = entries.length > 0 || answer === null;
    // Status pushes arrive often; rebuild only when something shown changed, and keep the focused control.
    const key = JSON.stringify(answer);
    if (key === this.rendered) return;
    this.rendered = key;
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
    this.list.replaceChildren(...entries.map(([name, entry]) => this.card(name, entry, answer!)));
    if (focused) this.list.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focused)}"]`)?.focus();
  }

  private card(name: string, entry: McpEntry, answer: McpServersAnswer): HTMLElement {
    const status = answer.servers.find((s) => s.name === name);
    const state = stateOf(entry, status, answer.enabled);
    const item = el('li', { class: 'agent-mcp-server', 'data-server': name, 'data-state': state });
    const head = el('div', { class: 'agent-mcp-head' });
    const toggle = el('input', { type: 'checkbox', role: 'switch', class: 'agent-switch-input', 'aria-label': t('agent.mcp.enabledLabel', { name }), 'data-focus-key': `toggle:${name}` });
    toggle.checked = !entry.disabled;
    toggle.addEventListener('change', () => void this.run(() => agentApi.setMcpServerDisabled(name, !toggle.checked), toggle));
    head.append(el('strong', { class: 'agent-mcp-name' }, name), el('span', { class: 'agent-pill', 'data-state': state }, t(`agent.mcp.state.${state}`)), toggle);
    const target = entry.url ?? [entry.command ?? '', ...(entry.args ?? [])].join(' ');
    item.append(head, el('code', { class: 'agent-mcp-target' }, target));
    const tools = status?.state === 'ready' ? status.tools : [];
    if (tools.length) {
      const details = el('details', { class: 'agent-mcp-tools' });
      const list = el('ul');
      list.append(...tools.map((tool) => el('li', {}, tool)));
      details.append(el('summary', {}, t('agent.mcp.tools', { count: tools.length })), list);
      item.append(details);
    }
    if (status?.last_error && state !== 'ready') item.append(el('p', { class: 'agent-mcp-error' }, t('agent.mcp.lastError', { error: status.last_error })));
    const buttons = el('div', { class: 'agent-mcp-buttons' });
    const edit = el('button', { type: 'button', class: 'agent-button agent-button-quiet', 'aria-label': t('agent.mcp.editLabel', { name }), 'data-focus-key': `edit:${name}` }, t('agent.mcp.edit'));
    edit.addEventListener('click', () => this.openForm(name));
    const remove = el('button', { type: 'button', class: 'agent-button agent-button-danger', 'aria-label': t('agent.mcp.removeLabel', { name }), 'data-focus-key': `remove:${name}` }, t('agent.mcp.remove'));
    let armed: ReturnType<typeof setTimeout> | undefined;
    remove.addEventListener('click', () => {
      if (!armed) {
        // Removing is a click away from losing the entry: ask once more, in place.
        remove.textContent = t('agent.mcp.confirmRemove');
        remove.dataset.armed = 'true';
        armed = setTimeout(() => {
          armed = undefined;
          remove.textContent = t('agent.mcp.remove');
          delete remove.dataset.armed;
        }, CONFIRM_MS);
        return;
      }
      clearTimeout(armed);
      void this.run(() => agentApi.removeMcpServer(name), remove);
    });
    buttons.append(edit, remove);
    item.append(buttons);
    return item;
  }

  /** A change: the answer is the new list; a failure is shown and the list re-read. */
  private async run(change: () => Promise<McpServersAnswer>, control: HTMLInputElement | HTMLButtonElement): Promise<boolean> {
    control.disabled = true;
    try {
      const next = await change();
      this.answer = { ...next, enabled: this.answer?.enabled ?? next.enabled, config_error: null };
      this.loadError = null;
      this.render();
      this.onChanged();
      return true;
    } catch (err) {
      this.notice.textContent = t('agent.mcp.form.failed', { error: (err as Error).message });
      this.notice.hidden = false;
      await this.load();
      return false;
    } finally {
      control.disabled = false;
    }
  }

  private buildForm(): void {
    const kind = el('fieldset', { class: 'agent-kind' });
    const legend = el('legend', { 'data-key': 'agent.mcp.form.kind' });
    const stdio = el('label', { class: 'agent-radio' });
    stdio.append(this.kindStdio, el('span', { 'data-key': 'agent.mcp.form.stdio' }));
    const http = el('label', { class: 'agent-radio' });
    http.append(this.kindHttp, el('span', { 'data-key': 'agent.mcp.form.http' }));
    kind.append(legend, stdio, http);
    this.stdioFields.append(
      field('agent.mcp.form.command', this.commandInput, 'agent.mcp.form.commandHint'),
      field('agent.mcp.form.args', this.argsInput),
      field('agent.mcp.form.env', this.envInput, 'agent.mcp.form.secretHint'),
    );
    this.httpFields.append(field('agent.mcp.form.url', this.urlInput, 'agent.mcp.form.urlHint'), field('agent.mcp.form.headers', this.headersInput, 'agent.mcp.form.secretHint'));
    const buttons = el('div', { class: 'agent-form-buttons' });
    buttons.append(this.saveButton, this.cancelButton);
    this.form.append(this.formTitle, field('agent.mcp.form.name', this.nameInput, 'agent.mcp.form.nameHint'), kind, this.stdioFields, this.httpFields, this.formError, buttons);
    for (const radio of [this.kindStdio, this.kindHttp]) radio.addEventListener('change', () => this.showKind());
    this.cancelButton.addEventListener('click', () => this.closeForm());
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
  }

  private showKind(): void {
    const http = this.kindHttp.checked;
    this.stdioFields.hidden = http;
    this.httpFields.hidden = !http;
  }

  private openForm(name: string | undefined): void {
    this.editing = name;
    const entry = name ? this.answer?.config.mcpServers[name] : undefined;
    const f = fieldsOf(entry);
    this.nameInput.value = name ?? '';
    this.nameInput.readOnly = name !== undefined;
    this.kindStdio.checked = f.kind === 'stdio';
    this.kindHttp.checked = f.kind === 'http';
    this.commandInput.value = f.command;
    this.argsInput.value = f.args;
    this.envInput.value = f.env;
    this.urlInput.value = f.url;
    this.headersInput.value = f.headers;
    this.formError.hidden = true;
    this.showKind();
    this.form.hidden = false;
    this.addButton.hidden = true;
    this.refresh();
    (name ? this.commandInput : this.nameInput).focus();
  }

  private closeForm(): void {
    const name = this.editing;
    this.form.hidden = true;
    this.addButton.hidden = false;
    this.editing = undefined;
    (name ? this.list.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(`edit:${name}`)}"]`) : null)?.focus() ?? this.addButton.focus();
  }

  private fail(message: string, focus?: HTMLElement): void {
    this.formError.textContent = message;
    this.formError.hidden = false;
    focus?.focus();
  }

  private async save(): Promise<void> {
    const name = this.nameInput.value.trim();
    if (!new RegExp(`^${NAME_PATTERN}$`).test(name)) return this.fail(t('agent.mcp.form.badName'), this.nameInput);
    if (!this.editing && this.answer?.config.mcpServers[name]) return this.fail(t('agent.mcp.form.taken', { name }), this.nameInput);
    const fields: McpFormFields = {
      kind: this.kindHttp.checked ? 'http' : 'stdio',
      command: this.commandInput.value,
      args: this.argsInput.value,
      env: this.envInput.value,
      url: this.urlInput.value,
      headers: this.headersInput.value,
    };
    if (fields.kind === 'stdio' && !fields.command.trim()) return this.fail(t('agent.mcp.form.needCommand'), this.commandInput);
    if (fields.kind === 'http' && !/^https?:\/\/\S+$/i.test(fields.url.trim())) return this.fail(t('agent.mcp.form.needUrl'), this.urlInput);
    let entry: McpEntry;
    try {
      entry = entryOf(fields, this.editing ? this.answer?.config.mcpServers[this.editing] : undefined);
    } catch (err) {
      if (!(err instanceof LineError)) throw err;
      return this.fail(t(`agent.mcp.form.badLine.${err.field}`, { line: err.line }), err.field === 'env' ? this.envInput : this.headersInput);
    }
    this.saveButton.disabled = true;
    try {
      this.answer = { ...(await agentApi.saveMcpServer(name, entry)), enabled: this.answer?.enabled ?? false };
      this.editing = name;
      this.render();
      this.closeForm();
      this.onChanged();
    } catch (err) {
      this.fail(t('agent.mcp.form.failed', { error: (err as Error).message }));
    } finally {
      this.saveButton.disabled = false;
    }
  }

  /** Whether the add/edit form is open (the panel does not replace it under the user's hands). */
  get editingOpen(): boolean {
    return !this.form.hidden;
  }
}
