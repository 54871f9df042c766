#!/usr/bin/env bash
# One command from a fresh clone to a running duban: dependencies, local PostgreSQL and Redis,
# migrations, the 2022 demo data, then the API and one worker. Ctrl-C stops both processes
# (the databases keep running; `npm run services:stop` stops them).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_node
ensure_deps
bash scripts/services.sh start
build
load_env
mkdir -p .run

PORT="${PORT:-3000}"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  fail "端口 $PORT 已被占用（可能已有一个 duban 在运行）。请先停止它，或用 PORT=3001 npm run demo"
fi

log "数据库迁移（所有者角色）..."
node dist/src/main.cli.js migrate
log "载入演示数据（运行时角色）..."
node dist/src/main.cli.js seed
# A demo set up before evidence moved into PostgreSQL keeps its files on disk: copy them over (idempotent,
# hash-checked) so their downloads keep working; the disk copy stays.
evidence_dir="${EVIDENCE_DIR:-.data/evidence}"
if [ "${EVIDENCE_STORAGE:-postgres}" = postgres ] &&
  [ -n "$(find "$evidence_dir" -mindepth 2 -maxdepth 2 -type f -path "$evidence_dir/[0-9a-f][0-9a-f]/*" 2>/dev/null | head -1)" ]; then
  log "把磁盘上的佐证材料复制到数据库（$evidence_dir）..."
  node dist/src/main.cli.js evidence:copy --from disk --to postgres ||
    log "部分佐证材料未能复制（见上方输出），其余功能不受影响"
fi
# As in production: migrated above by the owner, the API and the worker get only the runtime role.
export MIGRATIONS_RUN=false
unset MIGRATION_DATABASE_URL

pids=()
cleanup() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    log "正在停止 API 和 worker ..."
    kill -TERM "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 0' INT TERM

node dist/src/main.api.js >>.run/api.log 2>&1 &
pids+=($!)
node --max-old-space-size=192 dist/src/main.worker.js >>.run/worker.log 2>&1 &
pids+=($!)

URL="http://127.0.0.1:$PORT"
for _ in $(seq 1 60); do
  if curl -fsS "$URL/health/ready" >/dev/null 2>&1; then break; fi
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { tail -20 .run/api.log .run/worker.log >&2; fail "进程意外退出，日志见 .run/"; }; done
  sleep 1
done
curl -fsS "$URL/health/ready" >/dev/null || fail "API 未在 60 秒内就绪，日志见 .run/api.log"

# The business clock as the API and the worker read it (DUBAN_NOW, or where `clock advance` left it).
CLOCK="$(node dist/src/main.cli.js clock 2>/dev/null | head -1 || true)"
node -e '
const { readOrganizations } = require("./dist/seeds");
const rows = readOrganizations().flatMap((o) => o.users.map((u) => [u.username, u.roles.join(","), u.title ?? u.name, o.name]));
console.log("");
console.log("督办 duban 已启动，用浏览器打开：'"$URL"'/");
console.log("接口文档：'"$URL"'/api/docs");
console.log('"'${CLOCK:-业务时钟：未知}'"');
console.log("让时间流动：npm run clock -- advance 1d（或 advance 3wd、advance-to 2022-06-20，见 README“让时间流动”）");
console.log("演示账号（共 " + rows.length + " 个，密码均为 '"$DEMO_PASSWORD"'）：");
// Columns as wide as their longest entry, so a long username never runs into its roles.
const w = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)) + 2);
for (const r of rows) console.log("  " + r[0].padEnd(w[0]) + r[1].padEnd(w[1]) + r[2] + " · " + r[3]);
console.log("");
console.log("日志：.run/api.log  .run/worker.log    按 Ctrl-C 停止");
'
wait -n "${pids[@]}" || true
fail "API 或 worker 已退出，日志见 .run/"
