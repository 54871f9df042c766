#!/usr/bin/env bash
# The whole test suite: lint, type check, unit tests, then e2e tests against real PostgreSQL
# and Redis that this script starts itself (scripts/services.sh), and browser tests (test/browser,
# Debian's chromium, installed here with apt-get when missing; promtool for deploy/prometheus and
# redis-sentinel for the Sentinel failover test likewise). Prints one closing line:
# "tests: N passed, N failed".
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_node
ensure_deps
ensure_chromium
ensure_promtool
ensure_redis_sentinel
bash scripts/services.sh start
build
mkdir -p .run

log "代码检查（eslint + prettier）与类型检查（tsc）..."
npm run --silent lint
npx --no-install tsc --noEmit -p tsconfig.json

log "单元测试与端到端测试（jest）..."
set +e
# Two rounds: the browser tests (a chromium and a full system each) run on their own, after the rest,
# so they never compete with the fault and load tests for this machine's two cores.
npx --no-install jest --ci --maxWorkers=2 --selectProjects unit e2e --testPathIgnorePatterns '/test/browser/' --json \
  --outputFile=.run/jest-results.json
rc=$?
log "浏览器测试（chromium）..."
npx --no-install jest --ci --runInBand --selectProjects e2e --testPathPatterns '/test/browser/' --json \
  --outputFile=.run/jest-browser-results.json
rc_browser=$?
set -e
node -e '
const runs = [".run/jest-results.json", ".run/jest-browser-results.json"].map((f) => require("./" + f));
const sum = (k) => runs.reduce((n, r) => n + (r[k] || 0), 0);
const failedSuites = sum("numFailedTestSuites") + sum("numRuntimeErrorTestSuites");
console.log(`suites: ${sum("numPassedTestSuites")} passed, ${failedSuites} failed`);
console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests")} skipped`);
' || true
[ "$rc" -eq 0 ] && [ "$rc_browser" -eq 0 ]
