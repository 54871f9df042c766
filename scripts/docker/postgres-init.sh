#!/usr/bin/env bash
# First start of the compose PostgreSQL (docker-entrypoint-initdb.d, as the superuser): the two duban
# roles and the database. The owner owns the schema and runs migrations; the runtime role the API and
# the worker use owns nothing (grants: migrations/1763906000000-RuntimeRoleGrants.ts).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="${DUBAN_OWNER_PASSWORD:?}" -v app_password="${DUBAN_APP_PASSWORD:?}" <<'SQL'
CREATE ROLE duban LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE duban_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
CREATE DATABASE duban OWNER duban;
SQL
