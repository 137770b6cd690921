import type { Shape } from '../shape';
import type { Strings } from './en';

const ko: Shape<Strings> = {
  avatar: {
    loading: '모델을 불러오는 중…',
    moveHint: '드래그하면 캐릭터를 옮기고, 스크롤하거나 두 손가락으로 확대·축소할 수 있습니다.',
    dismiss: '닫기',
    fallback: {
      vrmNotFound: 'VRM 모델 “{{file}}”을(를) 찾을 수 없어 기본 캐릭터를 표시합니다.',
      vrmBroken: 'VRM 모델 “{{file}}”을(를) 읽을 수 없어({{error}}) 기본 캐릭터를 표시합니다.',
      notVrm: '“{{file}}”은(는) VRM 모델이 아니어서 기본 캐릭터를 표시합니다.',
      download: '모델 “{{file}}”을(를) 내려받을 수 없어({{error}}) 기본 캐릭터를 표시합니다.',
      webgl: '이 브라우저는 3D 모델을 그릴 수 없어(WebGL 사용 불가) 기본 캐릭터를 표시합니다.',
      live2dNotFound: 'Live2D 모델 “{{file}}”을(를) 찾을 수 없어 기본 캐릭터를 표시합니다.',
      live2dBroken: 'Live2D 모델 “{{file}}”을(를) 불러올 수 없어({{error}}) 기본 캐릭터를 표시합니다.',
    },
    cubism: {
      missing: 'Live2D 모델에는 Cubism Core 런타임(live2dcubismcore.min.js)이 필요하지만 neko에는 포함할 수 없습니다. “{{model}}”을(를) 표시하려면 가지고 있는 파일을 추가하세요.',
      upload: '런타임 파일 추가…',
      uploading: '런타임을 추가하는 중…',
      added: 'Cubism Core 런타임을 추가했습니다.',
      refused: '런타임 파일이 거부되었습니다: {{error}}',
    },
  },
};

export default ko;
