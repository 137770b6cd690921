import type { Shape } from '../shape';
import type { Strings } from './en';

const zhTW: Shape<Strings> = {
  avatar: {
    loading: '正在載入模型…',
    moveHint: '拖曳可移動角色；捲動滾輪或雙指縮放可調整大小。',
    dismiss: '關閉',
    fallback: {
      vrmNotFound: '找不到 VRM 模型「{{file}}」，因此顯示內建角色。',
      vrmBroken: '無法讀取 VRM 模型「{{file}}」（{{error}}），因此顯示內建角色。',
      notVrm: '「{{file}}」不是 VRM 模型，因此顯示內建角色。',
      download: '無法下載模型「{{file}}」（{{error}}），因此顯示內建角色。',
      webgl: '此瀏覽器無法繪製 3D 模型（WebGL 無法使用），因此顯示內建角色。',
      live2dNotFound: '找不到 Live2D 模型「{{file}}」，因此顯示內建角色。',
      live2dBroken: '無法載入 Live2D 模型「{{file}}」（{{error}}），因此顯示內建角色。',
    },
    cubism: {
      missing: 'Live2D 模型需要 Cubism Core 執行環境（live2dcubismcore.min.js），neko 無權隨附。請加入你自己的副本以顯示「{{model}}」。',
      upload: '加入執行環境檔案…',
      uploading: '正在加入執行環境…',
      added: '已加入 Cubism Core 執行環境。',
      refused: '執行環境檔案遭到拒絕：{{error}}',
    },
  },
};

export default zhTW;
