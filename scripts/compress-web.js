#!/usr/bin/env node
// Writes `<file>.gz` and `<file>.br` next to each script, style sheet and other text file of the web
// build's assets/ (content-hashed names, so a compressed copy can never go stale), for the API to serve
// to browsers that accept them (src/core/http/web-app.ts). Nothing is compressed per request.
// Usage: node scripts/compress-web.js [dist folder, default web/dist]
'use strict';
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const zlib = require('node:zlib');

const COMPRESSIBLE = /\.(m?js|css|html|svg|json|txt|wasm)$/i;
const MIN_BYTES = 1024;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

function compress(dist) {
  const assets = join(dist, 'assets');
  let count = 0;
  let raw = 0;
  let gz = 0;
  let br = 0;
  for (const path of files(assets)) {
    if (!COMPRESSIBLE.test(path) || statSync(path).size < MIN_BYTES) continue;
    const data = readFileSync(path);
    const gzipped = zlib.gzipSync(data, { level: 9 });
    const brotli = zlib.brotliCompressSync(data, {
      params: {
        // 9, not 11: nearly as small and several times faster on a build machine's CPU.
        [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    writeFileSync(`${path}.gz`, gzipped);
    writeFileSync(`${path}.br`, brotli);
    count += 1;
    raw += data.length;
    gz += gzipped.length;
    br += brotli.length;
  }
  return { count, raw, gz, br };
}

if (require.main === module) {
  const dist = resolve(process.argv[2] || join(__dirname, '..', 'web', 'dist'));
  try {
    statSync(join(dist, 'assets'));
  } catch {
    console.error(`[duban] 错误：未找到网页端构建的 assets 目录：${dist}/assets`);
    process.exit(1);
  }
  const { count, raw, gz, br } = compress(dist);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`[duban] 预压缩 ${count} 个文件：${kb(raw)} → gzip ${kb(gz)}，brotli ${kb(br)}`);
}

module.exports = { compress };
