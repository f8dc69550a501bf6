#!/usr/bin/env bash
# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Create (once) a demo database with the three addons and their demo data, then
# start Odoo on http://localhost:8069 (login admin / password admin).
# DEMO_DB=name to use another database, RESET=1 to recreate it,
# DEMO_LANG=zh_CN to load Chinese and make it the admin's language;
# ODOO_SOURCE=<Odoo 19.0 tree, wheel or archive> when Odoo is not installed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

# Odoo 19 itself, into .venv from ODOO_SOURCE when python3 cannot import it
ensure_odoo || exit 1
ensure_postgres
install_addon_deps
db="${DEMO_DB:-install_suite_demo}"
if [ -n "${RESET:-}" ] || ! psql -d "$db" -Atc \
    "select 1 from ir_module_module where name='fieldservice_install' and state='installed'" \
    2>/dev/null | grep -q 1; then
    log "Creating demo database $db (a few minutes)"
    create_db "$db" --with-demo
fi
if [ -n "${DEMO_LANG:-}" ]; then
    log "Loading $DEMO_LANG (Odoo's translations and the addons' own)"
    "$PYTHON" -m odoo --addons-path="$REPO" i18n loadlang -d "$db" -l "$DEMO_LANG" \
        >/dev/null
    psql -d "$db" -qc "UPDATE res_partner SET lang = '$DEMO_LANG' WHERE id IN
        (SELECT partner_id FROM res_users WHERE login IN ('admin', 'tech_demo'))"
fi
log "Odoo on http://localhost:8069 - database $db, login admin / admin"
# queue_job's runner runs the background jobs (code batches, settlement runs)
export ODOO_QUEUE_JOB_CHANNELS="${ODOO_QUEUE_JOB_CHANNELS:-root:2}"
exec "$PYTHON" -m odoo -d "$db" --addons-path="$REPO" --http-interface=127.0.0.1 \
    --http-port="${PORT:-8069}" --db-filter="^$db\$" --load=base,web,queue_job
