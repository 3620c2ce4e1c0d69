#!/bin/sh
# Nightly backup of KneeAssess's database, kept for 14 days. Run from cron or a systemd timer, e.g.
#   15 3 * * *  kneeassess  /opt/kneeassess/deploy/backup/kneeassess-backup.sh /var/backups/kneeassess
# SQLite (one box): an online, consistent copy through SQLite's backup API (safe while the app writes; WAL).
# PostgreSQL (replicas): pg_dump in custom format of KNEEASSESS_DATABASE_URL (the part the app's URL adds for
# the driver, "+psycopg", is removed for pg_dump). Copy the folder off the machine too; test a restore monthly:
#   SQLite:      stop the app, copy the .db back to var/kneeassess.db, start it
#   PostgreSQL:  pg_restore --clean --if-exists -d "$URL" kneeassess-YYYY-MM-DD.dump
set -eu
DEST="${1:?usage: kneeassess-backup.sh DEST_FOLDER}"
APP="${KNEEASSESS_APP_DIR:-/opt/kneeassess}"
STAMP="$(date +%Y-%m-%d)"
umask 077
mkdir -p "$DEST"
if [ -n "${KNEEASSESS_DATABASE_URL:-}" ]; then
    pg_dump --format=custom --file="$DEST/kneeassess-$STAMP.dump" "$(echo "$KNEEASSESS_DATABASE_URL" | sed 's/+psycopg//')"
else
    DB="${KNEEASSESS_VAR_DIR:-$APP/var}/kneeassess.db"
    "$APP/.venv/bin/python" - "$DB" "$DEST/kneeassess-$STAMP.db" <<'PY'
import sqlite3, sys
src, dst = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with dst:
    src.backup(dst)
dst.close(); src.close()
PY
fi
find "$DEST" -name 'kneeassess-*' -mtime +14 -delete
