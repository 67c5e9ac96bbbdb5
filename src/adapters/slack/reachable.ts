import { SocketModeReceiver, type HTTPReceiver, type Receiver } from '@slack/bolt';

/** Where Slack sends events, slash commands and clicks over HTTP. */
export const EVENTS_PATH = '/slack/events';

/**
 * Whether Slack can reach the receiver: the socket's connection state, or (HTTP) true until
 * refuse(), after which POST /slack/events is answered 503 and the other routes still answer.
 */
export function watchReachable(receiver: Receiver): { ready(): boolean; refuse(): void } {
  if (receiver instanceof SocketModeReceiver) {
    let connected = false;
    receiver.client.on('connected', () => (connected = true));
    for (const state of ['disconnected', 'reconnecting', 'disconnecting']) receiver.client.on(state, () => (connected = false));
    return { ready: () => connected, refuse: () => undefined };
  }
  const http = receiver as HTTPReceiver;
  let refusing = false;
  const listener = http.requestListener;
  http.requestListener = (req, res) => {
    if (refusing && req.method === 'POST' && new URL(req.url ?? '/', 'http://localhost').pathname === EVENTS_PATH) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('Muse is restarting; please send this again.\n');
      return;
    }
    listener(req, res);
  };
  return { ready: () => !refusing, refuse: () => (refusing = true) };
}
