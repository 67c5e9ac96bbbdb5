import { Events, Status, type Client } from 'discord.js';

/**
 * Resolves true once every shard is connected (Ready: not reconnecting, identifying or resuming),
 * or false after `timeoutMs`.
 *
 * Destroying the client is only safe then: @discordjs/ws (1.2.3) ignores destroy() while a shard
 * pauses before reconnecting, and turns a destroy() while it waits for HELLO into another
 * reconnect, so the "destroyed" client would resume its session and keep answering.
 */
export function gatewaySettled(client: Client, timeoutMs: number): Promise<boolean> {
  const settled = () => client.ws.shards.every((shard) => shard.status === Status.Ready);
  if (settled()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      client.off(Events.ShardResume, check);
      client.off(Events.ShardReady, check);
      resolve(ok);
    };
    const check = () => {
      if (settled()) finish(true);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    client.on(Events.ShardResume, check);
    client.on(Events.ShardReady, check);
  });
}

/** True when the client runs at least one shard and every one is connected (Ready). */
export function shardsReady(client: Client): boolean {
  return client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready);
}
