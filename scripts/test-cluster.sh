#!/usr/bin/env bash
# The cluster test (`npm run test:cluster`, issue 18): the whole system on real components on this machine,
# on free loopback ports — PostgreSQL primary + streaming replica, Redis master + replica + 3 Sentinels,
# nginx in front of 2 API processes, 2 workers, Prometheus scraping every /metrics (test/cluster/cluster.ts).
# Separate from `npm test` (its own budget, a few minutes); CI runs both (.ci/run). Needs Debian's nginx,
# redis-sentinel and prometheus (installed with apt-get when missing), PostgreSQL and redis-server.
# Everything it starts is killed at the end, on failure too.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_node
ensure_deps
ensure_redis_sentinel
ensure_nginx
ensure_prometheus
log "编译（nest build）..."
npx --no-install nest build >/dev/null
mkdir -p .data .run

log "集群测试（PostgreSQL 主从、Redis 哨兵、nginx + 2 个 API、2 个 worker、Prometheus）..."
# One file, one jest process: the cluster's own exit hook (and stop() in afterAll) kills what it started.
npx --no-install jest --ci --runInBand --selectProjects cluster --forceExit
