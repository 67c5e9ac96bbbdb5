/**
 * Where Muse fetches the files people share with a command: the platform's own file hosts, over
 * https, and the origin of the API URL the operator configured (a proxy, a test fake). Anything
 * else is refused before a request is sent, so a file object that points elsewhere can neither
 * make Muse reach into its own network nor carry the bot token away.
 */
export interface FileHosts {
  /** The platform, for the sentence a refused file gets ("Slack"). */
  label: string;
  /** Host names taken over https on the default port. */
  https: readonly string[];
  /** Exact origins also taken (scheme, host and port), from SLACK_API_URL or DISCORD_API_URL. */
  origins: readonly string[];
}

/** Slack: files.slack.com, the file host beside a configured https API (GovSlack: files.slack-gov.com), and that API's origin. */
export function slackFileHosts(apiUrl?: string): FileHosts {
  const api = parse(apiUrl);
  const https = ['files.slack.com'];
  if (api?.protocol === 'https:') https.push(`files.${api.hostname.replace(/^(api|www)\./, '')}`);
  return { label: 'Slack', https: [...new Set(https)], origins: api ? [api.origin] : [] };
}

/** Discord: its CDN and media proxy, and the origin of a configured API (a proxy, a test fake). */
export function discordFileHosts(apiUrl?: string): FileHosts {
  const api = parse(apiUrl);
  return { label: 'Discord', https: ['cdn.discordapp.com', 'media.discordapp.net'], origins: api ? [api.origin] : [] };
}

/** Whether `url` is one of the hosts' (https on the default port, or an exact configured origin). */
export function isAllowedFileUrl(url: URL, hosts: FileHosts): boolean {
  if (hosts.origins.includes(url.origin)) return true;
  return url.protocol === 'https:' && url.port === '' && hosts.https.includes(url.hostname.toLowerCase());
}

function parse(url: string | undefined): URL | undefined {
  if (!url) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
