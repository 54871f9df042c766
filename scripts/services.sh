#!/usr/bin/env bash
# Local PostgreSQL and Redis for duban, without Docker.
#   scripts/services.sh start|stop|status
# Data lives under .data/ (git-ignored). Both listen on 127.0.0.1 only. Idempotent: a second
# `start` finds them running. Ports: DUBAN_PG_PORT (55432), DUBAN_REDIS_PORT (56379), chosen
# away from the defaults so a system PostgreSQL/Redis on the same machine does not collide.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${DUBAN_DATA_DIR:-$ROOT/.data}"
PG_PORT="${DUBAN_PG_PORT:-55432}"
REDIS_PORT="${DUBAN_REDIS_PORT:-56379}"
PG_DATA="$DATA/pg"
PG_SOCK="$DATA/pg-run"
REDIS_DIR="$DATA/redis"
# Two roles (docs/ARCHITECTURE.md, "Database roles"): the owner runs migrations and owns the schema
# (CREATEDB: the tests clone databases); the runtime role the API and worker use owns nothing.
DB_USER="${DUBAN_DB_USER:-duban}"
DB_PASSWORD="${DUBAN_DB_PASSWORD:-duban}"
DB_APP_USER="${DUBAN_DB_APP_USER:-duban_app}"
DB_APP_PASSWORD="${DUBAN_DB_APP_PASSWORD:-duban_app}"
DB_NAME="${DUBAN_DB_NAME:-duban}"

say() { echo "[services] $*"; }
die() { echo "[services] 错误：$*" >&2; exit 1; }

find_pg_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/pg_ctl" ]; then echo "$PG_BIN"; return; fi
  for v in 17 16 15 14 13; do
    if [ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]; then echo "/usr/lib/postgresql/$v/bin"; return; fi
  done
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
  return 1
}

is_root() { [ "$(id -u)" = "0" ]; }

# PostgreSQL refuses to run as root: as root we run it as an unprivileged OS user.
PG_OS_USER=""
as_pg() {
  if [ -n "$PG_OS_USER" ]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

ensure_pg_user() {
  is_root || return 0
  PG_OS_USER="${DUBAN_PG_OS_USER:-}"
  if [ -z "$PG_OS_USER" ]; then
    if id postgres >/dev/null 2>&1; then PG_OS_USER=postgres; else PG_OS_USER=duban-pg; fi
  fi
  if ! id "$PG_OS_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_OS_USER" || die "无法创建系统用户 $PG_OS_USER"
  fi
  # The unprivileged user must be able to reach $DATA; make each parent traversable (x only).
  local d="$DATA"
  while [ "$d" != "/" ]; do
    d="$(dirname "$d")"
    if ! runuser -u "$PG_OS_USER" -- test -x "$d" 2>/dev/null; then chmod o+x "$d"; fi
  done
}

ensure_pg_installed() {
  if ! PGB="$(find_pg_bin)"; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
      say "未找到 PostgreSQL，正在用 apt-get 安装 postgresql ..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      PGB="$(find_pg_bin)" || die "PostgreSQL 安装后仍未找到 pg_ctl"
    else
      die "未找到 PostgreSQL（需要 13 以上版本的服务端程序 pg_ctl/initdb）。请安装，例如：sudo apt-get install postgresql"
    fi
  fi
}

pg_running() { as_pg "$PGB/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

psql_super() { as_pg "$PGB/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

start_pg() {
  ensure_pg_installed
  ensure_pg_user
  mkdir -p "$DATA"
  if [ ! -s "$PG_DATA/PG_VERSION" ]; then
    say "初始化 PostgreSQL 数据目录 $PG_DATA"
    mkdir -p "$PG_DATA" "$PG_SOCK"
    [ -n "$PG_OS_USER" ] && chown "$PG_OS_USER" "$PG_DATA" "$PG_SOCK"
    chmod 700 "$PG_DATA"
    as_pg "$PGB/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
      || as_pg "$PGB/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C >/dev/null
    cat >>"$PG_DATA/postgresql.conf" <<CONF
# duban local settings
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 256MB
jit = off
fsync = on
timezone = 'UTC'
log_min_messages = warning
CONF
  fi
  mkdir -p "$PG_SOCK"; [ -n "$PG_OS_USER" ] && chown "$PG_OS_USER" "$PG_SOCK"
  if pg_running; then
    say "PostgreSQL 已在运行（127.0.0.1:$PG_PORT）"
  else
    if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null; then
      die "端口 $PG_PORT 已被其他程序占用（也许是另一个 duban 目录的数据库）。请停止它，或设置 DUBAN_PG_PORT 换一个端口"
    fi
    say "启动 PostgreSQL（127.0.0.1:$PG_PORT）"
    as_pg "$PGB/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $PG_SOCK" start >/dev/null || { tail -20 "$PG_DATA/server.log" >&2; die "PostgreSQL 启动失败"; }
  fi
  # Owner and runtime roles and the database (idempotent).
  if [ "$(psql_super -d postgres -c "select 1 from pg_roles where rolname='$DB_USER'")" != "1" ]; then
    psql_super -d postgres -c "create role \"$DB_USER\" login createdb password '$DB_PASSWORD'"
  fi
  if [ "$(psql_super -d postgres -c "select 1 from pg_roles where rolname='$DB_APP_USER'")" != "1" ]; then
    psql_super -d postgres -c "create role \"$DB_APP_USER\" login nosuperuser nocreatedb nocreaterole noinherit password '$DB_APP_PASSWORD'"
  fi
  # Lets the owner end the runtime role's leftover sessions (DROP DATABASE … WITH (FORCE) of test clones).
  psql_super -d postgres -c "grant pg_signal_backend to \"$DB_USER\"" 2>/dev/null || true
  if [ "$(psql_super -d postgres -c "select 1 from pg_database where datname='$DB_NAME'")" != "1" ]; then
    psql_super -d postgres -c "create database \"$DB_NAME\" owner \"$DB_USER\""
  fi
}

stop_pg() {
  PGB="$(find_pg_bin)" || return 0
  ensure_pg_user
  [ -s "$PG_DATA/PG_VERSION" ] || return 0
  if pg_running; then
    say "停止 PostgreSQL"
    as_pg "$PGB/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
  else
    say "PostgreSQL 未运行"
  fi
}

ensure_redis_installed() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
      say "未找到 redis-server，正在用 apt-get 安装 ..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
      command -v redis-server >/dev/null 2>&1 || die "redis-server 安装失败"
    else
      die "未找到 redis-server（需要 6.2 以上版本）。请安装，例如：sudo apt-get install redis-server"
    fi
  fi
}

redis_running() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

start_redis() {
  ensure_redis_installed
  mkdir -p "$REDIS_DIR"
  if redis_running; then
    say "Redis 已在运行（127.0.0.1:$REDIS_PORT）"
    return
  fi
  say "启动 Redis（127.0.0.1:$REDIS_PORT）"
  # AOF everysec + noeviction: what BullMQ needs to keep jobs across restarts and never drop keys.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save "" >/dev/null
  for _ in $(seq 1 50); do redis_running && return 0; sleep 0.1; done
  tail -20 "$REDIS_DIR/redis.log" >&2 || true
  die "Redis 启动失败"
}

stop_redis() {
  if command -v redis-cli >/dev/null 2>&1 && redis_running; then
    say "停止 Redis"
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  else
    say "Redis 未运行"
  fi
}

status() {
  PGB="$(find_pg_bin || true)"
  ensure_pg_user
  if [ -n "$PGB" ] && [ -s "$PG_DATA/PG_VERSION" ] && pg_running; then say "PostgreSQL：运行中 127.0.0.1:$PG_PORT"; else say "PostgreSQL：未运行"; fi
  if command -v redis-cli >/dev/null 2>&1 && redis_running; then say "Redis：运行中 127.0.0.1:$REDIS_PORT"; else say "Redis：未运行"; fi
}

case "${1:-}" in
  start) start_pg; start_redis ;;
  stop) stop_pg; stop_redis ;;
  status) status ;;
  *) echo "用法：$0 start|stop|status" >&2; exit 2 ;;
esac
