#!/usr/bin/env bash
# The PostgreSQL tests (test/data-sources/postgres.test.ts): starts a throwaway PostgreSQL cluster
# in a temporary folder, runs the tests against it (they load the fixture data sets, read them
# back and run the grouped-sums queries), then stops the server and deletes the folder.
# Needs Debian's PostgreSQL server: apt-get install postgresql. Run as root, the server runs as
# the `postgres` user (PostgreSQL refuses to run as root).
#
#     bash scripts/postgres-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "postgres-test: no PostgreSQL server found (apt-get install postgresql)" >&2
  exit 1
fi
DIR=$(mktemp -d)
AS=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$DIR"
  AS=(runuser -u postgres --)
fi
stop() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT
PORT=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')

"${AS[@]}" "$BIN/initdb" -D "$DIR/data" --auth=trust --username=bayes --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 ||
  { cat "$DIR/initdb.log" >&2; exit 1; }
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null ||
  { cat "$DIR/server.log" >&2; exit 1; }
echo "== PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

BAYES_LMM_POSTGRES_URL="postgresql://bayes@127.0.0.1:$PORT/postgres" \
  npx --no-install vitest run test/data-sources/postgres.test.ts
