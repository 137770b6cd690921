import type { Shape } from '../shape';
import type { Strings } from './en';

const zhCN: Shape<Strings> = {
  memory: {
    open: '记忆浏览器',
    title: '记忆',
    pageTitle: '{{name}} · 记忆',
    backToChat: '返回聊天',
    character: '角色',
    recent: {
      heading: '近期记忆',
      hint: '{{name}} 在下一次对话中会记着的内容。较早的对话会被压缩成一段摘要。',
      summary: '之前对话的摘要',
      empty: '还没有内容：聊天之后这里会逐渐充实。',
    },
    review: {
      heading: '记忆整理',
      label: '每次对话结束后整理近期记忆',
      hint: '由模型重读近期记忆，去掉错误和重复。关闭后将完全保留原话。',
    },
    facts: {
      heading: '长期事实',
      hint: '关于你和角色的长期信息（名字、喜好、计划等）。',
      empty: '还没有事实。开启事实提取后，每次对话结束都会收集。',
      editFact: '编辑关于 {{subject}} 的事实「{{key}}」',
      forgetFact: '忘记关于 {{subject}} 的事实「{{key}}」',
      valueLabel: '关于 {{subject}} 的「{{key}}」的新内容',
    },
    history: {
      heading: '历史记录',
      searchLabel: '搜索历史记录',
      searchPlaceholder: '输入要查找的词…',
      from: '开始日期',
      to: '结束日期',
      search: '搜索',
      clear: '清除',
      loadMore: '加载更早的记录',
      loading: '正在加载…',
      failed: '无法加载历史记录。',
      empty: '还没有记住任何对话。',
      noMatches: '没有符合搜索条件的记录。',
      shown: '已显示 {{n}} 条，最新的在前',
      matches: '包含“{{query}}”的记录：{{n}} 条',
      today: '今天',
      yesterday: '昨天',
      badRange: '开始日期晚于结束日期。',
    },
    actions: {
      edit: '编辑',
      forget: '忘记',
      save: '保存',
      cancel: '取消',
      editLabel: '编辑文字',
      editItem: '编辑 {{speaker}} 在 {{time}} 的消息',
      forgetItem: '忘记 {{speaker}} 在 {{time}} 的消息',
    },
    confirm: {
      title: '要忘记这条消息吗？',
      factTitle: '要忘记这条事实吗？',
      message: '{{name}} 将不再记得它。此操作无法撤销。',
      forget: '忘记',
      cancel: '取消',
    },
    announce: {
      saved: '已保存。',
      forgotten: '已忘记。',
      reviewOn: '已开启记忆整理。',
      reviewOff: '已关闭记忆整理。',
    },
    errors: {
      unavailable: '暂时无法连接记忆服务，正在重试…',
      unknownCharacter: '没有名为“{{name}}”的角色。',
      notFound: '这条记录已不存在，可能已在别处被忘记。',
      failed: '出错了：{{error}}',
      noCharacters: '还没有角色。请先在设置中创建一个。',
      retry: '重试',
    },
  },
};

export default zhCN;
