// Memory service figures: ingestion rate over HTTP, recall latency at 100,000 stored turns, database size, RSS.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { customModelConfig, startChatModelServer } from '../test/support/chat-model-server.js';
import { http, startService, tempDataDir } from '../test/support/services.js';
import { memoryEvalBench } from './memory-eval.js';
import { percentile, type Figure } from './stats.js';

const TURNS = 100_000;
/** Turns per /ingest call: what an import or a busy day's backfill would send. */
const BATCH = 1000;
const QUERIES = 300;
/** Queries timed again with the LLM rerank forced on. */
const RERANK_QUERIES = 100;

/** Deterministic PRNG so every run stores the same corpus. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A Zipf-like vocabulary: a few words very common, most rare, as in real chat.
const SYLLABLES = ['ka', 'mi', 'to', 'ra', 'ne', 'so', 'lu', 'vi', 'de', 'po', 'an', 'el', 'or', 'us', 'ti', 'ba'];
const HANZI = '的一是不了人我在有他这中大来上个国到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坐集编宝谈府拉黑且随格尽剑讲布杀微怕母调局根曾准团段终乐切级克精哪官示冷域读';
function vocabulary(random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < 20_000) {
    const n = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

export function benchCorpus(): { turns: Array<{ id: string; role: string; text: string; timestamp: string }>; queries: string[] } {
  const random = rng(42);
  const words = vocabulary(random);
  const zipf = () => words[Math.floor(words.length * random() ** 3)]!;
  const hanzi = () => Array.from({ length: 6 + Math.floor(random() * 20) }, () => HANZI[Math.floor(HANZI.length * random() ** 2)]).join('');
  const start = Date.UTC(2025, 0, 1);
  const turns = Array.from({ length: TURNS }, (_, i) => ({
    id: `bench-${i}`,
    role: i % 2 ? 'assistant' : 'user',
    // One turn in four is Chinese; the rest are 6–30 "words".
    text: i % 4 === 3 ? hanzi() : Array.from({ length: 6 + Math.floor(random() * 25) }, zipf).join(' '),
    // About a year of conversation: a turn every ~5 minutes.
    timestamp: new Date(start + i * 300_000).toISOString(),
  }));
  const queries = Array.from({ length: QUERIES }, (_, i) =>
    i % 4 === 3 ? hanzi().slice(0, 6) : `what did we say about ${zipf()} and ${zipf()}${i % 5 === 0 ? ' last week' : ''}`,
  );
  return { turns, queries };
}

/** CPU time (user + system) a process has used, in ms: unlike wall time, not inflated by other busy processes. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command), in 1/100 s.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

export async function memoryBench(): Promise<Figure[]> {
  const { dir, cleanup } = tempDataDir('neko-bench-memory-');
  // An assist model that answers at once (the candidates it was sent, reversed): the rerank row measures the
  // stage itself (prompt, HTTP round trip, parsing), not a model. Rerank stays off unless a request asks for it.
  const model = await startChatModelServer((req) => ({
    content: JSON.stringify({ ids: [...(req.messages[1]?.content ?? '').matchAll(/^\[([^\]]+)\] /gmu)].map((m) => m[1]).reverse() }),
  }));
  mkdirSync(join(dir, 'config'), { recursive: true });
  writeFileSync(join(dir, 'config', 'core_config.json'), JSON.stringify(customModelConfig(model.baseUrl)));
  const memory = await startService('memory', { env: { NEKO_DATA_DIR: dir, NEKO_MEMORY_RERANK: undefined } });
  try {
    const { turns, queries } = benchCorpus();
    const started = performance.now();
    for (let i = 0; i < turns.length; i += BATCH) {
      const res = await http(`${memory.url}/ingest/test`, { method: 'POST', json: { turns: turns.slice(i, i + BATCH) } });
      if (res.status !== 200) throw new Error(`ingest failed: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    const ingestSeconds = (performance.now() - started) / 1000;
    const rate = turns.length / ingestSeconds;

    // Warm up, then time each recall over HTTP (client-side latency, what main would see).
    for (const q of queries.slice(0, 20)) await http(`${memory.url}/recall/test?q=${encodeURIComponent(q)}&k=10`);
    const latencies: number[] = [];
    const cpuBefore = cpuMs(memory.proc.pid!);
    for (const q of queries) {
      const t0 = performance.now();
      const res = await http(`${memory.url}/recall/test?q=${encodeURIComponent(q)}&k=10&now=2025-12-31T00:00:00Z`);
      latencies.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`recall failed: ${res.status}`);
    }
    const cpuPerQuery = (cpuMs(memory.proc.pid!) - cpuBefore) / queries.length;
    // Each query without and then with ?rerank=1, back to back: the added latency per query, median.
    const added: number[] = [];
    for (const q of queries.slice(0, RERANK_QUERIES)) {
      const path = `${memory.url}/recall/test?q=${encodeURIComponent(q)}&k=10&now=2025-12-31T00:00:00Z`;
      const t0 = performance.now();
      await http(path);
      const t1 = performance.now();
      const res = await http(`${path}&rerank=1`);
      const t2 = performance.now();
      if (res.status !== 200) throw new Error(`recall with rerank failed: ${res.status}`);
      if ((res.body as { reranked?: boolean }).reranked) added.push(t2 - t1 - (t1 - t0));
    }
    if (added.length === 0) throw new Error('rerank was never applied');
    const rss = rssMb(memory.proc.pid!);
    const memoryDir = join(dir, 'memory');
    const bytes = readdirSync(memoryDir).filter((f) => f.startsWith('test.sqlite')).reduce((n, f) => n + statSync(join(memoryDir, f)).size, 0);
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    return [
      { name: 'memory ingestion (HTTP /ingest, 1000/batch)', value: `${Math.round(rate)} turns/s`, target: '≥ 5000 turns/s', ok: rate >= 5000 },
      { name: 'memory recall p50 at 100k turns', value: `${p50.toFixed(1)} ms` },
      { name: 'memory recall p95 at 100k turns', value: `${p95.toFixed(1)} ms`, target: '< 20 ms', ok: p95 < 20 },
      { name: 'memory recall CPU per query (service side)', value: `${cpuPerQuery.toFixed(1)} ms` },
      { name: 'memory recall rerank overhead p50 (instant local model)', value: `+${percentile(added, 50).toFixed(1)} ms` },
      { name: 'memory database size per 100k turns', value: `${(bytes / 1024 / 1024).toFixed(1)} MB` },
      { name: 'memory service RSS after the run', value: `${rss.toFixed(0)} MB` },
      ...(await memoryEvalBench()),
    ];
  } finally {
    await memory.stop();
    await model.close();
    cleanup();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printTable } = await import('./stats.js');
  printTable(await memoryBench());
}
