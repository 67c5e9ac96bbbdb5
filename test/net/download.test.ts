import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/engine/parts.js';
import { downloadCapped, MAX_UPLOAD_BYTES, type Download } from '../../src/net/download.js';
import { discordFileHosts, isAllowedFileUrl, slackFileHosts } from '../../src/net/file-hosts.js';
import { TrapServer } from '../support/trap-server.js';

/** A loopback file host: answers each path from `routes` (a body, or a redirect), recording requests. */
class FileHost {
  readonly requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  origin = '';
  private server: Server | undefined;
  constructor(private readonly routes: Record<string, { body?: string; redirect?: () => string }>) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests.push({ path: req.url ?? '/', headers: req.headers });
      const route = this.routes[req.url ?? '/'];
      if (route?.redirect) res.writeHead(302, { location: route.redirect() }).end();
      else if (route?.body !== undefined) res.writeHead(200, { 'content-type': 'application/json' }).end(route.body);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const closing: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const c of closing.splice(0)) await c.close();
});

async function host(routes: ConstructorParameters<typeof FileHost>[0]): Promise<FileHost> {
  const h = await new FileHost(routes).start();
  closing.push(h);
  return h;
}

async function refusal(work: Promise<unknown>): Promise<UserFacingError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserFacingError);
  return err as UserFacingError;
}

describe('which hosts files come from', () => {
  it("Slack: files.slack.com over https, the file host beside an https API (GovSlack), and the configured API's origin", () => {
    const ok = (url: string, api?: string) => isAllowedFileUrl(new URL(url), slackFileHosts(api));
    expect(ok('https://files.slack.com/files-pri/T1-F1/x.json')).toBe(true);
    expect(ok('http://files.slack.com/files-pri/T1-F1/x.json')).toBe(false);
    expect(ok('https://files.slack.com:8443/x')).toBe(false);
    expect(ok('https://files.slack.com.evil.test/x')).toBe(false);
    expect(ok('https://evil.test/files.slack.com/x')).toBe(false);
    expect(ok('https://slack.com/x')).toBe(false);
    expect(ok('https://files.slack-gov.com/files-pri/T1-F1/x.json', 'https://slack-gov.com/api/')).toBe(true);
    expect(ok('http://127.0.0.1:4000/files-pri/x', 'http://127.0.0.1:4000/api/')).toBe(true);
    expect(ok('http://127.0.0.1:4001/files-pri/x', 'http://127.0.0.1:4000/api/')).toBe(false);
    expect(ok('http://169.254.169.254/latest/meta-data')).toBe(false);
  });

  it("Discord: its CDN and media proxy over https, and the configured API's origin", () => {
    const ok = (url: string, api?: string) => isAllowedFileUrl(new URL(url), discordFileHosts(api));
    expect(ok('https://cdn.discordapp.com/attachments/1/2/x.json')).toBe(true);
    expect(ok('https://media.discordapp.net/attachments/1/2/x.png')).toBe(true);
    expect(ok('http://cdn.discordapp.com/attachments/1/2/x.json')).toBe(false);
    expect(ok('https://discord.com/attachments/x')).toBe(false);
    expect(ok('http://127.0.0.1:5000/cdn/attachments/1/x.json', 'http://127.0.0.1:5000/api')).toBe(true);
  });
});

describe('downloadCapped', () => {
  it('refuses a host that is not allowed before any request, in one sentence that names no host', async () => {
    const trap = await new TrapServer().start();
    closing.push(trap);
    const calls: string[] = [];
    const recording: Download = (url, init) => {
      calls.push(url);
      return fetch(url, init);
    };
    const err = await refusal(
      downloadCapped({
        url: `${trap.origin}/x.json`,
        name: 'x.json',
        hosts: slackFileHosts(),
        headers: { authorization: 'Bearer xoxb-secret' },
        fetch: recording,
      }),
    );
    expect(err.message).toBe(`Muse takes files only from Slack's own file storage, so "x.json" was not downloaded.`);
    expect(err.message).not.toContain('127.0.0.1');
    expect(String((err.cause as Error).message)).toContain(trap.origin);
    expect(calls).toEqual([]);
    expect(trap.requests).toEqual([]);
  });

  it('re-checks every redirect: one to another host is refused before it is requested', async () => {
    const trap = await new TrapServer().start();
    closing.push(trap);
    const files = await host({ '/f.json': { redirect: () => `${trap.origin}/steal` } });
    const err = await refusal(
      downloadCapped({
        url: `${files.origin}/f.json`,
        name: 'f.json',
        hosts: slackFileHosts(`${files.origin}/api/`),
        headers: { authorization: 'Bearer xoxb-secret' },
      }),
    );
    expect(err.message).toBe(`Muse takes files only from Slack's own file storage, so "f.json" was not downloaded.`);
    expect(files.requests.map((r) => r.path)).toEqual(['/f.json']);
    expect(trap.requests).toEqual([]);
  });

  it('follows redirects within an allowed host, sending the token only to the origin it was meant for', async () => {
    const files = await host({ '/a.json': { redirect: () => '/b.json' }, '/b.json': { body: '{"ok":true}' } });
    const data = await downloadCapped({
      url: `${files.origin}/a.json`,
      name: 'a.json',
      hosts: slackFileHosts(`${files.origin}/api/`),
      headers: { authorization: 'Bearer xoxb-secret' },
    });
    expect(Buffer.from(data).toString()).toBe('{"ok":true}');
    expect(files.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/a.json', 'Bearer xoxb-secret'],
      ['/b.json', 'Bearer xoxb-secret'],
    ]);
  });

  it('gives up after a few redirects', async () => {
    const files = await host({ '/loop': { redirect: () => '/loop' } });
    const err = await refusal(downloadCapped({ url: `${files.origin}/loop`, name: 'loop.json', hosts: slackFileHosts(`${files.origin}/api/`) }));
    expect(err.message).toBe('Muse could not download the file "loop.json"; please try again.');
    expect(files.requests).toHaveLength(4);
  });

  it('takes files up to the one limit, 8 MB, and names it when refusing', async () => {
    expect(MAX_UPLOAD_BYTES).toBe(8 * 1024 * 1024);
    const files = await host({ '/big.json': { body: 'x'.repeat(MAX_UPLOAD_BYTES + 1) } });
    const hosts = slackFileHosts(`${files.origin}/api/`);
    const announced = await refusal(downloadCapped({ url: `${files.origin}/big.json`, name: 'big.json', hosts, size: 20 * 1024 * 1024 }));
    expect(announced.message).toBe('The file "big.json" is 20 MB; Muse takes files up to 8 MB.');
    expect(files.requests).toEqual([]);
    const sent = await refusal(downloadCapped({ url: `${files.origin}/big.json`, name: 'big.json', hosts }));
    expect(sent.message).toBe('The file "big.json" is over 8 MB; Muse takes files up to 8 MB.');
  });
});
