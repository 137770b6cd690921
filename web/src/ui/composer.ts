/** The text box: Enter (or the send button) submits; empty messages are not sent. */
export class Composer {
  constructor(
    private readonly form: HTMLFormElement,
    private readonly input: HTMLInputElement,
  ) {}

  onSubmit(handler: (text: string) => void): void {
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = '';
      handler(text);
    });
  }
}
