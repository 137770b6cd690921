import type { Shape } from '../shape';
import type { Strings } from './en';

const ja: Shape<Strings> = {
  avatar: {
    loading: 'モデルを読み込んでいます…',
    moveHint: 'ドラッグでキャラクターを移動、ホイールまたはピンチで拡大・縮小できます。',
    dismiss: '閉じる',
    fallback: {
      vrmNotFound: 'VRM モデル「{{file}}」が見つからないため、内蔵キャラクターを表示しています。',
      vrmBroken: 'VRM モデル「{{file}}」を読み込めなかったため（{{error}}）、内蔵キャラクターを表示しています。',
      notVrm: '「{{file}}」は VRM モデルではないため、内蔵キャラクターを表示しています。',
      download: 'モデル「{{file}}」をダウンロードできなかったため（{{error}}）、内蔵キャラクターを表示しています。',
      webgl: 'このブラウザーでは 3D モデルを描画できない（WebGL が使えない）ため、内蔵キャラクターを表示しています。',
      live2dNotFound: 'Live2D モデル「{{file}}」が見つからないため、内蔵キャラクターを表示しています。',
      live2dBroken: 'Live2D モデル「{{file}}」を読み込めなかったため（{{error}}）、内蔵キャラクターを表示しています。',
    },
    cubism: {
      missing: 'Live2D モデルには Cubism Core ランタイム（live2dcubismcore.min.js）が必要ですが、neko には同梱できません。「{{model}}」を表示するには、お手持ちのファイルを追加してください。',
      upload: 'ランタイムファイルを追加…',
      uploading: 'ランタイムを追加しています…',
      added: 'Cubism Core ランタイムを追加しました。',
      refused: 'ランタイムファイルは受け付けられませんでした：{{error}}',
    },
  },
};

export default ja;
