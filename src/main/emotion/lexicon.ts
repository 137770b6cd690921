import type { Emotion } from './emotions.js';

/**
 * Cue words for the offline classifier. English cues are regular expressions matched on word boundaries
 * (so inflections share one entry); Chinese and Japanese cues are substrings (no spaces to split on), with
 * Japanese adjectives given as stems so 嬉しい/嬉しかった/嬉しくない all meet the same cue.
 * A weight above 1 marks words that leave little doubt.
 */
export interface Cue {
  emotion: Exclude<Emotion, 'neutral'>;
  weight: number;
}

type CueList = Record<Exclude<Emotion, 'neutral'>, ReadonlyArray<string | [string, number]>>;

export const EN_CUES: CueList = {
  happy: [
    'happ(y|ier|iest|ily|iness)', 'glad', 'joy(ful)?', ['delighted', 1.5], 'great', 'awesome', 'wonderful', 'love(d|ly)?', 'excit(ed|ing)', 'fun',
    'yay', 'hooray', 'thanks?( you)?', 'thankful', 'grateful', 'pleased', 'cheerful', 'fantastic', 'nice', 'enjoy(ed|ing)?', 'proud', 'excellent',
    'perfect', 'beautiful', 'relieved', 'haha+', 'lol', ["can'?t wait", 1.5], 'smil(e|ed|ing)', 'laugh(ed|ing)?', 'best day', 'good news', 'passed (the|my)',
    'won', 'celebrat(e|ed|ing)', 'finally', 'cute', 'adorable', 'thrilled',
  ],
  sad: [
    'sad(ly|ness)?', 'unhappy', ['depress(ed|ing)', 1.5], 'lonely', 'alone', 'cr(y|ied|ying)', 'tears?', 'miss(ed|ing)? (you|her|him|them|my|home)',
    ['heartbroken', 2], 'miserable', 'hurts?', 'grief', 'griev(e|ing)', ['passed away', 2], ['died', 1.5], 'disappoint(ed|ing)', 'hopeless', 'sigh',
    'regret', 'broke up', 'feel(s|ing)? down', 'gloomy', 'lost (my|our|the)', 'upset', 'sorrow', 'feel(s|ing)? empty', 'nobody (cares|loves|likes)', 'failed', 'rejected', 'sorry for myself',
  ],
  angry: [
    'angry', 'mad at', ['furious', 2], 'annoy(ed|ing)', 'irritat(ed|ing)', 'hate(s|d)?', 'pissed', 'rage', 'outrag(ed|eous)', 'unfair',
    'stupid', 'ridiculous', ['fed up', 1.5], ['sick of', 1.5], 'shut up', ['how dare', 2], 'damn', 'idiot', 'frustrat(ed|ing)', 'disgusting',
    'unacceptable', 'enough of', 'yell(ed|ing)', 'lied to me', 'liar', 'cheated',
  ],
  surprised: [
    'surpris(e|ed|ing)', 'wow', 'whoa', 'omg', 'oh my (god|gosh)', 'no way', 'unbelievable', ["can'?t believe", 1.5], 'shock(ed|ing)', 'unexpected(ly)?',
    'suddenly', 'astonish(ed|ing)', 'amaz(ed|ing)', "didn'?t expect", 'out of nowhere', 'really\\?', 'seriously\\?', 'what\\?!',
  ],
};

export const ZH_CUES: CueList = {
  happy: [
    '开心', '高兴', '快乐', ['幸福', 1.5], '太好了', '喜欢', '爱你', '哈哈', '嘻嘻', '好棒', '真棒', '好耶', '兴奋', '满意', '谢谢', '感谢', '愉快',
    '期待', '美好', '顺利', '成功', '笑', '舒服', '好玩', '赢了', '可爱', '好吃', '放心',
  ],
  sad: [
    '难过', ['伤心', 1.5], '悲伤', '哭', '眼泪', '失落', '孤独', '寂寞', '想念', '想你', '失望', '遗憾', '痛苦', ['心碎', 2], '郁闷', '沮丧', '可惜',
    '唉', ['去世', 2], '分手', '委屈', '心痛', '绝望', '丢了', '没人', '失败', '累了',
  ],
  angry: [
    '生气', ['愤怒', 2], ['气死', 2], '讨厌', '烦死', '烦人', '好烦', '心烦', '真烦', '恼火', '可恶', '混蛋', '滚', ['受够', 1.5], '火大', '凭什么', '不公平', '过分', '闭嘴', '该死',
    '骂', '欺负', '骗我', '无语', '恶心',
  ],
  surprised: [
    '惊讶', '吃惊', ['震惊', 1.5], '天哪', '天啊', '居然', '竟然', '没想到', '哇', '真的吗', ['不敢相信', 1.5], '意外', '怎么可能', '吓了', '突然',
    '想不到', '我的天',
  ],
};

export const JA_CUES: CueList = {
  happy: [
    '嬉し', 'うれし', '楽し', 'たのし', ['幸せ', 1.5], 'しあわせ', '最高', 'やった', 'よかった', '良かった', '好き', 'ありがとう', 'わーい', 'ワクワク',
    'わくわく', '素敵', 'すてき', '面白', 'おもしろ', '喜', '笑', 'かわいい', '可愛', '美味し', 'おいし', '合格',
  ],
  sad: [
    ['悲し', 1.5], 'かなし', '寂し', 'さびし', '淋し', '泣', '涙', 'つらい', '辛い', '落ち込', '残念', '切な', '会いたい', ['失恋', 2], '孤独',
    'しょんぼり', ['亡くな', 2], 'がっかり', '憂鬱', 'ひとりぼっち', '苦し', '失敗', '振られ',
  ],
  angry: [
    ['怒', 1.5], 'ムカつ', 'むかつ', '腹が立', '腹立', 'イライラ', 'いらいら', ['許せない', 2], 'ふざけ', 'うるさい', '最悪', 'ひどい', '酷い', '嫌い',
    '頭にく', '頭に来', 'キレ', '黙れ', 'うざ', 'ウザ', '馬鹿', 'バカ',
  ],
  surprised: [
    ['びっくり', 1.5], ['ビックリ', 1.5], '驚', 'まさか', 'えっ', 'うそ', '嘘', '信じられない', 'なんと', '意外', '突然', 'マジ', '本当に？', 'ほんとに？',
    '思わなかった', 'ええっ',
  ],
};

/** Words that turn the next cue around ("not happy", 不开心). */
export const EN_NEGATORS = /\b(not|no|never|hardly|barely|isn'?t|aren'?t|wasn'?t|weren'?t|don'?t|doesn'?t|didn'?t|won'?t|can'?t|cannot|nothing|neither|nor)\b/;
export const ZH_NEGATORS = /(不|没|沒|没有|沒有|别|別|未|非|无|無|毫不|并不|一点也不|一点都不)$/;
/** Japanese negates after the word: 嬉しくない, 好きじゃない, 泣かなかった. */
export const JA_NEGATION_AFTER = /^(い|く|か|っ|き|し){0,3}(ない|なかった|なく|ません|ず)|^(じゃ|では)(ない|なかった|ありません)|^[っん]?[てで]い?(ない|なかった|ません)/;

export const EN_INTENSIFIERS = /\b(so|very|really|extremely|super|totally|absolutely|incredibly|too)\s+$/;
export const ZH_INTENSIFIERS = /(很|非常|太|超|好|真|特别|十分|极|超级|太太)$/;
export const JA_INTENSIFIERS = /(すごく|とても|めっちゃ|本当に|超|マジで|めちゃくちゃ|かなり)$/;

export const EMOJI_CUES: ReadonlyArray<[RegExp, Cue]> = [
  [/[😀😃😄😁😆😊😍🥰😘🎉❤💕😂🤣]|[:;]-?[)D]|\^_?\^|（＾▽＾）|\(\^o\^\)/u, { emotion: 'happy', weight: 1.5 }],
  [/[😢😭😞😔☹🙁💔]|:-?\(|T_T|QAQ|；；|QQ/u, { emotion: 'sad', weight: 1.5 }],
  [/[😠😡🤬💢👿]|>:\(/u, { emotion: 'angry', weight: 1.5 }],
  [/[😮😲😯😱🤯]|[Oo]_[Oo]|:-?[Oo]\b/u, { emotion: 'surprised', weight: 1.5 }],
];
