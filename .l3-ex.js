const { Client } = require('pg');
const fs = require('fs');
(async () => {
  const c = new Client({ connectionString: process.env.U });
  await c.connect();
  const params = JSON.parse(fs.readFileSync('/tmp/l3-params.json', 'utf8'));
  const sql = fs.readFileSync(process.argv[2], 'utf8');
  let e;
  for (let i = 0; i < 5; i++) e = await c.query('EXPLAIN (ANALYZE) ' + sql, params);
  console.log(e.rows.map(r => r['QUERY PLAN']).filter(l => /actual|Time/.test(l)).map(l => l.slice(0, 170)).join('\n'));
  await c.end();
})();
