#!/bin/sh
# compare.sh OLD NEW URL FILE... loads each schema file into a scratch
# database of the server at URL (a superuser's URL without a database name,
# e.g. postgres://postgres@127.0.0.1:5432) and compares the catalogs that two
# builds of catdump read from it. A file PostgreSQL rejects is reported and
# not compared. Exits 1 when any catalog differs.
set -u
old=$1 new=$2 url=$3
shift 3
db=catdump_scratch
same=0 differ=0 rejected=0
for f in "$@"; do
	psql -q "$url/postgres" -c "DROP DATABASE IF EXISTS $db" 2>/dev/null -c "CREATE DATABASE $db" >/dev/null || exit 2
	if ! psql -q -v ON_ERROR_STOP=1 "$url/$db" -f "$f" >/dev/null 2>"$TMPDIR/catdump.err"; then
		echo "rejected: $f: $(head -c 200 "$TMPDIR/catdump.err")"
		rejected=$((rejected + 1))
		continue
	fi
	"$old" "$url/$db" >"$TMPDIR/catdump.old" || { echo "old failed: $f"; differ=$((differ + 1)); continue; }
	"$new" "$url/$db" >"$TMPDIR/catdump.new" || { echo "new failed: $f"; differ=$((differ + 1)); continue; }
	if cmp -s "$TMPDIR/catdump.old" "$TMPDIR/catdump.new"; then
		same=$((same + 1))
	else
		echo "DIFFERS: $f"
		diff "$TMPDIR/catdump.old" "$TMPDIR/catdump.new" | head -20
		differ=$((differ + 1))
	fi
done
psql -q "$url/postgres" -c "DROP DATABASE IF EXISTS $db" 2>/dev/null >/dev/null
echo "identical: $same, different: $differ, rejected by PostgreSQL: $rejected"
[ "$differ" -eq 0 ]
