#!/usr/bin/env bash
# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Style checks the code passes: ruff (lint + format), pylint-odoo, prettier (XML),
# and the addons' README.rst up to date with their readme/ fragments.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"
pip_install ruff pylint-odoo || exit 1
status=0
log "ruff"
"$PYTHON" -m ruff check . || status=1
"$PYTHON" -m ruff format --check . || status=1
log "pylint-odoo"
"$PYTHON" -m pylint --rcfile=.pylintrc fieldservice_install warranty_claims \
    master_settlement || status=1
log "README.rst of each addon (tools/gen_addon_readme.py --check)"
"$PYTHON" tools/gen_addon_readme.py --check || status=1
log "prettier (XML, JS)"
if command -v npm >/dev/null; then
    { [ -d node_modules/@prettier/plugin-xml ] || npm ci --no-audit --no-fund -s; } &&
        npx prettier --check --no-error-on-unmatched-pattern "*/**/*.xml" "*/static/src/**/*.js" "*/static/tests/**/*.js" || status=1
else
    echo "npm not found: prettier skipped"
fi
exit $status
