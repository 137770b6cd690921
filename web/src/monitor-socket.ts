/** A read-only WebSocket to the monitor that reconnects by itself (the monitor or main may restart). */
export function connectMonitor(path: string, onMessage: (data: string | ArrayBuffer) => void, retryMs = 2000): void {
  const open = () => {
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`);
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (e) => onMessage(e.data as string | ArrayBuffer);
    ws.onclose = () => setTimeout(open, retryMs);
  };
  open();
}
