/**
 * A synthetic but adversarial companion history for the retrieval evaluation: 100 days, an English session each
 * morning and a Chinese session each evening, filler chat that keeps reusing the same topic words (family, jobs,
 * lunch, books, friends, visits), and planted evidence with questions whose answers are known turn ids.
 *
 * Question kinds (English and Chinese each):
 * - single: one fact stated once ("my cousin's new job"), amid filler about the same relatives and jobs;
 * - temporal: a daily event (lunch) asked about by a relative day ("yesterday", "3 days ago", 昨天, 三天前);
 * - speaker: who said it ("what book did you recommend", "what did I say about X") when both sides use the words;
 * - multihop: a fact split over two turns of one session (the second refers back with a pronoun).
 */
import type { NewTurn } from '../src/memory/store/memory-db.js';

export type QuestionKind = 'single' | 'temporal' | 'speaker' | 'multihop';

export interface EvalQuestion {
  kind: QuestionKind;
  language: 'en' | 'zh';
  query: string;
  /** Turn ids that answer the question. */
  evidence: string[];
  /** Reference time for relative words. */
  now: number;
}

export interface EvalDataset {
  turns: NewTurn[];
  questions: EvalQuestion[];
}

/** Deterministic PRNG (mulberry32) so every run evaluates the same history. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAYS = 100;
const START = new Date(2026, 0, 5); // a Monday
const dayStart = (d: number) => new Date(START.getFullYear(), START.getMonth(), START.getDate() + d);

const EN_WORDS = ['sister', 'brother', 'mom', 'dad', 'cousin', 'friend', 'neighbour', 'boss', 'teacher', 'roommate', 'job', 'work', 'hobby', 'favourite', 'food', 'lunch', 'dinner', 'book', 'movie', 'song', 'game', 'visit', 'bring', 'weekend', 'weather', 'rain', 'coffee', 'music', 'walk', 'cat', 'recommend', 'new', 'started', 'cooking', 'office', 'tired', 'park', 'shopping'];
const EN_USER = [
  'I talked with my {a} about {b} today.', 'My {a} keeps asking about my {b}.', 'Do you think {a} and {b} go together?',
  'I was too tired for {a} after {b}.', 'Honestly {a} is on my mind, and {b} too.', 'We should talk about {a} and {b} some time.',
  'My {a} said something funny about {b}.', 'I might {a} later, or maybe {b}.',
];
const EN_BOT = [
  'That sounds nice! Tell me more about your {a}.', 'Hmm, {a} and {b}? I like hearing about that.', 'I remember you like {a}, Brother~',
  'Maybe some {a} would cheer you up, or {b}.', 'Your {a} sounds fun. How was the {b}?', 'I would recommend a little {a} before {b}.',
];
const ZH_WORDS = ['姐姐', '哥哥', '妈妈', '爸爸', '表妹', '朋友', '邻居', '老板', '老师', '室友', '工作', '爱好', '喜欢', '午饭', '晚饭', '书', '电影', '歌', '游戏', '来看', '带来', '周末', '天气', '下雨', '咖啡', '音乐', '散步', '猫', '推荐', '新的', '做饭', '公司', '累', '公园', '逛街'];
const ZH_USER = ['今天我和{a}聊了{b}。', '{a}一直问我{b}的事。', '你觉得{a}和{b}配吗？', '忙完{b}以后太累了，没有{a}。', '最近老是想着{a}，还有{b}。', '我们改天聊聊{a}和{b}吧。', '{a}说了一件关于{b}的趣事。'];
const ZH_BOT = ['听起来不错呢！再跟我说说{a}吧。', '嗯，{a}和{b}？我喜欢听这些。', '我记得你喜欢{a}哦~', '来点{a}或者{b}也许会开心一点。', '你的{a}好有趣，{b}怎么样？', '我推荐{b}之前先{a}一下。'];

const EN_RELS = ['sister', 'brother', 'mom', 'dad', 'cousin', 'best friend', 'neighbour', 'boss', 'teacher', 'roommate'];
const ZH_RELS = ['姐姐', '哥哥', '妈妈', '爸爸', '表妹', '好朋友', '邻居', '老板', '老师', '室友'];
const EN_JOBS = ['nurse', 'pilot', 'baker', 'lawyer', 'plumber', 'architect', 'librarian', 'firefighter', 'dentist', 'translator'];
const EN_FOODS = ['dumplings', 'lasagna', 'tacos', 'sushi', 'curry', 'pancakes', 'ramen', 'paella', 'burritos', 'risotto'];
const EN_HOBBIES = ['pottery', 'archery', 'knitting', 'surfing', 'chess', 'gardening', 'birdwatching', 'fencing', 'calligraphy', 'juggling'];
const ZH_JOBS = ['护士', '飞行员', '面包师', '律师', '水管工', '建筑师', '图书管理员', '消防员', '牙医', '翻译'];
const ZH_FOODS = ['饺子', '千层面', '寿司', '咖喱', '煎饼', '拉面', '烧麦', '火锅', '烤鸭', '凉皮'];
const ZH_HOBBIES = ['陶艺', '射箭', '织毛衣', '冲浪', '下象棋', '种花', '观鸟', '击剑', '书法', '杂耍'];
const EN_CITIES = ['Lisbon', 'Osaka', 'Denver', 'Nairobi', 'Krakow', 'Halifax', 'Perth', 'Bogota', 'Tallinn', 'Hanoi'];
const ZH_CITIES = ['成都', '大连', '厦门', '昆明', '青岛', '西安', '长沙', '哈尔滨', '苏州', '桂林'];
const EN_LUNCH = ['a tuna sandwich', 'beef noodles', 'a caesar salad', 'fried rice', 'a veggie burger', 'tomato soup', 'chicken katsu', 'a falafel wrap', 'mushroom pizza', 'pho'];
const ZH_LUNCH = ['牛肉面', '蛋炒饭', '麻辣烫', '小笼包', '黄焖鸡', '酸菜鱼', '盖浇饭', '肉夹馍', '煲仔饭', '炸酱面'];
const EN_CATEGORIES = ['book', 'movie', 'song', 'board game', 'podcast', 'recipe', 'hiking trail', 'anime', 'video game', 'tea'];
const EN_RECS = ['The Left Hand of Darkness', 'Spirited Away', 'Clair de Lune', 'Carcassonne', 'Radiolab', 'shakshuka', 'the Dipsea Trail', 'Mushishi', 'Outer Wilds', 'oolong'];
const ZH_CATEGORIES = ['书', '电影', '歌', '桌游', '播客', '菜谱', '徒步路线', '动画', '电子游戏', '茶'];
const ZH_RECS = ['三体', '千与千寻', '月光', '卡坦岛', '得到', '番茄炒蛋', '麦理浩径', '虫师', '星露谷物语', '龙井'];
const EN_OPINIONS = ['pineapple pizza', 'jazz', 'camping', 'horror films', 'winter', 'online shopping', 'karaoke', 'running', 'social media', 'spicy food'];
const EN_VIEWS = ['is honestly overrated', 'makes me really calm', 'is something I want to try more', 'scares me a little', 'is the best part of my week', 'is a waste of money', 'is embarrassing but fun', 'hurts my knees', 'makes me anxious', 'is my guilty pleasure'];
const ZH_OPINIONS = ['菠萝披萨', '爵士乐', '露营', '恐怖片', '冬天', '网购', '唱卡拉OK', '跑步', '社交媒体', '辣的东西'];
const ZH_VIEWS = ['其实被高估了', '让我很平静', '是我想多尝试的事', '让我有点害怕', '是一周里最开心的时候', '太浪费钱了', '很尴尬但是好玩', '让我膝盖疼', '让我焦虑', '是我的小小罪恶感'];
const EN_NAMES = ['Ken', 'Maya', 'Omar', 'Lucia', 'Tomas', 'Priya', 'Jonah', 'Elif', 'Sven', 'Aiko'];
const EN_ITEMS = ['his guitar', 'her telescope', 'his camera', 'her sourdough starter', 'his drone', 'her sketchbook', 'his chess set', 'her ukulele', 'his kite', 'her tarot cards'];
const ZH_NAMES = ['小林', '阿梅', '老周', '小雪', '阿杰', '晓燕', '大伟', '小芳', '阿强', '婷婷'];
const ZH_ITEMS = ['吉他', '望远镜', '相机', '酸面包', '无人机', '画本', '象棋', '尤克里里', '风筝', '塔罗牌'];

interface Slot {
  day: number;
  language: 'en' | 'zh';
  turns: Array<{ role: 'user' | 'assistant'; text: string; id: string }>;
}

/** Builds the history and its questions (310). */
export function buildEvalDataset(seed = 7): EvalDataset {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const fill = (template: string, words: readonly string[]) => template.replace('{a}', pick(words)).replace('{b}', pick(words));
  const planted: Slot[] = [];
  const questions: EvalQuestion[] = [];
  const end = dayStart(DAYS + 1).getTime() + 12 * 3600_000;
  let counter = 0;
  const id = (kind: string) => `${kind}-${counter++}`;
  const plant = (day: number, language: 'en' | 'zh', turns: Slot['turns']) => planted.push({ day, language, turns });

  // Single facts: relation × attribute, each stated once on a random day.
  const singles: Array<[string, (i: number) => [string, string, string]]> = [
    ['en', (i) => [`My ${EN_RELS[i]} just got a new job as a ${EN_JOBS[i]}.`, `What new job did my ${EN_RELS[i]} get?`, `Wow, a ${EN_JOBS[i]}! That is a big change.`]],
    ['en', (i) => [`My ${EN_RELS[i]}'s favourite food is ${EN_FOODS[i]}, every single week.`, `What is my ${EN_RELS[i]}'s favourite food?`, 'Ha, that is a strong preference!']],
    ['en', (i) => [`My ${EN_RELS[i]} has taken up ${EN_HOBBIES[i]} as a hobby.`, `What hobby did my ${EN_RELS[i]} take up?`, 'That is a cool hobby to pick up.']],
    ['en', (i) => [`My ${EN_RELS[i]} moved to ${EN_CITIES[i]} last year.`, `Which city did my ${EN_RELS[i]} move to?`, 'A new city, how exciting.']],
    ['zh', (i) => [`我${ZH_RELS[i]}去年搬到${ZH_CITIES[i]}去了。`, `我${ZH_RELS[i]}搬去哪个城市了？`, '换了城市，好新鲜呀。']],
    ['zh', (i) => [`我${ZH_RELS[i]}找了份新工作，当${ZH_JOBS[i]}。`, `我${ZH_RELS[i]}的新工作是什么？`, '哇，变化好大呀！']],
    ['zh', (i) => [`我${ZH_RELS[i]}最喜欢吃${ZH_FOODS[i]}，每周都吃。`, `我${ZH_RELS[i]}最喜欢吃什么？`, '真是很执着的口味呢！']],
    ['zh', (i) => [`我${ZH_RELS[i]}最近的新爱好是${ZH_HOBBIES[i]}。`, `我${ZH_RELS[i]}的新爱好是什么？`, '这个爱好好酷！']],
  ];
  for (const [language, make] of singles) {
    for (let i = 0; i < 10; i++) {
      const [statement, query, reply] = make(i);
      const evidence = id('single');
      plant(Math.floor(random() * DAYS), language as 'en' | 'zh', [{ role: 'user', text: statement, id: evidence }, { role: 'assistant', text: reply, id: id('reply') }]);
      questions.push({ kind: 'single', language: language as 'en' | 'zh', query, evidence: [evidence], now: end });
    }
  }

  // Temporal: lunch every day in both languages; questions by relative day.
  const enAsk = [['yesterday', 1], ['2 days ago', 2], ['3 days ago', 3], ['today', 0]] as const;
  const zhAsk = [['昨天', 1], ['两天前', 2], ['三天前', 3], ['今天', 0]] as const;
  const lunchIds = new Map<string, string>();
  for (let day = 0; day < DAYS; day++) {
    const en = id('lunch');
    const zh = id('lunch');
    lunchIds.set(`en-${day}`, en);
    lunchIds.set(`zh-${day}`, zh);
    plant(day, 'en', [{ role: 'user', text: `For lunch I had ${pick(EN_LUNCH)}.`, id: en }, { role: 'assistant', text: 'Yum, sounds tasty!', id: id('reply') }]);
    plant(day, 'zh', [{ role: 'user', text: `午饭吃了${pick(ZH_LUNCH)}。`, id: zh }, { role: 'assistant', text: '好好吃的样子！', id: id('reply') }]);
  }
  for (let q = 0; q < 45; q++) {
    const [phrase, back] = enAsk[q % enAsk.length]!;
    const day = 5 + Math.floor(random() * (DAYS - 10));
    questions.push({ kind: 'temporal', language: 'en', query: `What did I have for lunch ${phrase}?`, evidence: [lunchIds.get(`en-${day}`)!], now: dayStart(day + back).getTime() + 21 * 3600_000 + 30 * 60_000 });
    const [zhPhrase, zhBack] = zhAsk[q % zhAsk.length]!;
    const zhDay = 5 + Math.floor(random() * (DAYS - 10));
    questions.push({ kind: 'temporal', language: 'zh', query: `我${zhPhrase}午饭吃了什么？`, evidence: [lunchIds.get(`zh-${zhDay}`)!], now: dayStart(zhDay + zhBack).getTime() + 21 * 3600_000 + 30 * 60_000 });
  }

  // Speaker: the character's recommendations (users talk about the same categories), and the user's opinions
  // (the character repeats the topic words).
  for (let i = 0; i < 10; i++) {
    const enRecs: string[] = [];
    const zhRecs: string[] = [];
    for (let rep = 0; rep < 2; rep++) {
      const enRec = id('rec');
      const category = EN_CATEGORIES[i]!;
      plant(Math.floor(random() * DAYS), 'en', [
        { role: 'user', text: `I need a new ${category}, any ideas?`, id: id('ask') },
        { role: 'assistant', text: `You should try ${rep === 0 ? EN_RECS[i] : EN_RECS[(i + 5) % 10]}, I think you would love that ${category}.`, id: enRec },
      ]);
      enRecs.push(enRec);
      const zhRec = id('rec');
      plant(Math.floor(random() * DAYS), 'zh', [
        { role: 'user', text: `想找个新的${ZH_CATEGORIES[i]}，有什么主意吗？`, id: id('ask') },
        { role: 'assistant', text: `试试${rep === 0 ? ZH_RECS[i] : ZH_RECS[(i + 5) % 10]}吧，我觉得这个${ZH_CATEGORIES[i]}你会喜欢。`, id: zhRec },
      ]);
      zhRecs.push(zhRec);
    }
    questions.push({ kind: 'speaker', language: 'en', query: `Which ${EN_CATEGORIES[i]}s did you recommend to me?`, evidence: enRecs, now: end });
    questions.push({ kind: 'speaker', language: 'zh', query: `你推荐过哪些${ZH_CATEGORIES[i]}给我？`, evidence: zhRecs, now: end });
    for (let round = 0; round < 2; round++) {
      const topic = round === 0 ? EN_OPINIONS[i]! : EN_OPINIONS[(i + 3) % 10]!;
      const said = id('opinion');
      const day = Math.floor(random() * DAYS);
      plant(day, 'en', [
        { role: 'user', text: `I think ${topic} ${EN_VIEWS[(i + round * 3) % 10]}.`, id: said },
        { role: 'assistant', text: `Oh? A lot of people love ${topic}, I find ${topic} interesting.`, id: id('reply') },
      ]);
      plant(Math.floor(random() * DAYS), 'en', [{ role: 'assistant', text: `Have you heard the news about ${topic}? ${topic} is trending.`, id: id('echo') }]);
      questions.push({ kind: 'speaker', language: 'en', query: `What did I say about ${topic}?`, evidence: [said], now: end });
      const zhTopic = round === 0 ? ZH_OPINIONS[i]! : ZH_OPINIONS[(i + 3) % 10]!;
      const zhSaid = id('opinion');
      plant(Math.floor(random() * DAYS), 'zh', [
        { role: 'user', text: `我觉得${zhTopic}${ZH_VIEWS[(i + round * 3) % 10]}。`, id: zhSaid },
        { role: 'assistant', text: `是吗？很多人都喜欢${zhTopic}，${zhTopic}挺有意思的。`, id: id('reply') },
      ]);
      plant(Math.floor(random() * DAYS), 'zh', [{ role: 'assistant', text: `你听说${zhTopic}的新闻了吗？最近${zhTopic}很火。`, id: id('echo') }]);
      questions.push({ kind: 'speaker', language: 'zh', query: `我说过${zhTopic}怎么样？`, evidence: [zhSaid], now: end });
    }
  }

  // Multi-hop: a visit announced, and what the friend brings said two turns later with a pronoun.
  for (let i = 0; i < 40; i++) {
    const n = i % 10;
    const variant = Math.floor(i / 10);
    const enName = `${EN_NAMES[n]}${variant ? ` ${['Lee', 'Park', 'Silva'][variant - 1]}` : ''}`;
    const first = id('visit');
    const second = id('bring');
    const pronoun = EN_ITEMS[n]!.startsWith('his') ? 'He' : 'She';
    plant(Math.floor(random() * DAYS), 'en', [
      { role: 'user', text: `My friend ${enName} is coming to visit soon.`, id: first },
      { role: 'assistant', text: 'Yay, a visitor! When exactly?', id: id('reply') },
      { role: 'user', text: `${pronoun} promised to bring ${EN_ITEMS[(n + variant) % 10]} along.`, id: second },
    ]);
    questions.push({ kind: 'multihop', language: 'en', query: `What is ${enName} bringing on the visit?`, evidence: [first, second], now: end });
    const zhName = `${ZH_NAMES[n]}${variant ? ['一号', '二号', '三号'][variant - 1] : ''}`;
    const zhFirst = id('visit');
    const zhSecond = id('bring');
    plant(Math.floor(random() * DAYS), 'zh', [
      { role: 'user', text: `我的朋友${zhName}过几天要来看我。`, id: zhFirst },
      { role: 'assistant', text: '太好了，有客人要来！具体哪天呀？', id: id('reply') },
      { role: 'user', text: `说好会带${ZH_ITEMS[(n + variant) % 10]}过来。`, id: zhSecond },
    ]);
    questions.push({ kind: 'multihop', language: 'zh', query: `${zhName}来看我的时候会带什么？`, evidence: [zhFirst, zhSecond], now: end });
  }

  // Sessions: filler chat with the planted turns inserted at random places, each session at its own time.
  const turns: NewTurn[] = [];
  for (let day = 0; day < DAYS; day++) {
    for (const language of ['en', 'zh'] as const) {
      const sessionId = `${language}-day-${day}`;
      const slots = planted.filter((p) => p.day === day && p.language === language);
      const filler: Slot['turns'] = [];
      for (let i = 0; i < 12; i++) {
        const [userTemplates, botTemplates, words] = language === 'en' ? [EN_USER, EN_BOT, EN_WORDS] : [ZH_USER, ZH_BOT, ZH_WORDS];
        filler.push({ role: i % 2 ? 'assistant' : 'user', text: fill(pick(i % 2 ? botTemplates : userTemplates), words), id: id('filler') });
      }
      // Planted groups keep their internal order; they go in at even positions (between exchanges).
      const sequence = [...filler];
      for (const slot of slots) {
        const at = 2 * Math.floor(random() * (sequence.length / 2 + 1));
        sequence.splice(at, 0, ...slot.turns);
      }
      const startHour = language === 'en' ? 9 : 20;
      sequence.forEach((t, i) => {
        turns.push({ id: t.id, role: t.role, speaker: t.role === 'user' ? 'Brother' : 'test', text: t.text, ts: dayStart(day).getTime() + startHour * 3600_000 + i * 20_000, sessionId });
      });
    }
  }
  return { turns, questions };
}
