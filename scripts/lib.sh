# Shared helpers for the demo and test scripts (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { echo "[duban] $*"; }
fail() { echo "[duban] 错误：$*" >&2; exit 1; }

require_node() {
  command -v node >/dev/null 2>&1 || fail "需要 Node.js 20 或更高版本（未找到 node）"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || fail "需要 Node.js 20 或更高版本（当前 $(node -v)）"
}

# Installs dependencies when node_modules is missing or older than the lock file.
ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "安装依赖（npm install）..."
    # Not `npm ci`: npm 11 leaves other platforms' optional binaries out of the lock file, which
    # `npm ci` then rejects as out of sync. `install --no-save` follows the lock and adds only those.
    npm install --no-save --no-audit --no-fund --loglevel=error
  fi
}

build() {
  log "编译（nest build）..."
  npx --no-install nest build >/dev/null
}

# Local defaults from .env.example, then the developer's .env, then what the shell already set.
load_env() {
  local saved
  saved="$(export -p)"
  set -a
  # shellcheck disable=SC1091
  . ./.env.example
  [ -f .env ] && . ./.env
  set +a
  # The caller's environment wins over both files. `export -p` prints `declare -x`, which inside a
  # function declares locals (the restore vanished on return): make them global.
  eval "${saved//declare -x /declare -gx }"
}
