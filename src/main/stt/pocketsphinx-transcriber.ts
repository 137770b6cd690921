import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SttError, type Transcriber } from './transcriber.js';

/**
 * Offline recognition with Debian's pocketsphinx (`pocketsphinx_continuous`, en-US model): raw 16 kHz PCM16
 * in a temporary file (it opens `-infile` by path, and Node's child stdin is a socket that `/dev/stdin`
 * cannot open), one line of text per recognised utterance on stdout. Open vocabulary is weak; a JSGF grammar
 * (the phrases an app expects) makes it exact, so one can be given.
 */
export interface PocketsphinxOptions {
  binary?: string;
  /** Path of a JSGF grammar restricting what can be recognised. */
  jsgfPath?: string;
  /** Extra dictionary with words the grammar uses that the default one lacks. */
  dictPath?: string;
}

export class PocketsphinxTranscriber implements Transcriber {
  readonly name = 'pocketsphinx';
  constructor(private readonly opts: PocketsphinxOptions = {}) {}

  async transcribe(pcm16k: Buffer, signal: AbortSignal): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'neko-stt-'));
    try {
      const input = join(dir, 'turn.raw');
      await writeFile(input, pcm16k);
      return await this.run(input, signal);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private run(input: string, signal: AbortSignal): Promise<string> {
    const args = ['-infile', input, '-logfn', '/dev/null'];
    if (this.opts.jsgfPath) args.push('-jsgf', this.opts.jsgfPath);
    if (this.opts.dictPath) args.push('-dict', this.opts.dictPath);
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.binary ?? 'pocketsphinx_continuous', args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-500)));
      child.once('error', (e) => reject(signal.aborted ? e : new SttError(`pocketsphinx: ${e.message}`)));
      child.once('close', (code) => {
        if (code === 0) resolve(out.split('\n').map((l) => l.trim()).filter(Boolean).join(' '));
        else if (!signal.aborted) reject(new SttError(`pocketsphinx exited with ${code}: ${err.trim()}`));
      });
    });
  }
}
