#!/usr/bin/env bash
# The whole test suite: lint, type check, unit tests, then e2e tests against real PostgreSQL
# and Redis that this script starts itself (scripts/services.sh), and browser tests (test/browser,
# Debian's chromium, installed here with apt-get when missing). Prints one closing line:
# "tests: N passed, N failed".
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_node
ensure_deps
ensure_chromium
bash scripts/services.sh start
build
mkdir -p .run

log "代码检查（eslint + prettier）与类型检查（tsc）..."
npm run --silent lint
npx --no-install tsc --noEmit -p tsconfig.json

log "单元测试与端到端测试（jest）..."
set +e
npx --no-install jest --ci --maxWorkers=2 --json --outputFile=.run/jest-results.json
rc=$?
set -e
node -e '
const r = require("./.run/jest-results.json");
const failedSuites = r.numFailedTestSuites + (r.numRuntimeErrorTestSuites || 0);
console.log(`suites: ${r.numPassedTestSuites} passed, ${failedSuites} failed`);
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' || true
exit "$rc"
