import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KNOWN_PHRASES } from './brain.js';
import { runProcess } from './run-process.js';
import { pcm16ToWav } from './wav.js';

/** Debian pocketsphinx-en-us dictionary; the grammar's words are copied from it. */
const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
/** Words of the grammar that the CMU dictionary lacks, with their phones. */
const EXTRA_PRONUNCIATIONS: Record<string, string> = { neko: 'N EH K OW' };
/** Average spoken word length (espeak-ng's default 175 wpm ≈ 0.34 s) plus edges, for the plausibility check. */
const SECONDS_PER_WORD = 0.34;
const EDGE_SECONDS = 0.3;
/**
 * A recognised phrase is rejected as a forced match when the real speech is much longer than the phrase
 * takes to say (the grammar squeezes a long unknown sentence into a short known phrase), or much shorter.
 * Short known phrases are often spoken fast, so the lower bound is looser than the upper one.
 */
const MAX_LONGER_RATIO = 1.8;
const MAX_SHORTER_RATIO = 2.5;

let grammarFiles: Promise<{ dir: string; grammar: string; dict: string } | null> | null = null;

/** Writes a file so that concurrent processes never see it half-written. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, content);
  await rename(temp, path);
}

/**
 * pocketsphinx's open-vocabulary model does poorly here; a grammar of the phrases the demo understands
 * recognises them exactly. A grammar always picks some phrase, so the caller checks plausibility.
 * The files live in one temp directory per grammar version, shared by every process that runs the sim.
 */
function prepareGrammar(): Promise<{ dir: string; grammar: string; dict: string } | null> {
  grammarFiles ??= (async () => {
    if (!existsSync(CMUDICT)) return null;
    const grammarText = `#JSGF V1.0;\ngrammar neko;\npublic <utterance> = ${KNOWN_PHRASES.join(' | ')};\n`;
    const dir = join(tmpdir(), `neko-sim-asr-${createHash('sha256').update(grammarText).digest('hex').slice(0, 12)}`);
    const grammar = join(dir, 'phrases.gram');
    const dict = join(dir, 'phrases.dict');
    await mkdir(dir, { recursive: true });
    if (existsSync(grammar) && existsSync(dict)) return { dir, grammar, dict };
    const words = new Set(KNOWN_PHRASES.flatMap((p) => p.split(' ')));
    const lines: string[] = [];
    for (const line of (await readFile(CMUDICT, 'utf8')).split('\n')) {
      const word = line.slice(0, line.indexOf(' ')).replace(/\(\d+\)$/, '');
      if (words.has(word)) lines.push(line);
    }
    for (const [word, phones] of Object.entries(EXTRA_PRONUNCIATIONS)) if (words.has(word)) lines.push(`${word} ${phones}`);
    await writeAtomically(dict, lines.join('\n') + '\n');
    await writeAtomically(grammar, grammarText);
    return { dir, grammar, dict };
  })().catch(() => null);
  return grammarFiles;
}

function plausible(phrase: string, speechSeconds: number): boolean {
  const expected = phrase.split(' ').length * SECONDS_PER_WORD + EDGE_SECONDS;
  const ratio = speechSeconds / expected;
  return ratio <= MAX_LONGER_RATIO && ratio >= 1 / MAX_SHORTER_RATIO;
}

export const speechNote = (speechSeconds: number): string => `(${speechSeconds.toFixed(1)} s of speech)`;

/**
 * The user's words for one utterance (PCM16 mono at `sampleRate`), or an honest note such as
 * "(2.4 s of speech)" when they cannot be recognised. Runs sox and pocketsphinx as child processes.
 */
export async function transcribeUtterance(pcm: Buffer, sampleRate: number, speechSeconds: number): Promise<string> {
  const files = await prepareGrammar();
  if (!files) return speechNote(speechSeconds);
  const wavPath = join(files.dir, `utt-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.wav`);
  try {
    let wav = pcm16ToWav(pcm, sampleRate);
    if (sampleRate !== 16000) {
      // The acoustic model is 16 kHz.
      wav = await runProcess('sox', ['-V1', '-t', 'wav', '-', '-t', 'wav', '-r', '16000', '-'], { stdin: wav });
    }
    await writeFile(wavPath, wav);
    const out = await runProcess('pocketsphinx_continuous', ['-infile', wavPath, '-jsgf', files.grammar, '-dict', files.dict, '-logfn', '/dev/null']);
    const phrase = out.toString().trim().split('\n').pop()?.trim() ?? '';
    return phrase && plausible(phrase, speechSeconds) ? phrase : speechNote(speechSeconds);
  } catch {
    return speechNote(speechSeconds);
  } finally {
    await rm(wavPath, { force: true });
  }
}
