/** Turns validated page frames into what the session takes. Pure; no sockets. */

/** int16 samples (already range-checked) → PCM16 LE, with the frame's rate (explicit, or the original's length rule). */
export function decodeAudioFrame(samples: readonly number[], explicitRate?: number): { pcm: Buffer; rate: number } {
  const pcm = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) pcm.writeInt16LE(samples[i]!, i * 2);
  // Desktop pages send 480 samples = 10 ms at 48 kHz; mobile pages send 512 at 16 kHz.
  const rate = explicitRate ?? (samples.length === 480 ? 48_000 : 16_000);
  return { pcm, rate };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Returns why `base64` is not a JPEG, or undefined when it is one (magic bytes SOI + marker, valid base64). */
export function inspectJpeg(base64: string): string | undefined {
  if (base64.length < 8) return 'image data is empty';
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) return 'image data is not valid base64';
  const head = Buffer.from(base64.slice(0, 8), 'base64');
  if (head[0] !== 0xff || head[1] !== 0xd8 || head[2] !== 0xff) return 'image data is not a JPEG (it does not start with the JPEG marker)';
  return undefined;
}
