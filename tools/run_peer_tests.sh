#!/usr/bin/env bash
# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Run the test suites of the Odoo and OCA modules the suite extends on a
# database with the three addons installed and on one without them, and list
# the tests that fail only with the suite (exit 1 when there is one). Every
# test runs once all installed modules are loaded, so our overrides take part
# (tools/peer_tests.py).
#
#   bash tools/run_peer_tests.sh [suite ...]
#
# Suites: fieldservice fieldservice_account fieldservice_sale fieldservice_stock
# fieldservice_skill fieldservice_equipment_stock sale_stock stock sale account
# (the default: all of them; account = its invoice, payment and posting tests),
# account_all (account's whole suite).
# PEER_DB, PEER_BASE_DB: the databases with and without the suite
# (install_suite_peers, install_suite_peers_base); REUSE_DB=1 reuses them when
# they exist (the three addons are updated first) and keeps them; KEEP_DB=1
# keeps them. The results without the suite are stored per version of Odoo and
# of the OCA addons (PEER_CACHE, default ~/.cache/install_suite/peer_baseline)
# and reused while those do not change; BASELINE=1 runs them again.
# PORT: HTTP port of the browser tests (8069); LOG_DIR: logs and results.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

ALL_SUITES="fieldservice fieldservice_account fieldservice_sale fieldservice_stock
    fieldservice_skill fieldservice_equipment_stock sale_stock stock sale account"
# account's tests of invoices, refunds, entries, payments and their posting
ACCOUNT_TESTS="test_account_move_in_invoice test_account_move_out_invoice
    test_account_move_in_refund test_account_move_out_refund
    test_account_move_entry test_account_move_date_algorithm
    test_account_move_payments_widget test_account_move_reconcile
    test_account_payment test_account_payment_register test_invoice_taxes
    test_sequence_mixin"

suites="${*:-$ALL_SUITES}"
db="${PEER_DB:-install_suite_peers}"
base_db="${PEER_BASE_DB:-install_suite_peers_base}"
log_dir="${LOG_DIR:-${TMPDIR:-/tmp}/install_suite_peer_tests}"
odoo_options=(--addons-path="$REPO" --http-interface=127.0.0.1
    --http-port="${PORT:-8069}" --max-cron-threads=0 --stop-after-init)

# tags_of SUITE: Odoo's --test-tags selecting the suite's tests
tags_of() {
    local module="${1%_all}" tags="" test
    if [ "$1" = account ]; then
        for test in $ACCOUNT_TESTS; do
            tags="$tags,/account/tests/$test.py"
        done
        echo "${tags#,}"
    else
        echo "/$module"
    fi
}

modules_of() { # modules_of DB: the modules installed in DB, sorted
    psql -d "$1" -Atc "select name from ir_module_module
        where state='installed'" | LC_ALL=C sort
}

installed() { # installed DB MODULE: whether MODULE is installed in DB
    psql -d "$1" -Atc "select 1 from ir_module_module where name='$2'
        and state='installed'" 2>/dev/null | grep -q 1
}

# The modules the three addons depend on, without the addons themselves.
suite_depends() {
    "$PYTHON" - "${ADDONS//,/ }" <<'PY'
import ast
import sys
from pathlib import Path

ours = set(sys.argv[1].split())
depends = set()
for name in ours:
    manifest = ast.literal_eval(Path(name, "__manifest__.py").read_text())
    depends.update(manifest.get("depends", []))
print(",".join(sorted(depends - ours)))
PY
}

# prepare_db DB MODULES: a database with MODULES installed, made once per run
prepare_db() {
    local name="$1" modules="$2"
    if [ -n "${REUSE_DB:-}" ] && installed "$name" "${modules%%,*}"; then
        if [ "$name" = "$db" ]; then
            log "Reusing $name: updating $ADDONS"
            "$PYTHON" -m odoo -d "$name" --addons-path="$REPO" -u "$ADDONS" \
                --stop-after-init --log-level=warn --http-interface=127.0.0.1
        else
            log "Reusing $name"
        fi
        return
    fi
    log "Creating database $name with $modules (a few minutes)"
    dropdb --if-exists "$name"
    "$PYTHON" -m odoo -d "$name" --addons-path="$REPO" -i "$modules" \
        --stop-after-init --log-level=warn --http-interface=127.0.0.1
}

# run_suite DB SUITE RESULT_DIR SIDE: the suite's tests on DB
run_suite() {
    local name="$1" suite="$2" out="$3" side="$4" started
    local log_file="$log_dir/$suite.$side.log"
    started=$SECONDS
    rm -f "$out/$suite.json"
    "$PYTHON" tools/peer_tests.py run "$out/$suite.json" -- -d "$name" \
        "${odoo_options[@]}" --test-tags="$(tags_of "$suite")" \
        --log-level=info >"$log_file" 2>&1
    echo "   $suite $side: $((SECONDS - started)) s (log: $log_file)"
}

ensure_odoo || exit 1
ensure_postgres || exit 1
install_addon_deps || exit 1
ensure_chromium || true
mkdir -p "$log_dir/with"
baseline_dir="${PEER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/install_suite/peer_baseline}"
depends="$(suite_depends)" || exit 1
key="$("$PYTHON" tools/peer_tests.py key "$depends" $ACCOUNT_TESTS)" || exit 1
baseline_dir="$baseline_dir/$key"
mkdir -p "$baseline_dir"
log "Suites:" $suites
echo "Results and logs in $log_dir; results without the suite in $baseline_dir"

status=0
prepare_db "$db" "$ADDONS" || exit 1
base_ready=""
for suite in $suites; do
    module="${suite%_all}"
    if ! installed "$db" "$module"; then
        echo "WARNING: $module is not installed in $db: $suite skipped" >&2
        continue
    fi
    log "$suite"
    if [ -n "${BASELINE:-}" ] || [ ! -s "$baseline_dir/$suite.json" ]; then
        if [ -z "$base_ready" ]; then
            prepare_db "$base_db" "$depends" || exit 1
            base_ready=1
            differ="$(comm -3 <(modules_of "$db" | grep -vxE "${ADDONS//,/|}") \
                <(modules_of "$base_db") | tr -d '\t' | tr '\n' ' ')"
            [ -n "$differ" ] &&
                echo "WARNING: modules installed in one database only: $differ" >&2
        fi
        mkdir -p "$log_dir/without"
        run_suite "$base_db" "$suite" "$log_dir/without" without
        # stored only when Odoo ran the tests (a crash is not a baseline)
        if "$PYTHON" -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(not (r["tests"] and r["exit"] in (0, 1)))' "$log_dir/without/$suite.json" \
            2>/dev/null; then
            cp "$log_dir/without/$suite.json" "$baseline_dir/$suite.json"
        else
            echo "WARNING: $suite did not run without the suite: see its log" >&2
        fi
    fi
    run_suite "$db" "$suite" "$log_dir/with" with
done

log "Compared with the same suites without the three addons"
"$PYTHON" tools/peer_tests.py compare "$log_dir/with" "$baseline_dir" $suites ||
    status=1
if [ -z "${KEEP_DB:-}" ] && [ -z "${REUSE_DB:-}" ]; then
    dropdb --if-exists "$db"
    dropdb --if-exists "$base_db"
fi
exit $status
