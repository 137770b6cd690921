/** Strings of the avatar area (model loading, fallbacks, the Live2D runtime, moving the model). */
const en = {
  avatar: {
    loading: 'Loading the model…',
    moveHint: 'Drag to move the character; scroll or pinch to zoom.',
    dismiss: 'Dismiss',
    fallback: {
      vrmNotFound: 'The VRM model “{{file}}” was not found, so the built-in character is shown.',
      vrmBroken: 'The VRM model “{{file}}” could not be read ({{error}}), so the built-in character is shown.',
      notVrm: '“{{file}}” is not a VRM model, so the built-in character is shown.',
      download: 'The model “{{file}}” could not be downloaded ({{error}}), so the built-in character is shown.',
      webgl: 'This browser cannot draw 3D models (WebGL is unavailable), so the built-in character is shown.',
      live2dNotFound: 'The Live2D model “{{file}}” was not found, so the built-in character is shown.',
      live2dBroken: 'The Live2D model “{{file}}” could not be loaded ({{error}}), so the built-in character is shown.',
    },
    cubism: {
      missing: 'Live2D models need the Cubism Core runtime (live2dcubismcore.min.js), which neko is not allowed to include. Add your own copy to show “{{model}}”.',
      upload: 'Add runtime file…',
      uploading: 'Adding the runtime…',
      added: 'Cubism Core runtime added.',
      refused: 'The runtime file was refused: {{error}}',
    },
  },
} as const;

export default en;
export type Strings = typeof en;
