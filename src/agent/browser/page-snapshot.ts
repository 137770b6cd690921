import type { Page } from 'playwright-core';

/** Interactive elements listed for the model; pages with more show the first ones in document order. */
const MAX_ELEMENTS = 80;
const MAX_TEXT = 4000;

export interface PageSnapshot {
  url: string;
  title: string;
  /** `[id] role "name" …` lines; ids are `data-neko-id` attributes set on the page. */
  elements: string[];
  text: string;
}

/**
 * Runs in the page. Kept as source text (not a function) so the TypeScript toolchain cannot rewrite it with
 * helpers that do not exist in the page. Marks visible interactive elements with `data-neko-id`.
 */
const SNAPSHOT_SCRIPT = `(() => {
  const max = ${MAX_ELEMENTS};
  const sel = 'a[href], button, input, textarea, select, [role=button], [role=link], [role=checkbox], [role=tab], [contenteditable=true]';
  const out = [];
  let id = 0;
  for (const el of document.querySelectorAll('[data-neko-id]')) el.removeAttribute('data-neko-id');
  for (const el of document.querySelectorAll(sel)) {
    if (out.length >= max) break;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
    if (el.type === 'hidden') continue;
    id += 1;
    el.setAttribute('data-neko-id', String(id));
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    let role = el.getAttribute('role') || (tag === 'a' ? 'link' : tag === 'button' ? 'button' : tag === 'select' ? 'combobox'
      : tag === 'textarea' ? 'textbox' : tag === 'input' ? (['checkbox', 'radio'].includes(type) ? type : ['submit', 'button', 'reset'].includes(type) ? 'button' : type === 'search' ? 'searchbox' : 'textbox') : tag);
    const labelled = el.labels && el.labels.length ? el.labels[0].innerText : '';
    const name = (el.getAttribute('aria-label') || labelled || el.getAttribute('placeholder') || el.innerText || el.value || el.getAttribute('name') || el.getAttribute('title') || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
    let extra = '';
    if (role === 'textbox' || role === 'searchbox') extra = ' value="' + String(el.value || '').slice(0, 60) + '"';
    if (role === 'checkbox' || role === 'radio') extra = el.checked ? ' checked' : ' unchecked';
    if (role === 'link') extra = ' href=' + (el.getAttribute('href') || '').slice(0, 100);
    out.push('[' + id + '] ' + role + ' "' + name.replace(/"/g, "'") + '"' + extra);
  }
  const text = (document.body ? document.body.innerText : '').replace(/\\n{3,}/g, '\\n\\n').slice(0, ${MAX_TEXT});
  return { title: document.title, elements: out, text };
})()`;

export async function snapshotPage(page: Page): Promise<PageSnapshot> {
  const url = page.url();
  if (url === 'about:blank') return { url, title: '', elements: [], text: '' };
  const data = (await page.evaluate(SNAPSHOT_SCRIPT)) as { title: string; elements: string[]; text: string };
  return { url, ...data };
}

/** The observation text the model reads (the offline sim parses this same shape). */
export function formatSnapshot(s: PageSnapshot): string {
  return `URL: ${s.url}\nTITLE: ${s.title}\nELEMENTS:\n${s.elements.join('\n') || '(none)'}\nTEXT:\n${s.text || '(empty page)'}`;
}

/** The full visible text, for `extract`. */
export async function pageText(page: Page, max = 8000): Promise<string> {
  const text = (await page.evaluate('document.body ? document.body.innerText : ""')) as string;
  return text.slice(0, max);
}
