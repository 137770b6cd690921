import type { TestConnectionRequest, TestConnectionResult } from '../../../src/shared/protocol/provider-check';
import { el } from '../ui/dom';
import { button } from '../ui/form-field';
import { InlineStatus } from '../ui/inline-status';
import { CodedError, post } from './http';

/** How many listed models are named in the result line; the rest are counted. */
const MODELS_NAMED = 3;

/**
 * "Test connection": the server makes one cheap request to the provider (its model list) with the typed
 * or the stored key, and the answer is explained here. `request` returns null when there is nothing to test.
 */
export class ConnectionTest {
  readonly element: HTMLDivElement;
  readonly button: HTMLButtonElement;
  private readonly status = new InlineStatus();

  constructor(private readonly request: () => TestConnectionRequest) {
    this.button = button('settings.test.button');
    this.element = el('div', { class: 'connection-test' });
    this.element.append(this.button, this.status.element);
    this.button.addEventListener('click', () => void this.run());
  }

  /** Forgets the last result (the thing tested has changed). */
  reset(): void {
    this.status.clear();
  }

  async run(): Promise<void> {
    this.button.disabled = true;
    this.status.show('busy', 'settings.test.running');
    try {
      this.showResult(await post<TestConnectionResult>('/api/config/test_connection', this.request()));
    } catch (err) {
      const e = err as CodedError;
      if (e.code === 'KEY_NEEDS_REENTRY') this.status.show('error', 'settings.test.reenterKey');
      else if (e.code === 'LOCAL_ONLY') this.status.show('error', 'settings.test.localOnly');
      else if (e.code === 'INVALID_BASE_URL') this.status.show('error', 'settings.test.badUrl', { error: e.message });
      else this.status.show('error', 'settings.test.cannot', { error: e.message });
    } finally {
      this.button.disabled = false;
    }
  }

  private showResult(r: TestConnectionResult): void {
    const url = r.base_url ?? '';
    if (r.success && r.offline) return this.status.show('ok', 'settings.test.offline');
    if (r.success) {
      const models = r.models ?? [];
      const named = models.slice(0, MODELS_NAMED).join(', ') + (models.length > MODELS_NAMED ? ', …' : '');
      return models.length
        ? this.status.show('ok', 'settings.test.okModels', { ms: r.latency_ms ?? 0, count: models.length, models: named })
        : this.status.show('ok', 'settings.test.ok', { ms: r.latency_ms ?? 0 });
    }
    const values = { url, status: r.status ?? 0, error: r.error ?? '' };
    switch (r.code) {
      case 'BAD_KEY':
        return this.status.show('error', 'settings.test.badKey', values);
      case 'NO_KEY':
        return this.status.show('error', 'settings.test.noKey', values);
      case 'UNREACHABLE':
        return this.status.show('error', 'settings.test.unreachable', values);
      case 'TIMEOUT':
        return this.status.show('error', 'settings.test.timeout', values);
      case 'NOT_OPENAI_COMPATIBLE':
        return this.status.show('error', 'settings.test.notCompatible', values);
      case 'RATE_LIMITED':
        return this.status.show('error', 'settings.test.rateLimited', values);
      default:
        return this.status.show('error', 'settings.test.httpError', values);
    }
  }
}
