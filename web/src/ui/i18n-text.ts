import { t } from '../i18n';

/**
 * Text built at run time that follows the language: the key (and its values) stay on the element and
 * `refreshTexts` re-reads them after a language change. Static markup uses `data-i18n` instead.
 */
export function setText(node: HTMLElement, key: string, values?: Record<string, unknown>): void {
  node.dataset.i18nKey = key;
  if (values) node.dataset.i18nValues = JSON.stringify(values);
  else delete node.dataset.i18nValues;
  node.textContent = t(key, values);
}

/** An element whose text is the translation of `key`. */
export function textEl<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  key: string,
  attrs: Record<string, string> = {},
  values?: Record<string, unknown>,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  setText(node, key, values);
  return node;
}

/** Sets an attribute (aria-label, placeholder, title) from a key; refreshed with the text. */
export function setAttrText(node: HTMLElement, attr: string, key: string): void {
  const pairs = (node.dataset.i18nAttrKeys ?? '').split(';').filter((p) => p && !p.startsWith(`${attr}:`));
  pairs.push(`${attr}:${key}`);
  node.dataset.i18nAttrKeys = pairs.join(';');
  node.setAttribute(attr, t(key));
}

export function refreshTexts(root: ParentNode): void {
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n-key]')) {
    const values = node.dataset.i18nValues ? (JSON.parse(node.dataset.i18nValues) as Record<string, unknown>) : undefined;
    node.textContent = t(node.dataset.i18nKey!, values);
  }
  for (const node of root.querySelectorAll<HTMLElement>('[data-i18n-attr-keys]')) {
    for (const pair of node.dataset.i18nAttrKeys!.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) node.setAttribute(attr, t(key));
    }
  }
}
