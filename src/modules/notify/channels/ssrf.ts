import { LookupAddress, promises as dnsPromises } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';

import { Pool } from 'undici';

/** Where outbound webhooks may go. `allowPrivateNetworks` is for local test sinks only. */
export interface UrlPolicy {
  /** Exact host names or IPs, or `*.example.com` for any subdomain of example.com. */
  allowedHosts: string[];
  allowPrivateNetworks: boolean;
}

export type LookupAll = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

export function checkWebhookUrl(
  raw: string,
  policy: UrlPolicy,
): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: '推送地址格式不正确' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowPrivateNetworks)) {
    return { ok: false, reason: '推送地址必须以 https:// 开头' };
  }
  if (url.username || url.password) return { ok: false, reason: '推送地址中不能包含用户名或密码' };
  // URL drops default ports, so any port left here is non-standard.
  if (url.port && !policy.allowPrivateNetworks) return { ok: false, reason: '推送地址只能使用默认端口' };
  const host = normalizeHost(url.hostname);
  if (!hostAllowed(host, policy.allowedHosts)) {
    return { ok: false, reason: `推送地址的主机 ${host} 不在允许清单中` };
  }
  return { ok: true, url };
}

/** Lower-case, without IPv6 brackets or a trailing dot. */
function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '');
}

function hostAllowed(host: string, entries: string[]): boolean {
  const literal = isIP(host) !== 0;
  return entries.some((raw) => {
    const wildcard = raw.trim().startsWith('*.');
    const entry = canonicalHost(wildcard ? raw.trim().slice(2) : raw);
    if (entry === null) return false;
    // Wildcards name DNS subdomains; an IP literal must be listed exactly.
    if (!wildcard) return host === entry;
    return !literal && isIP(entry) === 0 && host.endsWith(`.${entry}`);
  });
}

/** An allow-list entry in the same form URL gives the request host (punycode, compressed IPv6); null if it is not a bare host. */
function canonicalHost(entry: string): string | null {
  const bare = normalizeHost(entry.trim());
  if (bare === '') return null;
  try {
    const u = new URL(`https://${isIP(bare) === 6 ? `[${bare}]` : bare}/`);
    if (u.port || u.username || u.password || u.pathname !== '/' || u.search || u.hash) return null;
    return normalizeHost(u.hostname);
  } catch {
    return null;
  }
}

// [network, prefix length]: loopback, private, link-local, CGNAT, benchmarking, documentation, multicast, reserved.
const V4_BLOCKED: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4], // includes 255.255.255.255
];

/** True for any address a webhook must not reach; also true for anything that is not an IP at all. */
export function isPrivateAddress(ip: string): boolean {
  const bare = normalizeHost(ip).replace(/%.*$/, ''); // drop an IPv6 zone id
  const family = isIP(bare);
  if (family === 4) return isPrivateV4(v4ToInt(bare));
  if (family === 6) return isPrivateV6(v6Hextets(bare));
  return true;
}

function v4ToInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function isPrivateV4(n: number): boolean {
  return V4_BLOCKED.some(
    ([net, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(v4ToInt(net) / 2 ** (32 - bits)),
  );
}

function isPrivateV6(h: number[]): boolean {
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  const v4 = (hi: number, lo: number) => hi * 65536 + lo;
  if (zeros(0, 7) && h[7] <= 1) return true; // :: and ::1
  if (zeros(0, 5) && h[5] === 0xffff) return isPrivateV4(v4(h[6], h[7])); // ::ffff:a.b.c.d (IPv4-mapped)
  if (zeros(0, 6)) return isPrivateV4(v4(h[6], h[7])); // ::a.b.c.d (deprecated IPv4-compatible)
  if (h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6)) return isPrivateV4(v4(h[6], h[7])); // NAT64
  if (h[0] === 0x2002) return isPrivateV4(v4(h[1], h[2])); // 6to4 carries an IPv4 address too
  if (h[0] === 0x2001 && h[1] === 0x0db8) return true; // documentation
  return (
    (h[0] & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (h[0] & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (h[0] & 0xffc0) === 0xfec0 || // fec0::/10 old site-local
    (h[0] & 0xff00) === 0xff00 // ff00::/8 multicast
  );
}

/** Eight 16-bit groups of an address already validated by isIP. */
function v6Hextets(ip: string): number[] {
  let head = ip;
  let tail: number[] = [];
  if (ip.includes('.')) {
    const i = ip.lastIndexOf(':');
    const n = v4ToInt(ip.slice(i + 1));
    tail = [Math.floor(n / 65536), n % 65536];
    head = ip.endsWith(`::${ip.slice(i + 1)}`) ? ip.slice(0, i + 1) : ip.slice(0, i);
  }
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  if (!head.includes('::')) return [...groups(head), ...tail];
  const [left, right] = head.split('::');
  const l = groups(left);
  const r = [...groups(right), ...tail];
  return [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
}

/** Resolves every address of `host` and refuses if any is private, so round-robin DNS cannot sneak one in. */
export async function resolvePublic(
  host: string,
  policy: UrlPolicy,
  lookup: LookupAll = dnsPromises.lookup,
): Promise<{ address: string; family: 4 | 6 }> {
  const name = normalizeHost(host);
  let addresses: LookupAddress[];
  if (isIP(name) !== 0) {
    addresses = [{ address: name, family: isIP(name) }];
  } else {
    try {
      addresses = await lookup(name, { all: true });
    } catch (err) {
      throw new Error(`无法解析推送地址的域名 ${name}`, { cause: err });
    }
  }
  if (addresses.length === 0) throw new Error(`无法解析推送地址的域名 ${name}`);
  if (!policy.allowPrivateNetworks && addresses.some((a) => isPrivateAddress(a.address))) {
    throw new Error(`推送地址 ${name} 指向内网或保留地址，已拒绝`);
  }
  const first = addresses[0].address;
  return { address: first, family: isIP(first) === 6 ? 6 : 4 };
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** A checked URL bound to the address vetted for it: what a block of sends to one channel shares. */
export interface WebhookTarget {
  url: URL;
  pool: Pool;
  path: string;
}

/**
 * Checks `url` against the policy and resolves it to a vetted public address (bounded by `timeoutMs`).
 * Sends through the target connect only to that address, so DNS rebinding between check and connect
 * cannot redirect them. A sender opens a target once per block of messages to the same channel.
 */
export async function openTarget(
  url: URL,
  policy: UrlPolicy,
  timeoutMs = 10_000,
  lookup: LookupAll = dnsPromises.lookup,
): Promise<WebhookTarget> {
  const checked = checkWebhookUrl(url.href, policy);
  if (!checked.ok) throw new Error(checked.reason);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`推送超时：${timeoutMs / 1000} 秒内未收到响应`)), timeoutMs);
  });
  try {
    const pinned = await Promise.race([resolvePublic(url.hostname, policy, lookup), timeout]);
    return { url, pool: poolFor(url, pinned), path: `${url.pathname}${url.search}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs to a checked URL, connecting only to the address vetted by resolvePublic. Redirects are not
 * followed. `lookup` is injectable for tests.
 */
export async function postJson(
  url: URL,
  body: string,
  headers: Record<string, string>,
  policy: UrlPolicy,
  timeoutMs = 10_000,
  lookup: LookupAll = dnsPromises.lookup,
): Promise<{ status: number; body: unknown }> {
  return postTo(await openTarget(url, policy, timeoutMs, lookup), body, headers, timeoutMs);
}

/**
 * One undici pool per origin and vetted address: keep-alive connections, and undici's client costs a
 * fraction of node:http's per request. The pool's connector resolves the host to the pinned address
 * only, so a reused pool never reaches anything else.
 */
const pools = new Map<string, Pool>();

function poolFor(url: URL, pinned: { address: string; family: 4 | 6 }): Pool {
  const key = `${url.origin}|${pinned.address}`;
  let pool = pools.get(key);
  if (!pool) {
    // Host header, SNI and certificate checks still use the hostname; only the socket address is pinned.
    // Node 20 asks for `all` addresses when it races IPv4/IPv6 (autoSelectFamily), a single one otherwise.
    const lookup: LookupFunction = (_host, options, cb) => {
      if (options.all) cb(null, [pinned]);
      else cb(null, pinned.address, pinned.family);
    };
    pool = new Pool(url.origin, { connections: 256, pipelining: 1, connect: { lookup } as never });
    pools.set(key, pool);
  }
  return pool;
}

/**
 * One POST through the target's pool. undici's dispatch with a small handler, not request(): no
 * response stream, async iterator or abort signal per message, which at thousands of sends a second
 * is most of a sender's garbage. undici's own header and body timers bound the wait.
 */
export function postTo(
  target: WebhookTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs = 10_000,
  /** The same URL with its own query (DingTalk signs each message in it); never another origin. */
  url?: URL,
): Promise<{ status: number; body: unknown }> {
  if (url && url.origin !== target.url.origin) {
    return Promise.reject(new Error('推送地址与已核验的地址不一致'));
  }
  const path = url ? `${url.pathname}${url.search}` : target.path;
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    let size = 0;
    let abortRequest: ((err?: Error) => void) | undefined;
    const fail = (err: Error) => {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
        reject(new Error(`推送超时：${timeoutMs / 1000} 秒内未收到响应`, { cause: err }));
      } else if (status) {
        reject(new Error('推送响应接收失败', { cause: err }));
      } else {
        reject(new Error(`推送请求失败：${e.code ?? e.message}`, { cause: err }));
      }
    };
    try {
      target.pool.dispatch(
        {
          method: 'POST',
          path,
          headers: {
            'user-agent': 'duban-notify/1',
            ...headers,
            'content-length': String(Buffer.byteLength(body)),
          },
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        // The plain (pre-7) handler shape, which Pool.dispatch takes as it is.
        {
          onConnect(abort: (err?: Error) => void) {
            abortRequest = abort;
          },
          onHeaders(statusCode: number) {
            status = statusCode;
            return true;
          },
          onData(chunk: Buffer) {
            const room = MAX_RESPONSE_BYTES - size;
            chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
            size += Math.min(chunk.length, room);
            if (size < MAX_RESPONSE_BYTES) return true;
            // The rest is not worth reading: answer with what we have and drop the connection.
            resolve({ status, body: parseBody(Buffer.concat(chunks)) });
            abortRequest?.(new Error('response too large'));
            return false;
          },
          onComplete() {
            resolve({ status, body: parseBody(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)) });
          },
          onError(err: Error) {
            fail(err);
          },
        },
      );
    } catch (err) {
      fail(err as Error);
    }
  });
}

function parseBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
