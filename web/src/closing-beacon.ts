/**
 * Tells main when a page goes away (the original page's unload beacon). Main stops the app only when it was
 * launched with `--open-browser` and nothing asks for it again shortly after (a reload or a move to another
 * neko page does); otherwise it ignores the beacon.
 */
export function sendBeaconOnClose(): void {
  addEventListener('pagehide', (event) => {
    // A page kept in the back/forward cache has not gone away.
    if (event.persisted) return;
    navigator.sendBeacon?.('/api/beacon/shutdown');
  });
}
