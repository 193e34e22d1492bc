# Source this file: starts a throw-away PostgreSQL 15 server for the service tests and
# exports ACCORD_TEST_POSTGRES_URL; the server is stopped and its folder removed on exit.
# Runs initdb/pg_ctl as the `postgres` user when we are root (PostgreSQL refuses root).

pg_bin=${ACCORD_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$pg_bin/initdb" ]; then
    echo "PostgreSQL 15 not found in $pg_bin" >&2
    return 1 2>/dev/null || exit 1
fi
pg_dir=$(mktemp -d /tmp/accord-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$(id -u)" = 0 ]; then
    chown postgres "$pg_dir"
    as_pg() { runuser -u postgres -- "$@"; }
    pg_user=postgres
else
    as_pg() { "$@"; }
    pg_user=$(id -un)
fi
as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U "$pg_user" --auth=trust -E UTF8 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=on -c max_connections=300" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; exit 1; }
stop_postgres() {
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}
trap stop_postgres EXIT
export ACCORD_TEST_POSTGRES_URL="postgresql://$pg_user@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL 15 for the service tests on 127.0.0.1:$pg_port" >&2
