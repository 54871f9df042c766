#!/usr/bin/env bash
# Entrypoint of the streaming replica (official postgres:15 image, run as root): on an empty volume,
# clone the primary with pg_basebackup (-S: the slot the primary's init script created) and make it
# a standby (standby.signal, primary_conninfo), then hand over to the image's own entrypoint, which finds an
# initialized data directory and just starts the server as a hot standby.
set -euo pipefail
: "${PGDATA:?}" "${PRIMARY_HOST:?}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -p 5432 -q; do echo "waiting for $PRIMARY_HOST"; sleep 2; done
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  PASSWORD="$(tr -d '\n' < /run/secrets/replication_password)"
  # The password reaches pg_basebackup through a passfile, not the command line.
  install -m 600 -o postgres -g postgres /dev/null /tmp/.pgpass
  printf '%s:5432:*:replicator:%s\n' "$PRIMARY_HOST" "$PASSWORD" > /tmp/.pgpass
  gosu postgres env PGPASSFILE=/tmp/.pgpass \
    pg_basebackup -h "$PRIMARY_HOST" -p 5432 -U replicator -D "$PGDATA" -X stream -S replica1 -P
  rm -f /tmp/.pgpass
  # Standby settings written here rather than by -R, so they do not point at the deleted passfile.
  # postgresql.auto.conf is mode 0600 inside the data directory. (Passwords: no single quotes; secrets/README.md.)
  gosu postgres touch "$PGDATA/standby.signal"
  gosu postgres sh -c "cat >> '$PGDATA/postgresql.auto.conf'" <<CONF
primary_conninfo = 'host=$PRIMARY_HOST port=5432 user=replicator password=$PASSWORD application_name=replica1'
primary_slot_name = 'replica1'
CONF
fi
exec docker-entrypoint.sh "$@"
