import type { Shape } from '../shape';
import type { Strings } from './en';

const ja: Shape<Strings> = {
  memory: {
    open: '記憶ブラウザー',
    title: '記憶',
    pageTitle: '{{name}} · 記憶',
    backToChat: 'チャットに戻る',
    character: 'キャラクター',
    recent: {
      heading: '最近の記憶',
      hint: '{{name}}が次の会話で覚えている内容です。古い会話は要約にまとめられます。',
      summary: 'これまでの会話の要約',
      empty: 'まだ何もありません。話すうちにここが埋まっていきます。',
    },
    review: {
      heading: '記憶の見直し',
      label: '会話が終わるたびに最近の記憶を整理する',
      hint: 'モデルが最近の記憶を読み直し、誤りや繰り返しを取り除きます。オフにすると話した内容がそのまま残ります。',
    },
    facts: {
      heading: '長期的な事実',
      hint: 'あなたとキャラクターについて覚えている長く変わらない情報（名前、好み、予定など）。',
      empty: 'まだ事実はありません。事実の抽出をオンにすると、会話の後に集められます。',
      editFact: '{{subject}}についての事実「{{key}}」を編集',
      forgetFact: '{{subject}}についての事実「{{key}}」を忘れる',
      valueLabel: '{{subject}}についての「{{key}}」の新しい内容',
    },
    history: {
      heading: '履歴',
      searchLabel: '履歴を検索',
      searchPlaceholder: '探したい言葉…',
      from: '開始日',
      to: '終了日',
      search: '検索',
      clear: 'クリア',
      loadMore: 'さらに古い履歴を読み込む',
      loading: '読み込み中…',
      failed: '履歴を読み込めませんでした。',
      empty: 'まだ覚えている会話はありません。',
      noMatches: '検索に一致するものはありません。',
      shown: '{{n}} 件を表示（新しい順）',
      matches: '「{{query}}」を含む項目：{{n}} 件',
      today: '今日',
      yesterday: '昨日',
      badRange: '開始日が終了日より後になっています。',
    },
    actions: {
      edit: '編集',
      forget: '忘れる',
      save: '保存',
      cancel: 'キャンセル',
      editLabel: 'テキストを編集',
      editItem: '{{time}} の{{speaker}}のメッセージを編集',
      forgetItem: '{{time}} の{{speaker}}のメッセージを忘れる',
    },
    confirm: {
      title: 'このメッセージを忘れますか？',
      factTitle: 'この事実を忘れますか？',
      message: '{{name}}はこれを覚えていなくなります。元に戻すことはできません。',
      forget: '忘れる',
      cancel: 'キャンセル',
    },
    announce: {
      saved: '保存しました。',
      forgotten: '忘れました。',
      reviewOn: '記憶の見直しをオンにしました。',
      reviewOff: '記憶の見直しをオフにしました。',
    },
    errors: {
      unavailable: '記憶サービスに接続できません。再試行しています…',
      unknownCharacter: '「{{name}}」という名前のキャラクターはいません。',
      notFound: 'この項目はもう存在しません。別の場所で忘れられた可能性があります。',
      failed: '問題が発生しました：{{error}}',
      noCharacters: 'キャラクターがまだいません。設定で作成してください。',
      retry: '再試行',
    },
  },
};

export default ja;
