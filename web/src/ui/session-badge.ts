import { t } from '../i18n';
import type { SessionView } from '../session-state';

/** The small pill that says where the conversation stands, and the "offline demo" pill beside it. */
export class SessionBadge {
  private view?: SessionView;

  constructor(
    private readonly badge: HTMLElement,
    private readonly demoBadge: HTMLElement,
  ) {}

  show(view: SessionView): void {
    this.view = view;
    this.badge.dataset.state = view.connection === 'open' ? view.phase : view.connection;
    this.badge.textContent = t(badgeKey(view));
    this.demoBadge.hidden = !view.offlineDemo;
    this.demoBadge.textContent = t('session.offlineDemo');
    this.demoBadge.title = t('session.offlineDemoHint');
    this.demoBadge.setAttribute('aria-description', t('session.offlineDemoHint'));
  }

  /** Re-renders in the new language. */
  refresh(): void {
    if (this.view) this.show(this.view);
  }
}

function badgeKey(view: SessionView): string {
  if (view.connection === 'connecting') return 'session.connecting';
  if (view.connection === 'closed') return 'session.disconnected';
  if (view.connection === 'reconnecting') return 'session.reconnecting';
  switch (view.phase) {
    case 'preparing':
      return 'session.preparing';
    case 'live':
      return view.mode === 'audio' ? 'session.liveVoice' : 'session.liveText';
    case 'failed':
      return 'session.failed';
    default:
      return 'session.idle';
  }
}
