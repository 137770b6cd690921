import type { Shape } from '../shape';
import type { Strings } from './en';

const zhTW: Shape<Strings> = {
  memory: {
    open: '記憶瀏覽器',
    title: '記憶',
    pageTitle: '{{name}} · 記憶',
    backToChat: '返回聊天',
    character: '角色',
    recent: {
      heading: '近期記憶',
      hint: '{{name}} 在下一次對話中會記著的內容。較早的對話會被壓縮成一段摘要。',
      summary: '先前對話的摘要',
      empty: '還沒有內容：聊天之後這裡會逐漸充實。',
    },
    review: {
      heading: '記憶整理',
      label: '每次對話結束後整理近期記憶',
      hint: '由模型重讀近期記憶，去除錯誤與重複。關閉後將完整保留原話。',
    },
    facts: {
      heading: '長期事實',
      hint: '關於你和角色的長期資訊（名字、喜好、計畫等）。',
      empty: '還沒有事實。開啟事實擷取後，每次對話結束都會收集。',
      editFact: '編輯關於 {{subject}} 的事實「{{key}}」',
      forgetFact: '忘記關於 {{subject}} 的事實「{{key}}」',
      valueLabel: '關於 {{subject}} 的「{{key}}」的新內容',
    },
    history: {
      heading: '歷史紀錄',
      searchLabel: '搜尋歷史紀錄',
      searchPlaceholder: '輸入要尋找的詞…',
      from: '開始日期',
      to: '結束日期',
      search: '搜尋',
      clear: '清除',
      loadMore: '載入更早的紀錄',
      loading: '載入中…',
      failed: '無法載入歷史紀錄。',
      empty: '還沒有記住任何對話。',
      noMatches: '沒有符合搜尋條件的紀錄。',
      shown: '已顯示 {{n}} 則，最新的在前',
      matches: '包含「{{query}}」的紀錄：{{n}} 則',
      today: '今天',
      yesterday: '昨天',
      badRange: '開始日期晚於結束日期。',
    },
    actions: {
      edit: '編輯',
      forget: '忘記',
      save: '儲存',
      cancel: '取消',
      editLabel: '編輯文字',
      editItem: '編輯 {{speaker}} 於 {{time}} 的訊息',
      forgetItem: '忘記 {{speaker}} 於 {{time}} 的訊息',
    },
    confirm: {
      title: '要忘記這則訊息嗎？',
      factTitle: '要忘記這項事實嗎？',
      message: '{{name}} 將不再記得它。此操作無法復原。',
      forget: '忘記',
      cancel: '取消',
    },
    announce: {
      saved: '已儲存。',
      forgotten: '已忘記。',
      reviewOn: '已開啟記憶整理。',
      reviewOff: '已關閉記憶整理。',
    },
    errors: {
      unavailable: '暫時無法連線到記憶服務，正在重試…',
      unknownCharacter: '沒有名為「{{name}}」的角色。',
      notFound: '這則紀錄已不存在，可能已在別處被忘記。',
      failed: '發生錯誤：{{error}}',
      noCharacters: '還沒有角色。請先在設定中建立一個。',
      retry: '重試',
    },
  },
};

export default zhTW;
