#!/usr/bin/env bash
# The quick start: edit the example schema, generate a migration for the
# edit, and apply it, all against a throwaway embedded PostgreSQL.
# Run from the repository root: make example
set -euo pipefail
cd "$(dirname "$0")/../.."
work=.example-run
rm -rf "$work" && mkdir -p "$work"
# Work on a copy inside the module, so the copied migrations package compiles.
cp -r examples/shop "$work/shop"
go build -o "$work/schemadiff" ./cmd/schemadiff
sd="$work/schemadiff"

"$sd" dev-server >"$work/url" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/url" ] && break; sleep 0.1; done
db=$(cat "$work/url")

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step "1. apply the committed migrations to a fresh database"
"$sd" apply --db "$db" --dir "$work/shop/migrations"

step "2. edit the schema (add examples/shop/edit/reviews.sql)"
cp examples/shop/edit/reviews.sql "$work/shop/schema/"

step "3. plan: what would change in the database"
"$sd" plan --db "$db" --schema "$work/shop/schema"

step "4. generate the migration (current state = the migrations replayed in a scratch database)"
file=$("$sd" generate --schema "$work/shop/schema" --dir "$work/shop/migrations" --name add_reviews)
cat "$file"

step "5. apply it"
"$sd" apply --db "$db" --dir "$work/shop/migrations"
"$sd" status --db "$db" --dir "$work/shop/migrations"

step "6. check for drift (exit 0: in sync)"
"$sd" check --db "$db" --schema "$work/shop/schema"

step "7. roll the new migration back, and check again (exit 1: drift)"
"$sd" rollback --db "$db" --dir "$work/shop/migrations" --steps 1
set +e
"$sd" check --db "$db" --schema "$work/shop/schema" >/dev/null
code=$?
set -e
echo "check exit code: $code"
[ "$code" -eq 1 ]
step "done"
