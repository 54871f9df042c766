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

# The API (dist/), then the web app (web/dist/, served by the API at /; its build reads the OpenAPI
# document from dist/ and prints the initial JS size).
build() {
  log "编译（nest build）..."
  npx --no-install nest build >/dev/null
  log "构建网页端（npm run build:web）..."
  npm run --silent build:web
}

# Installs Debian packages the test command needs (apt-get, as root or through sudo), or stops with a
# message naming them and `purpose` (what needs them, in Chinese).
apt_install() {
  local purpose="$1"
  shift
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "${purpose}需要 $*，请以 root 身份运行：apt-get install -y $*"
    sudo=(sudo)
  fi
  command -v apt-get >/dev/null 2>&1 || fail "${purpose}需要 $*，本机没有 apt-get，请手动安装"
  log "安装${purpose}所需的软件包：$*（apt-get）..."
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }; then
    fail "无法安装 $*（apt-get 失败），${purpose}无法运行；请手动安装后重试"
  fi
}

# Debian's chromium and CJK fonts for the browser tests (playwright-core drives them; nothing downloads
# a browser). Installed with apt-get when missing; CHROMIUM_PATH names another browser instead.
ensure_chromium() {
  local browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
  local packages=()
  [ -x "$browser" ] || packages+=(chromium)
  if command -v fc-list >/dev/null 2>&1; then
    fc-list :lang=zh family 2>/dev/null | grep -q . || packages+=(fonts-noto-cjk)
  else
    dpkg -s fonts-noto-cjk >/dev/null 2>&1 || packages+=(fonts-noto-cjk)
  fi
  [ "${#packages[@]}" -eq 0 ] && return 0
  if [ -n "${CHROMIUM_PATH:-}" ] && [ ! -x "$browser" ]; then
    fail "CHROMIUM_PATH 指向的浏览器不存在或不可执行：$browser"
  fi
  apt_install "浏览器测试" "${packages[@]}"
  [ -x "$browser" ] || fail "安装后仍未找到浏览器 $browser"
}

# promtool (Debian's prometheus package) validates deploy/prometheus in the e2e tests.
ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  apt_install "部署配置测试（promtool）" prometheus
  command -v promtool >/dev/null 2>&1 || fail "安装后仍未找到 promtool"
}

# Debian's redis-sentinel for the Sentinel failover test (test/e2e/redis-sentinel.e2e-spec.ts: a
# master, a replica and three Sentinels of its own). Installed with apt-get when missing.
ensure_redis_sentinel() {
  command -v redis-sentinel >/dev/null 2>&1 && return 0
  # Debian's package starts a system-wide Sentinel on 26379; the test starts its own on free ports.
  apt_install "Redis 哨兵测试" redis-sentinel
  command -v redis-sentinel >/dev/null 2>&1 || fail "安装后仍未找到 redis-sentinel"
}

# Debian's nginx for the cluster test (scripts/test-cluster.sh): run there as a child on a free port with a
# configuration of its own. nginx-light when the full package is not wanted; Debian's package enables a
# system-wide nginx on port 80 at install, which the test neither needs nor touches.
ensure_nginx() {
  if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then return 0; fi
  apt_install "集群测试（nginx）" nginx-light
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then fail "安装后仍未找到 nginx"; fi
}

# Debian's prometheus (the server, not only promtool) for the cluster test's scrapes of every /metrics.
ensure_prometheus() {
  command -v prometheus >/dev/null 2>&1 && return 0
  apt_install "集群测试（Prometheus）" prometheus
  command -v prometheus >/dev/null 2>&1 || fail "安装后仍未找到 prometheus"
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
