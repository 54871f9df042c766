import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';

import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';

import { AppConfig } from '../config/app-config';
import { frameworkErrors } from './input-guards';

/** Paths the server answers itself: never the web app's index.html, a JSON 404 when nothing matches. */
const SERVER_PREFIXES = ['/api', '/health', '/admin'];

/**
 * Files a browser loads as code, styles, images or fonts: when missing they are a 404, never index.html
 * (a script answered with HTML fails with a confusing syntax error instead of a plain 404).
 */
const STATIC_FILE =
  /\.(m?js|css|map|json|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf|txt|webmanifest|wasm)$/i;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/**
 * For the web app's responses (HTML and its files). antd injects its styles at run time, hence
 * 'unsafe-inline' for styles only; scripts come from our own origin and nowhere else.
 */
export const WEB_SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
};

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>督办 · 网页端尚未构建</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#333;line-height:1.6}code{background:#f3f3f3;padding:.1rem .3rem}</style>
</head><body>
<h1>网页端尚未构建</h1>
<p>服务器上没有找到网页端的构建结果，请在项目目录运行 <code>npm run build:web</code>（<code>npm run demo</code> 会自动构建），然后刷新本页。</p>
<p>接口不受影响：<a href="/api/docs">/api/docs</a>。</p>
</body></html>
`;

function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/** The regular file `pathname` names inside `root`, or undefined (missing, a folder, outside, a dotfile). */
async function fileIn(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const full = resolve(root, `.${decoded}`);
  const rel = relative(root, full);
  if (!rel || rel.startsWith('..') || rel.split(sep).some((part) => part.startsWith('.'))) return undefined;
  try {
    return (await stat(full)).isFile() ? rel.split(sep).join('/') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The web app at `/`: its build's files (hashed assets cached for a year, everything else revalidated),
 * and index.html for every other GET so that deep links such as /items/<id> work on reload. /api,
 * /health and /admin stay the server's: an unknown path there is the usual JSON 404. Without a build
 * the pages answer 503 with a short note and the API works on. Gzip/brotli: the copies the web build
 * writes next to each file (`.br`, `.gz`; web/scripts/build.mjs) when the browser accepts them; nothing
 * is compressed per request.
 */
export async function mountWebApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const root = config.web.distDir;
  const logger = new Logger('WebApp');
  if (!existsSync(resolve(root, 'index.html'))) {
    logger.warn(`未找到网页端构建（${root}/index.html）：页面将返回 503，请运行 npm run build:web`);
  }
  const fastify = app.getHttpAdapter().getInstance();
  const maxParamLength = fastify.initialConfig.maxParamLength ?? 100;
  await fastify.register(async (scope) => {
    // serve: false, so no route of its own: only reply.sendFile (ETag, Last-Modified, ranges,
    // precompressed variants). Our handler decides what is a file and what is the app's page.
    await scope.register(fastifyStatic, {
      serve: false,
      decorateReply: true,
      preCompressed: true,
      cacheControl: false,
      etag: true,
      lastModified: true,
    });
    const page = (reply: FastifyReply, file: string, cacheControl: string) =>
      reply.headers(WEB_SECURITY_HEADERS).header('cache-control', cacheControl).sendFile(file, root);

    scope.route({
      method: ['GET', 'HEAD'],
      url: '/*',
      handler: async (request, reply) => {
        const pathname = request.url.split('?')[0];
        if (isServerPath(pathname)) {
          // The router would have answered 414 for an over-long id in an API path had this wildcard not
          // been there to fall back to: keep that answer.
          if (pathname.split('/').some((segment) => segment.length > maxParamLength))
            return frameworkErrors(
              Object.assign(new Error('URI too long'), { statusCode: 414 }),
              request,
              reply,
            );
          return reply.callNotFound();
        }
        const file = await fileIn(root, pathname);
        if (file) return page(reply, file, file.startsWith('assets/') ? IMMUTABLE : REVALIDATE);
        if (pathname.startsWith('/assets/') || STATIC_FILE.test(pathname)) return reply.callNotFound();
        if (!(await fileIn(root, '/index.html'))) {
          return reply
            .code(503)
            .headers(WEB_SECURITY_HEADERS)
            .header('cache-control', 'no-store')
            .header('retry-after', '60')
            .type('text/html; charset=utf-8')
            .send(NOT_BUILT_PAGE);
        }
        return page(reply, 'index.html', REVALIDATE);
      },
    });
  });
}
