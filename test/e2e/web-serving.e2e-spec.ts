import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';

import { createTestApp, TestApp } from '../helpers/app';

const INDEX =
  '<!doctype html><html lang="zh-CN"><head><script type="module" src="/assets/index-Ab12Cd.js"></script></head><body><div id="root"></div></body></html>';
// Large and repetitive enough to be worth compressing (the build compresses files of 1 KB and more).
const SCRIPT = `console.log(${JSON.stringify('督办'.repeat(2000))});\n`;

/** A production build as the web build writes it: index.html, hashed assets, a file at the top. */
function fixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'duban-web-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, '.vite'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-Ab12Cd.js'), SCRIPT);
  writeFileSync(join(dir, 'assets', 'index-Ef34Gh.css'), 'body{margin:0}');
  writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\n');
  writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
  return dir;
}

function expectWebHeaders(headers: Record<string, string>): void {
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['x-frame-options']).toBe('DENY');
  const csp = headers['content-security-policy'];
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("img-src 'self' data: blob:");
  expect(csp).toContain("frame-ancestors 'none'");
}

describe('网页端 (the web app served at /)', () => {
  describe('with a build', () => {
    let t: TestApp;
    let dist: string;
    beforeAll(async () => {
      dist = fixture();
      t = await createTestApp({ WEB_DIST_DIR: dist });
    });
    afterAll(async () => {
      await t.close();
      rmSync(dist, { recursive: true, force: true });
    });

    it('/ is index.html, revalidated on every visit, with the security headers', async () => {
      const res = await t.http().get('/').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers.etag).toBeTruthy();
      expect(res.text).toBe(INDEX);
      expectWebHeaders(res.headers);
      // Revalidation is cheap: the same ETag answers 304 without the body.
      await t.http().get('/').set('if-none-match', res.headers.etag).expect(304);
    });

    it('deep links answer index.html on reload (GET and HEAD), never cached', async () => {
      for (const path of [
        '/items/0b7c0e52-5a3c-4d2e-9d8f-2a1b3c4d5e6f',
        `/login?next=${encodeURIComponent('/items/0b7c0e52-5a3c-4d2e-9d8f-2a1b3c4d5e6f?tab=reports')}`,
        '/reviews',
        '/%E6%B6%88%E6%81%AF',
      ]) {
        const res = await t.http().get(path).expect(200);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.text).toBe(INDEX);
        expectWebHeaders(res.headers);
        const head = await t.http().head(path).expect(200);
        expect(head.headers['content-type']).toMatch(/^text\/html/);
      }
    });

    it('hashed assets are cached for a year as immutable; other files are revalidated', async () => {
      const js = await t.http().get('/assets/index-Ab12Cd.js').expect(200);
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(js.headers['x-content-type-options']).toBe('nosniff');
      const css = await t.http().get('/assets/index-Ef34Gh.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
      expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const robots = await t.http().get('/robots.txt').expect(200);
      expect(robots.headers['cache-control']).toBe('no-cache');
      expect((await t.http().get('/index.html').expect(200)).headers['cache-control']).toBe('no-cache');
    });

    it('a missing asset is a 404, never index.html; so is a missing file with a static extension', async () => {
      for (const path of ['/assets/missing.js', '/assets/index-Old99.css', '/assets/', '/favicon.ico']) {
        const res = await t.http().get(path).expect(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body).toMatchObject({ code: 'NOT_FOUND', message: '请求的资源不存在' });
      }
    });

    it('hidden files and paths out of the build folder are never served', async () => {
      await t.http().get('/.vite/manifest.json').expect(404);
      for (const path of [
        '/..%2f..%2fpackage.json',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/assets/..%2f..%2findex.html',
      ]) {
        const res = await t.http().get(path);
        expect(res.text).not.toContain('"name"');
        expect(res.text).not.toContain('root:');
      }
    });

    it('the server paths keep their answers: JSON 404 in our shape, health, Swagger, Bull Board', async () => {
      for (const path of [
        '/api',
        '/api/v1/no-such-thing',
        '/api/v1/items/x/y/z',
        '/health/nope',
        '/admin/nope',
      ]) {
        const res = await t.http().get(path).expect(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.body).toEqual({
          code: 'NOT_FOUND',
          message: '请求的资源不存在',
          requestId: expect.any(String),
        });
      }
      await t.http().get('/health/live').expect(200);
      await t.http().get('/api/v1/auth/me').expect(401);
      const docs = await t.http().get('/api/docs').redirects(1).expect(200);
      expect(docs.text).toContain('swagger');
      // Swagger UI runs inline scripts: our page policy must not reach it.
      expect(docs.headers['content-security-policy']).toBeUndefined();
      await t.http().get('/admin/queues').expect(401);
      // Other methods than GET/HEAD on a page path are not the app's either.
      await t.http().post('/items/1').send({}).expect(404);
    });

    it('serves the precompressed copies the build step writes, to browsers that accept them', async () => {
      // As the web build writes them (web/scripts/build.mjs): next to the file, for files of 1 KB and more.
      const js = join(dist, 'assets', 'index-Ab12Cd.js');
      writeFileSync(`${js}.gz`, gzipSync(SCRIPT));
      writeFileSync(`${js}.br`, brotliCompressSync(SCRIPT));
      const fastify = t.app.getHttpAdapter().getInstance();
      // inject: no client that silently decompresses, so the bytes on the wire are checked.
      const br = await fastify.inject({
        url: '/assets/index-Ab12Cd.js',
        headers: { 'accept-encoding': 'gzip, br' },
      });
      expect(br.statusCode).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/javascript/);
      expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(br.headers.vary).toMatch(/accept-encoding/i);
      expect(br.rawPayload.length).toBeLessThan(SCRIPT.length / 4);
      expect(brotliDecompressSync(br.rawPayload).toString()).toBe(SCRIPT);
      const gz = await fastify.inject({
        url: '/assets/index-Ab12Cd.js',
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.rawPayload).toString()).toBe(SCRIPT);
      const plain = await fastify.inject({ url: '/assets/index-Ab12Cd.js' });
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.payload).toBe(SCRIPT);
      // A file without compressed copies is served as it is, whatever the browser accepts.
      const css = await fastify.inject({
        url: '/assets/index-Ef34Gh.css',
        headers: { 'accept-encoding': 'br' },
      });
      expect(css.headers['content-encoding']).toBeUndefined();
      expect(css.payload).toBe('body{margin:0}');
    });
  });

  describe('without a build', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ WEB_DIST_DIR: join(tmpdir(), 'duban-web-missing-build') });
    });
    afterAll(() => t.close());

    it('pages answer 503 with a Chinese note to build the web app; the API works on', async () => {
      for (const path of ['/', '/items/0b7c0e52-5a3c-4d2e-9d8f-2a1b3c4d5e6f']) {
        const res = await t.http().get(path).expect(503);
        expect(res.headers['content-type']).toMatch(/^text\/html/);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.text).toContain('网页端尚未构建');
        expect(res.text).toContain('npm run build:web');
      }
      await t.http().get('/assets/index-Ab12Cd.js').expect(404);
      await t.http().get('/health/live').expect(200);
      await t.http().get('/api/v1/nope').expect(404);
      await t.login('xxs.zhufeng1');
    });
  });
});
