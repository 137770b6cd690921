/**
 * Messages REST routes push to page sockets (rest.md §3.9, §4 intro; websocket.md). Two `reload_page` shapes
 * exist in the original and the page handles both: a plain sentence (API settings) and a JSON-encoded code
 * object (voice changes).
 */
export function apiConfigReloadNotice(): Record<string, unknown> {
  return { type: 'reload_page', message: 'API配置已更新，页面即将刷新' };
}

export function voiceReloadNotice(sentence = '语音已更新，页面即将刷新'): Record<string, unknown> {
  return { type: 'reload_page', message: JSON.stringify({ code: 'RELOAD_PAGE', details: { message: sentence } }) };
}

export function catgirlSwitchedNotice(newName: string, oldName: string): Record<string, unknown> {
  return { type: 'catgirl_switched', new_catgirl: newName, old_catgirl: oldName };
}
