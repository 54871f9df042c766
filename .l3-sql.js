// prints the rows statement for a demo page
const { Client } = require('pg');
const { ItemsRepository } = require('/work/wt-19list3/dist/src/modules/plans/items.repository.js');
(async () => {
  const c = new Client({ connectionString: process.env.MIGRATION_DATABASE_URL });
  await c.connect();
  const ids = (await c.query(`SELECT id, organization_id FROM items WHERE status IN ('in_progress','assigned') ORDER BY id LIMIT 50`)).rows;
  const r = Object.create(ItemsRepository.prototype);
  const { sql, params } = r.extrasStatement(ids[0].organization_id, ids.map(x => x.id), undefined, true);
  const fs = require('fs');
  fs.writeFileSync('/tmp/l3-rows.sql', sql);
  fs.writeFileSync('/tmp/l3-params.json', JSON.stringify(params));
  for (let i = 0; i < 3; i++) await c.query(sql, params);
  const e = await c.query('EXPLAIN (ANALYZE, BUFFERS) ' + sql, params);
  console.log(e.rows.map(r => r['QUERY PLAN']).join('\n'));
  await c.end();
})();
