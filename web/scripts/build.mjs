// Builds the web app into web/dist: OpenAPI document from the compiled API (no database needed) → typed
// client (openapi-typescript) → type check (tsc) → vite build → precompressed copies → initial-JS budget.
// Run after `nest build` (the document comes from dist/src/main.openapi.js). Usage: npm run build:web
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(web, '..');
const dist = join(web, 'dist');
const BUDGET_KB = 500;

function step(label, fn) {
  const t = Date.now();
  fn();
  console.log(`[web] ${label}（${((Date.now() - t) / 1000).toFixed(1)} 秒）`);
}
function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
}
const bin = (name) => join(root, 'node_modules', '.bin', name);

const openapiJs = join(root, 'dist', 'src', 'main.openapi.js');
if (!existsSync(openapiJs)) {
  console.error('[web] 错误：未找到 dist/src/main.openapi.js，请先运行 nest build（npm run build）');
  process.exit(1);
}
step('生成 OpenAPI 文档', () => run(process.execPath, [openapiJs, join(web, 'src/api/openapi.json')]));
step('生成类型化客户端', () =>
  run(bin('openapi-typescript'), [join(web, 'src/api/openapi.json'), '-o', join(web, 'src/api/schema.d.ts'), '--silent']),
);
step('类型检查', () => run(bin('tsc'), ['-p', join(web, 'tsconfig.json')]));
step('打包（vite）', () => run(bin('vite'), ['build', '--config', join(web, 'vite.config.mts'), '--logLevel', 'warn']));

// Precompressed siblings: the API serves .br/.gz when the browser accepts them (no compression per request).
function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}
step('预压缩（br、gzip）', () => {
  for (const file of walk(dist)) {
    if (!/\.(js|css|html|svg|json)$/.test(file) || file.includes(`${join('.vite', '')}`)) continue;
    const body = readFileSync(file);
    if (body.length < 1024) continue;
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
});

// The initial load: index.html's entry chunk and every chunk it imports statically (lazy pages excluded).
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const entry = Object.values(manifest).find((c) => c.isEntry);
const seen = new Set();
const stack = [entry];
while (stack.length) {
  const chunk = stack.pop();
  if (!chunk || seen.has(chunk.file)) continue;
  seen.add(chunk.file);
  for (const css of chunk.css ?? []) seen.add(css);
  for (const key of chunk.imports ?? []) stack.push(manifest[key]);
}
let js = 0;
let css = 0;
for (const file of seen) {
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  if (file.endsWith('.js')) js += size;
  else css += size;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `[web] 首屏 JS（gzip）：${kb(js)} KB（上限 ${BUDGET_KB} KB），CSS ${kb(css)} KB；${seen.size} 个文件：${[...seen]
    .map((f) => relative('', f))
    .join(', ')}`,
);
if (js > BUDGET_KB * 1024) {
  console.error(`[web] 错误：首屏 JS ${kb(js)} KB 超过上限 ${BUDGET_KB} KB：请把页面改为按需加载`);
  process.exit(1);
}
