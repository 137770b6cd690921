import { loadReviewConfig, saveReviewConfig } from './memory-api';

/**
 * The review switch (`recent_memory_auto_review`, rest.md §5): after each conversation a model tidies the recent
 * window. A failed save puts the switch back and reports why.
 */
export class ReviewToggle {
  constructor(
    private readonly input: HTMLInputElement,
    private readonly onSaved: (enabled: boolean) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    input.addEventListener('change', () => void this.save(input.checked));
  }

  async load(): Promise<void> {
    this.input.disabled = true;
    const { enabled } = await loadReviewConfig();
    this.input.checked = enabled;
    this.input.disabled = false;
  }

  private async save(enabled: boolean): Promise<void> {
    this.input.disabled = true;
    try {
      const res = await saveReviewConfig(enabled);
      this.input.checked = res.enabled;
      this.onSaved(res.enabled);
    } catch (err) {
      this.input.checked = !enabled;
      this.onError(err);
    } finally {
      this.input.disabled = false;
    }
  }
}
