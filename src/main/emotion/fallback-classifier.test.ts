import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classifyEmotion } from './fallback-classifier.js';
import { parseEmotionAnswer } from './model-classifier.js';
import { isEmotion, type Emotion } from './emotions.js';

interface Labelled {
  lang: 'en' | 'zh' | 'ja';
  label: Emotion;
  text: string;
}

const SET = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'labelled-emotions.json'), 'utf8')) as Labelled[];

describe('offline emotion classifier', () => {
  it('the labelled set is large, balanced across languages, and uses only known labels', () => {
    assert.ok(SET.length >= 60);
    for (const lang of ['en', 'zh', 'ja'] as const) assert.ok(SET.filter((s) => s.lang === lang).length >= 20, lang);
    for (const s of SET) assert.ok(isEmotion(s.label), s.label);
    for (const label of ['happy', 'sad', 'angry', 'surprised', 'neutral']) assert.ok(SET.filter((s) => s.label === label).length >= 12, label);
  });

  it('classifies the labelled set with at least 80% accuracy overall and 70% in each language', () => {
    const misses: string[] = [];
    const perLang: Record<string, { ok: number; n: number }> = {};
    for (const s of SET) {
      const got = classifyEmotion(s.text).emotion;
      const l = (perLang[s.lang] ??= { ok: 0, n: 0 });
      l.n += 1;
      if (got === s.label) l.ok += 1;
      else misses.push(`${s.lang} "${s.text}": expected ${s.label}, got ${got}`);
    }
    const accuracy = (SET.length - misses.length) / SET.length;
    assert.ok(accuracy >= 0.8, `accuracy ${accuracy.toFixed(2)}; misses:\n${misses.join('\n')}`);
    for (const [lang, { ok, n }] of Object.entries(perLang)) assert.ok(ok / n >= 0.7, `${lang}: ${ok}/${n}`);
  });

  it('handles negation in each language', () => {
    assert.equal(classifyEmotion("I'm not happy about this").emotion, 'sad');
    assert.equal(classifyEmotion("I'm happy about this").emotion, 'happy');
    assert.equal(classifyEmotion('我不开心').emotion, 'sad');
    assert.equal(classifyEmotion('我不太开心').emotion, 'sad');
    assert.equal(classifyEmotion('我很开心').emotion, 'happy');
    assert.equal(classifyEmotion('嬉しくない').emotion, 'sad');
    assert.equal(classifyEmotion('嬉しい').emotion, 'happy');
    assert.equal(classifyEmotion("I'm not angry").emotion, 'neutral');
    assert.equal(classifyEmotion('我没有生气').emotion, 'neutral');
    assert.equal(classifyEmotion('悲しくないよ').emotion, 'neutral');
  });

  it('reads emoji and ?! and answers neutral with no cue', () => {
    assert.equal(classifyEmotion('see you tomorrow 😊').emotion, 'happy');
    assert.equal(classifyEmotion('😭').emotion, 'sad');
    assert.equal(classifyEmotion('He did what?!').emotion, 'surprised');
    const plain = classifyEmotion('The file is in the second folder.');
    assert.deepEqual(plain, { emotion: 'neutral', confidence: 0.6 });
    const strong = classifyEmotion('I am so so happy, thank you, this is wonderful!!');
    assert.equal(strong.emotion, 'happy');
    assert.ok(strong.confidence > classifyEmotion('glad').confidence);
    assert.ok(strong.confidence <= 0.95);
  });
});

describe('emotion model answers', () => {
  it('accepts the asked-for JSON, with fences or text around it', () => {
    assert.deepEqual(parseEmotionAnswer('{"emotion":"happy","confidence":0.82}'), { emotion: 'happy', confidence: 0.82 });
    assert.deepEqual(parseEmotionAnswer('```json\n{"emotion": "Sad", "confidence": "0.7"}\n```'), { emotion: 'sad', confidence: 0.7 });
    assert.deepEqual(parseEmotionAnswer('Sure! {"emotion":"angry","confidence":3}'), { emotion: 'angry', confidence: 1 });
  });

  it('turns a low-confidence label into neutral', () => {
    assert.deepEqual(parseEmotionAnswer('{"emotion":"angry","confidence":0.1}'), { emotion: 'neutral', confidence: 0.1 });
  });

  it('rejects anything else', () => {
    for (const answer of ['happy', '{"emotion":"joyful","confidence":0.9}', '{"emotion":"happy"}', '{"emotion":"happy","confidence":"high"}', '{broken', '[]', '']) {
      assert.equal(parseEmotionAnswer(answer), undefined, answer);
    }
  });
});
