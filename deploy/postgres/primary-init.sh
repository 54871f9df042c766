#!/usr/bin/env bash
# First start of the primary's empty volume (docker-entrypoint-initdb.d, as the superuser): duban's two
# roles and database (as scripts/docker/postgres-init.sh), the replication role, the replica's slot and
# the pg_hba line that lets it connect. Passwords come from the mounted secret files, never from git.
set -euo pipefail
secret() { tr -d '\n' < "/run/secrets/$1"; }
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$(secret duban_owner_password)" \
  -v app_password="$(secret duban_app_password)" \
  -v replication_password="$(secret replication_password)" <<'SQL'
CREATE ROLE duban LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE duban_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
CREATE DATABASE duban OWNER duban;
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'replication_password';
-- A physical slot keeps the WAL the replica has not received yet (bounded by max_slot_wal_keep_size).
SELECT pg_create_physical_replication_slot('replica1');
SQL
# Replication connections do not match the image's "host all all all" line.
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
