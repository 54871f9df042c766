#!/bin/sh
# Start one Redis server of the Sentinel group (official redis:7 image). Its configuration is written
# once into the data volume and owned by Redis from then on: Sentinel rewrites the role of each server
# (CONFIG REWRITE) at a failover, and a restart must keep that role instead of going back to the first one.
# Usage: redis-start.sh <own host name> [<master host name to replicate at first start>]
set -eu
SELF="$1"; FIRST_MASTER="${2:-}"
CONF=/data/redis.conf
if [ ! -f "$CONF" ]; then
  PASS="$(tr -d '\n' < /run/secrets/redis_password)"
  {
    echo "port 6379"
    echo "dir /data"
    # AOF, fsync once a second: a crash loses at most about a second of queue writes (README, "Redis in production").
    echo "appendonly yes"
    echo "appendfsync everysec"
    # The only policy under which BullMQ is correct: memory pressure becomes errors, never evicted jobs.
    echo "maxmemory-policy noeviction"
    echo "maxmemory ${REDIS_MAXMEMORY:-1gb}"
    echo "requirepass $PASS"
    echo "masterauth $PASS"
    # Containers change address when recreated: announce the stable service name instead.
    echo "replica-announce-ip $SELF"
    if [ -n "$FIRST_MASTER" ]; then echo "replicaof $FIRST_MASTER 6379"; fi
  } > "$CONF"
  chown redis:redis "$CONF" && chmod 600 "$CONF"
fi
exec docker-entrypoint.sh redis-server "$CONF"
