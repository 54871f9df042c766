const { Client } = require('pg');
const fs = require('fs');
(async () => {
  const c = new Client({ connectionString: process.env.U });
  await c.connect();
  const sql = fs.readFileSync(process.argv[2] || '/tmp/l3-rows.sql', 'utf8');
  const params = JSON.parse(fs.readFileSync('/tmp/l3-params.json', 'utf8'));
  const t = [];
  for (let i = 0; i < 60; i++) { const s = process.hrtime.bigint(); await c.query({ name: 'x', text: sql, values: params }); t.push(Number(process.hrtime.bigint() - s) / 1e6); }
  t.sort((a, b) => a - b);
  console.log('p50', t[30].toFixed(2), 'p90', t[54].toFixed(2));
  const e = await c.query('EXPLAIN (ANALYZE, BUFFERS) ' + sql, params);
  console.log(e.rows.map(r => r['QUERY PLAN']).join('\n'));
  await c.end();
})();
