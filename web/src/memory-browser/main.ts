import '../style.css';
import './memory-browser.css';
import { loadCharacters } from '../api';
import { applyTranslations, initI18n, onLanguageChanged, t } from '../i18n';
import { CharacterSwitcher } from '../ui/character-switcher';
import { byId } from '../ui/dom';
import { mountLanguageSwitch } from '../ui/language-switch';
import { ThemeToggle } from '../ui/theme';
import { characterFromQuery, rememberCharacterInQuery } from './character-choice';
import { ConfirmDialog } from './confirm-dialog';
import { dateInputBound } from './dates';
import { FactsView } from './facts-view';
import { HistoryView } from './history-view';
import {
  BrowserApiError, editFact, editItem, forgetFact, forgetItem, isUnavailable, loadFacts, loadHistory, loadRecent,
  type HistoryFilter,
} from './memory-api';
import { RecentView } from './recent-view';
import { ReviewToggle } from './review-toggle';
import { StatusBanner } from './status-banner';
import { sendBeaconOnClose } from '../closing-beacon';

/** While memory is unreachable the page looks again this often: the launcher restarts it within seconds. */
const RETRY_MS = 5000;
/** History items per page ("Load older" fetches the next). */
const PAGE_SIZE = 50;

initI18n();
applyTranslations(document);
const theme = new ThemeToggle(byId<HTMLButtonElement>('theme-toggle'));
mountLanguageSwitch(byId<HTMLSelectElement>('language-select'));

const layout = byId('memory-layout');
const banner = new StatusBanner();
const announcer = byId('announcer');
const confirmDialog = new ConfirmDialog();
const switcher = new CharacterSwitcher(byId<HTMLSelectElement>('character-select'));
const searchForm = byId<HTMLFormElement>('search-form');
const searchInput = byId<HTMLInputElement>('search-query');
const fromInput = byId<HTMLInputElement>('search-from');
const toInput = byId<HTMLInputElement>('search-to');
const searchError = byId('search-error');
const historyStatus = byId('history-status');
const loadMore = byId<HTMLButtonElement>('load-more');

let character = '';
let filter: HistoryFilter = {};
let cursor: string | null = null;
/** Bumped by every full load: answers for an older character or search are dropped. */
let generation = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let historyState: 'loading' | 'ready' | 'failed' = 'loading';

function announce(text: string): void {
  announcer.textContent = text;
}

function describeError(err: unknown): string {
  if (isUnavailable(err)) return t('memory.errors.unavailable');
  if (err instanceof BrowserApiError && err.code === 'UNKNOWN_CHARACTER') return t('memory.errors.unknownCharacter', { name: character });
  if (err instanceof BrowserApiError && err.code === 'NOT_FOUND') return t('memory.errors.notFound');
  return t('memory.errors.failed', { error: err instanceof Error ? err.message : String(err) });
}

/** Shows a failure; while the service is unreachable, the page tries again by itself. */
function report(err: unknown): void {
  const retry = () => void loadAll();
  banner.show(describeError(err), retry);
  clearTimeout(retryTimer);
  if (isUnavailable(err)) retryTimer = setTimeout(retry, RETRY_MS);
}

const historyView = new HistoryView(byId('history-list'), byId('history-heading'), {
  describeError,
  edit: async (item, text) => {
    await editItem(character, item.id, text);
    announce(t('memory.announce.saved'));
    void refreshRecent();
  },
  forget: async (item) => {
    const yes = await confirmDialog.ask({
      title: t('memory.confirm.title'),
      message: t('memory.confirm.message', { name: character }),
      quote: item.text,
    });
    if (!yes) return false;
    try {
      await forgetItem(character, item.id);
    } catch (err) {
      report(err);
      return false;
    }
    announce(t('memory.announce.forgotten'));
    void refreshRecent();
    queueMicrotask(showHistoryStatus);
    return true;
  },
});

const recentView = new RecentView(byId<HTMLOListElement>('recent-list'), byId('recent-empty'));

const factsView = new FactsView(byId<HTMLUListElement>('facts-list'), byId('facts-empty'), byId('facts-heading'), {
  describeError,
  edit: async (fact, value) => {
    await editFact(character, fact.id, value);
    announce(t('memory.announce.saved'));
  },
  forget: async (fact) => {
    const yes = await confirmDialog.ask({
      title: t('memory.confirm.factTitle'),
      message: t('memory.confirm.message', { name: character }),
      quote: `${fact.subject} · ${fact.key}: ${fact.value}`,
    });
    if (!yes) return false;
    try {
      await forgetFact(character, fact.id);
    } catch (err) {
      report(err);
      return false;
    }
    announce(t('memory.announce.forgotten'));
    return true;
  },
});

const review = new ReviewToggle(
  byId<HTMLInputElement>('review-toggle'),
  (enabled) => announce(t(enabled ? 'memory.announce.reviewOn' : 'memory.announce.reviewOff')),
  report,
);

function showHistoryStatus(): void {
  historyStatus.dataset.state = historyState;
  if (historyState === 'loading') historyStatus.textContent = t('memory.history.loading');
  else if (historyState === 'failed') historyStatus.textContent = t('memory.history.failed');
  else if (historyView.count === 0) historyStatus.textContent = t(filter.q || filter.after || filter.before ? 'memory.history.noMatches' : 'memory.history.empty');
  else if (filter.q) historyStatus.textContent = t('memory.history.matches', { n: historyView.count, query: filter.q });
  else historyStatus.textContent = t('memory.history.shown', { n: historyView.count });
  loadMore.hidden = historyState !== 'ready' || cursor === null;
}

function showCharacterTexts(): void {
  document.title = character ? t('memory.pageTitle', { name: character }) : t('memory.title');
  byId('recent-hint').textContent = t('memory.recent.hint', { name: character });
}

async function refreshRecent(): Promise<void> {
  const gen = generation;
  try {
    const recent = await loadRecent(character);
    if (gen === generation) recentView.show(recent.items);
  } catch {
    // The next full load shows the problem; the list keeps what it had.
  }
}

/** Loads everything for the character and the current search; a failure anywhere shows the banner. */
async function loadAll(): Promise<void> {
  const gen = ++generation;
  clearTimeout(retryTimer);
  layout.dataset.loading = 'true';
  historyState = 'loading';
  cursor = null;
  showHistoryStatus();
  const [recent, facts, history, reviewLoaded] = await Promise.allSettled([
    loadRecent(character),
    loadFacts(character),
    loadHistory(character, filter, undefined, PAGE_SIZE),
    review.load(),
  ]);
  if (gen !== generation) return;
  if (recent.status === 'fulfilled') recentView.show(recent.value.items);
  if (facts.status === 'fulfilled') factsView.show(facts.value.facts);
  historyView.clear();
  if (history.status === 'fulfilled') {
    historyView.append(history.value.items);
    cursor = history.value.next_cursor;
    historyState = 'ready';
  } else {
    historyState = 'failed';
  }
  showHistoryStatus();
  const failure = [history, recent, facts, reviewLoaded].find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) report(failure.reason);
  else banner.hide();
  layout.dataset.loading = 'false';
}

loadMore.addEventListener('click', async () => {
  if (cursor === null) return;
  const gen = generation;
  loadMore.disabled = true;
  try {
    const page = await loadHistory(character, filter, cursor, PAGE_SIZE);
    if (gen !== generation) return;
    historyView.append(page.items);
    cursor = page.next_cursor;
    showHistoryStatus();
  } catch (err) {
    report(err);
  } finally {
    loadMore.disabled = false;
  }
  if (cursor === null) byId('history-heading').focus();
});

searchForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const after = dateInputBound(fromInput.value, 'start');
  const before = dateInputBound(toInput.value, 'end');
  if (after && before && after > before) {
    searchError.textContent = t('memory.history.badRange');
    searchError.hidden = false;
    fromInput.setAttribute('aria-invalid', 'true');
    fromInput.focus();
    return;
  }
  searchError.hidden = true;
  fromInput.removeAttribute('aria-invalid');
  filter = { q: searchInput.value.trim() || undefined, after, before };
  void loadAll();
});

searchForm.addEventListener('reset', () => {
  searchError.hidden = true;
  fromInput.removeAttribute('aria-invalid');
  filter = {};
  // The inputs are cleared after this event by the browser.
  setTimeout(() => void loadAll());
});

function selectCharacter(name: string): void {
  character = name;
  rememberCharacterInQuery(name);
  showCharacterTexts();
  historyView.clear();
  void loadAll();
}
switcher.onChange(selectCharacter);

onLanguageChanged(() => {
  theme.apply();
  showCharacterTexts();
  showHistoryStatus();
  historyView.rerender();
  recentView.render();
  factsView.render();
  if (banner.visible) void loadAll();
});

const doc = await loadCharacters().catch((err: unknown) => {
  report(err);
  return undefined;
});
const names = Object.keys(doc?.猫娘 ?? {});
const initial = characterFromQuery() ?? doc?.当前猫娘 ?? names[0];
if (initial) {
  switcher.setCharacters(names, initial);
  selectCharacter(initial);
} else if (doc) {
  banner.show(t('memory.errors.noCharacters'));
  layout.dataset.loading = 'false';
}

sendBeaconOnClose();
