#!/bin/sh
# Start one Sentinel (official redis:7 image). Sentinel keeps its state (current master, epoch, the
# other Sentinels) in its configuration file: written once into the volume, then rewritten by Sentinel only.
# Usage: sentinel-start.sh <own host name> <first master host name>
set -eu
SELF="$1"; FIRST_MASTER="$2"
CONF=/data/sentinel.conf
if [ ! -f "$CONF" ]; then
  PASS="$(tr -d '\n' < /run/secrets/redis_password)"
  SPASS="$(tr -d '\n' < /run/secrets/sentinel_password)"
  {
    echo "port 26379"
    echo "dir /data"
    # Host names, not addresses: a recreated container gets a new address.
    echo "sentinel resolve-hostnames yes"
    echo "sentinel announce-hostnames yes"
    echo "sentinel announce-ip $SELF"
    # Quorum 2 of 3: one Sentinel (or its machine) down still allows a failover.
    echo "sentinel monitor duban $FIRST_MASTER 6379 2"
    echo "sentinel auth-pass duban $PASS"
    echo "sentinel down-after-milliseconds duban 5000"
    echo "sentinel failover-timeout duban 60000"
    echo "sentinel parallel-syncs duban 1"
    # The Sentinels' own password (REDIS_SENTINEL_PASSWORD of the apps), also used between Sentinels.
    echo "requirepass $SPASS"
    echo "sentinel sentinel-pass $SPASS"
  } > "$CONF"
  chown redis:redis "$CONF" && chmod 600 "$CONF"
fi
exec docker-entrypoint.sh redis-server "$CONF" --sentinel
