/**
 * Reads a WAV byte stream as it arrives (espeak-ng stdout, a streaming HTTP body): learns the format from
 * the header, then hands out PCM16 frames. Streamed WAVs often carry a placeholder data size
 * (0x7fffffff or 0), so the data chunk is read to the end of the stream instead of trusting its length.
 */
export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
}

/** Refuse headers larger than this: a real WAV header is 44 bytes plus a few small chunks. */
const MAX_HEADER_BYTES = 64 * 1024;

export class WavStreamReader {
  private header = Buffer.alloc(0);
  private format: WavFormat | null = null;
  private inData = false;
  /** A trailing odd byte waits for its partner so samples never split. */
  private carry: Buffer | null = null;
  /** The data chunk's declared length (may be a placeholder in streamed files). */
  declaredDataBytes = 0;

  get wavFormat(): WavFormat | null {
    return this.inData ? this.format : null;
  }

  /** Bytes in → whole mono PCM16 samples out (empty until the header is complete). Throws on a non-PCM16 or malformed WAV. */
  push(bytes: Buffer): Buffer {
    if (!this.inData) {
      this.header = Buffer.concat([this.header, bytes]);
      const rest = this.parseHeader();
      if (rest === null) {
        if (this.header.length > MAX_HEADER_BYTES) throw new Error('WAV header too large');
        return Buffer.alloc(0);
      }
      bytes = rest;
      this.header = Buffer.alloc(0);
    }
    if (this.carry) {
      bytes = Buffer.concat([this.carry, bytes]);
      this.carry = null;
    }
    const frame = this.format!.channels * 2;
    const whole = bytes.length - (bytes.length % frame);
    if (whole < bytes.length) this.carry = Buffer.from(bytes.subarray(whole));
    return downmix(bytes.subarray(0, whole), this.format!.channels);
  }

  /** The data after the header, or null while the header is incomplete. */
  private parseHeader(): Buffer | null {
    const h = this.header;
    if (h.length < 12) return null;
    if (h.toString('ascii', 0, 4) !== 'RIFF' || h.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV stream');
    let offset = 12;
    while (offset + 8 <= h.length) {
      const id = h.toString('ascii', offset, offset + 4);
      const size = h.readUInt32LE(offset + 4);
      const body = offset + 8;
      if (id === 'data') {
        if (!this.format) throw new Error('WAV data before fmt chunk');
        this.inData = true;
        this.declaredDataBytes = size;
        return Buffer.from(h.subarray(body));
      }
      if (body + size > h.length) return null;
      if (id === 'fmt ') {
        const audioFormat = h.readUInt16LE(body);
        const format = { channels: h.readUInt16LE(body + 2), sampleRate: h.readUInt32LE(body + 4), bitsPerSample: h.readUInt16LE(body + 14) };
        // 1 = PCM, 0xfffe = WAVE_FORMAT_EXTENSIBLE (PCM subformat in practice for 16-bit output).
        if ((audioFormat !== 1 && audioFormat !== 0xfffe) || format.bitsPerSample !== 16 || format.channels < 1) {
          throw new Error(`unsupported WAV format ${audioFormat}/${format.bitsPerSample}-bit/${format.channels}ch (need PCM16)`);
        }
        this.format = format;
      }
      offset = body + size + (size % 2);
    }
    return null;
  }
}

/** Interleaved PCM16 → mono by averaging channels. */
function downmix(pcm: Buffer, channels: number): Buffer {
  if (channels === 1) return Buffer.from(pcm);
  const frames = pcm.length / (channels * 2);
  const out = Buffer.alloc(frames * 2);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += pcm.readInt16LE((f * channels + c) * 2);
    out.writeInt16LE(Math.round(sum / channels), f * 2);
  }
  return out;
}

/** A complete WAV file → its format and mono PCM16 data. */
export function decodeWav(file: Buffer): { format: WavFormat; pcm: Buffer } {
  const reader = new WavStreamReader();
  const pcm = reader.push(file);
  const format = reader.wavFormat;
  if (!format) throw new Error('incomplete WAV file');
  // A whole file's declared length is trustworthy when it fits; chunks after the data (LIST, id3) are not audio.
  const declaredMono = (reader.declaredDataBytes / format.channels) | 0;
  if (declaredMono > 0 && declaredMono < pcm.length) return { format, pcm: pcm.subarray(0, declaredMono - (declaredMono % 2)) };
  return { format, pcm };
}

/**
 * The 44-byte header of a mono PCM16 WAV file. `riffBytes` defaults to what `dataBytes` implies; streaming
 * writers that do not know the length yet pass 0xFFFFFFFF for both, as streaming TTS servers do.
 */
export function pcm16WavHeader(sampleRate: number, dataBytes: number, riffBytes = 36 + dataBytes): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(riffBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** Mono PCM16 → a WAV file (for previews, trimmed uploads and STT requests). */
export function encodeWav(pcm: Buffer, sampleRate: number): Buffer {
  return Buffer.concat([pcm16WavHeader(sampleRate, pcm.length), pcm]);
}
