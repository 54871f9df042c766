const { Client } = require('pg');
const fs = require('fs');
(async () => {
  const c = new Client({ connectionString: process.env.U });
  await c.connect();
  const params = JSON.parse(fs.readFileSync('/tmp/l3-params.json', 'utf8'));
  const files = process.argv.slice(2);
  const t = files.map(() => []);
  for (let i = 0; i < 80; i++) for (const [k, f] of files.entries()) {
    const s = process.hrtime.bigint(); await c.query({ name: 'q' + k, text: fs.readFileSync(f, 'utf8'), values: params }); t[k].push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  for (const [k, f] of files.entries()) { const a = t[k].sort((x, y) => x - y); console.log(f, 'min', a[0].toFixed(2), 'p25', a[20].toFixed(2), 'p50', a[40].toFixed(2)); }
  await c.end();
})();
