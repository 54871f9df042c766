import http from 'node:http';
import { AddressInfo } from 'node:net';
import { checkWebhookUrl, isPrivateAddress, LookupAll, postJson, resolvePublic, UrlPolicy } from './ssrf';

const strict = (allowedHosts: string[]): UrlPolicy => ({ allowedHosts, allowPrivateNetworks: false });
const local = (allowedHosts: string[]): UrlPolicy => ({ allowedHosts, allowPrivateNetworks: true });
const fakeLookup = (...addresses: string[]) =>
  jest.fn<ReturnType<LookupAll>, Parameters<LookupAll>>(async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
  );

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '198.18.0.1',
    '198.19.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '[::1]',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:c0a8:101',
    '64:ff9b::127.0.0.1',
    '2002:a00:1::',
    'localhost',
    '',
  ])('refuses %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '114.114.114.114',
    '11.0.0.1',
    '172.15.255.255',
    '172.32.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '192.169.0.1',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2400:3200::1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    'fbff::1',
  ])('allows %s', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });
});

describe('checkWebhookUrl', () => {
  const ok = (raw: string, policy: UrlPolicy) => checkWebhookUrl(raw, policy).ok;
  const reason = (raw: string, policy: UrlPolicy) => {
    const r = checkWebhookUrl(raw, policy);
    return r.ok ? null : r.reason;
  };

  it('accepts an exactly listed host, ignoring case and a trailing dot', () => {
    const r = checkWebhookUrl(
      'https://oapi.dingtalk.com/robot/send?access_token=x',
      strict(['oapi.dingtalk.com']),
    );
    expect(r.ok && r.url.href).toBe('https://oapi.dingtalk.com/robot/send?access_token=x');
    expect(ok('https://OAPI.DingTalk.com./robot/send', strict([' Oapi.Dingtalk.COM ']))).toBe(true);
    expect(ok('https://oapi.dingtalk.com:443/robot/send', strict(['oapi.dingtalk.com']))).toBe(true);
  });

  it('matches *.example.com against subdomains only', () => {
    const policy = strict(['*.Example.com']);
    expect(ok('https://hooks.example.com/x', policy)).toBe(true);
    expect(ok('https://a.b.EXAMPLE.com/x', policy)).toBe(true);
    expect(ok('https://example.com/x', policy)).toBe(false);
    expect(ok('https://evilexample.com/x', policy)).toBe(false);
    expect(ok('https://example.com.evil.net/x', policy)).toBe(false);
    expect(reason('https://other.net/x', policy)).toBe('推送地址的主机 other.net 不在允许清单中');
  });

  it('requires IP literals to be listed exactly, after URL normalisation', () => {
    expect(ok('https://203.0.113.5/', strict(['*.example.com', '*.113.5']))).toBe(false);
    expect(ok('https://203.0.113.5/', strict(['203.0.113.5']))).toBe(true);
    expect(ok('https://2130706433/', strict(['example.com']))).toBe(false); // = 127.0.0.1
    expect(ok('http://[::1]:8080/', local(['::1']))).toBe(true);
    expect(ok('http://[0:0::1]:8080/', local(['[::1]']))).toBe(true);
  });

  it('allows http and other ports only with allowPrivateNetworks', () => {
    expect(reason('http://hooks.example.com/x', strict(['hooks.example.com']))).toBe(
      '推送地址必须以 https:// 开头',
    );
    expect(ok('http://hooks.example.com/x', local(['hooks.example.com']))).toBe(true);
    expect(reason('https://hooks.example.com:8443/x', strict(['hooks.example.com']))).toBe(
      '推送地址只能使用默认端口',
    );
    expect(ok('https://hooks.example.com:8443/x', local(['hooks.example.com']))).toBe(true);
    expect(ok('ftp://hooks.example.com/x', local(['hooks.example.com']))).toBe(false);
  });

  it('refuses user info, garbage and entries that are not bare hosts', () => {
    expect(reason('https://u:p@hooks.example.com/', strict(['hooks.example.com']))).toBe(
      '推送地址中不能包含用户名或密码',
    );
    expect(reason('not a url', strict(['hooks.example.com']))).toBe('推送地址格式不正确');
    expect(
      ok('https://hooks.example.com/', strict(['hooks.example.com/path', 'hooks.example.com:8443', ''])),
    ).toBe(false);
  });
});

describe('resolvePublic', () => {
  it('checks every resolved address, not just the first', async () => {
    const lookup = fakeLookup('93.184.216.34', '127.0.0.1');
    await expect(resolvePublic('hooks.example.com', strict([]), lookup)).rejects.toThrow(
      '推送地址 hooks.example.com 指向内网或保留地址，已拒绝',
    );
    expect(lookup).toHaveBeenCalledWith('hooks.example.com', { all: true });
  });

  it('returns the first address when all are public, or when private networks are allowed', async () => {
    await expect(
      resolvePublic('h.example', strict([]), fakeLookup('2400:3200::1', '8.8.8.8')),
    ).resolves.toEqual({
      address: '2400:3200::1',
      family: 6,
    });
    await expect(resolvePublic('h.example', local([]), fakeLookup('127.0.0.1'))).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
  });

  it('checks IP literals without DNS', async () => {
    const lookup = fakeLookup('8.8.8.8');
    await expect(resolvePublic('10.0.0.1', strict([]), lookup)).rejects.toThrow('内网');
    await expect(resolvePublic('[::1]', strict([]), lookup)).rejects.toThrow('内网');
    await expect(resolvePublic('8.8.4.4', strict([]), lookup)).resolves.toEqual({
      address: '8.8.4.4',
      family: 4,
    });
    expect(lookup).not.toHaveBeenCalled();
  });

  it('reports names that do not resolve', async () => {
    const failing: LookupAll = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(resolvePublic('nope.example', strict([]), failing)).rejects.toThrow(
      '无法解析推送地址的域名 nope.example',
    );
    await expect(resolvePublic('empty.example', strict([]), fakeLookup())).rejects.toThrow('无法解析');
  });
});

describe('postJson', () => {
  type Seen = {
    method?: string;
    url?: string;
    host?: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  };
  const seen: Seen[] = [];
  let reply: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ method: req.method, url: req.url, host: req.headers.host, headers: req.headers, body });
        reply(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    seen.length = 0;
    reply = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const json = { 'content-type': 'application/json; charset=utf-8' };

  it('posts to a local sink when private networks are allowed, and parses the JSON reply', async () => {
    const url = new URL(`http://127.0.0.1:${port}/hook?x=1`);
    const res = await postJson(url, '{"a":"督办"}', json, local(['127.0.0.1']));
    expect(res).toEqual({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/hook?x=1', body: '{"a":"督办"}' });
    expect(seen[0].headers['content-type']).toBe('application/json; charset=utf-8');
    expect(seen[0].headers['content-length']).toBe(String(Buffer.byteLength('{"a":"督办"}')));
  });

  it('connects to the pinned address but keeps the original Host header', async () => {
    const lookup = fakeLookup('127.0.0.1');
    const url = new URL(`http://hook.test:${port}/in`);
    const res = await postJson(url, '{}', json, local(['hook.test']), 5000, lookup);
    expect(res.status).toBe(200);
    expect(seen[0].host).toBe(`hook.test:${port}`);
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('refuses before connecting when private networks are not allowed', async () => {
    const url = new URL(`http://127.0.0.1:${port}/hook`);
    await expect(postJson(url, '{}', json, strict(['127.0.0.1']))).rejects.toThrow('https://');
    // A listed https host whose DNS answer is private is refused at the resolve step.
    const rebinding = fakeLookup('127.0.0.1');
    await expect(
      postJson(new URL('https://hook.test/in'), '{}', json, strict(['hook.test']), 5000, rebinding),
    ).rejects.toThrow('指向内网或保留地址');
    expect(seen).toHaveLength(0);
  });

  it('returns text replies as a string, capped at 64 KiB', async () => {
    reply = (_req, res) => res.end('x'.repeat(200 * 1024));
    const res = await postJson(new URL(`http://127.0.0.1:${port}/`), '{}', json, local(['127.0.0.1']));
    expect(res.status).toBe(200);
    expect(res.body).toBe('x'.repeat(64 * 1024));
  });

  it('does not follow redirects', async () => {
    reply = (_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
    const res = await postJson(new URL(`http://127.0.0.1:${port}/`), '{}', json, local(['127.0.0.1']));
    expect(res).toEqual({ status: 302, body: '' });
    expect(seen.map((s) => s.url)).toEqual(['/']);
  });

  it('gives up after the timeout', async () => {
    reply = () => undefined; // never answers
    const started = Date.now();
    await expect(
      postJson(new URL(`http://127.0.0.1:${port}/`), '{}', json, local(['127.0.0.1']), 200),
    ).rejects.toThrow('推送超时：0.2 秒内未收到响应');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
