import type { RealtimeProvider } from '../providers/realtime.js';

/**
 * Asks a text provider for one reply and returns its whole text (for proactive chat, where the line is
 * checked before anyone hears it). The connection is closed afterwards whatever happens.
 */
export async function completeOnce(
  provider: RealtimeProvider,
  opts: { instructions: string; userText: string; imageBase64?: string; timeoutMs: number },
): Promise<string> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  try {
    await provider.connect({ instructions: opts.instructions, audioOutput: false, signal: controller.signal });
    const reply = new Promise<string>((resolve, reject) => {
      let text = '';
      provider.on('text', ({ text: delta }) => (text += delta));
      provider.on('error', ({ message, fatal }) => fatal && reject(new Error(message)));
      provider.on('response_done', () => resolve(text));
      controller.signal.addEventListener('abort', () => reject(new OneShotTimeout(`no reply within ${opts.timeoutMs} ms`)));
    });
    if (opts.imageBase64) provider.sendImage(opts.imageBase64);
    provider.sendText(opts.userText);
    return await reply;
  } catch (err) {
    if (controller.signal.aborted && !(err instanceof OneShotTimeout)) throw new OneShotTimeout(`no reply within ${opts.timeoutMs} ms`);
    throw err;
  } finally {
    clearTimeout(timer);
    await provider.close().catch(() => undefined);
  }
}

export class OneShotTimeout extends Error {}
