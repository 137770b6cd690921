import type { Shape } from '../shape';
import type { Strings } from './en';

const zhCN: Shape<Strings> = {
  avatar: {
    loading: '正在加载模型…',
    moveHint: '拖动可移动角色；滚动滚轮或双指捏合可缩放。',
    dismiss: '关闭',
    fallback: {
      vrmNotFound: '找不到 VRM 模型“{{file}}”，因此显示内置角色。',
      vrmBroken: '无法读取 VRM 模型“{{file}}”（{{error}}），因此显示内置角色。',
      notVrm: '“{{file}}”不是 VRM 模型，因此显示内置角色。',
      download: '无法下载模型“{{file}}”（{{error}}），因此显示内置角色。',
      webgl: '此浏览器无法绘制 3D 模型（WebGL 不可用），因此显示内置角色。',
      live2dNotFound: '找不到 Live2D 模型“{{file}}”，因此显示内置角色。',
      live2dBroken: '无法加载 Live2D 模型“{{file}}”（{{error}}），因此显示内置角色。',
    },
    cubism: {
      missing: 'Live2D 模型需要 Cubism Core 运行库（live2dcubismcore.min.js），neko 无权随附。请添加你自己的副本以显示“{{model}}”。',
      upload: '添加运行库文件…',
      uploading: '正在添加运行库…',
      added: '已添加 Cubism Core 运行库。',
      refused: '运行库文件被拒绝：{{error}}',
    },
  },
};

export default zhCN;
