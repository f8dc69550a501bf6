#!/usr/bin/env bash
# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Shared helpers of tools/*.sh: PostgreSQL, Python dependencies, Odoo detection.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDONS="fieldservice_install,warranty_claims,master_settlement"
# The project's virtual environment (made by the set-up commands) wins over python3.
if [ -z "${PYTHON:-}" ] && [ -x "$REPO/.venv/bin/python" ]; then
    PYTHON="$REPO/.venv/bin/python"
fi
PYTHON="${PYTHON:-python3}"
# Odoo's pinned requirements include old sdists that need an older setuptools.
if [ -z "${PIP_CONSTRAINT:-}" ]; then
    PIP_CONSTRAINT="$(mktemp)"
    echo "setuptools<81" >"$PIP_CONSTRAINT"
    export PIP_CONSTRAINT
fi

log() { printf '\n== %s\n' "$*"; }

ensure_postgres() {
    if pg_isready -q 2>/dev/null; then
        return 0
    fi
    log "PostgreSQL is down: starting it"
    local version
    version="$(pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1}')"
    if [ -n "$version" ] && command -v pg_ctlcluster >/dev/null; then
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
    for _ in $(seq 1 30); do
        pg_isready -q && break
        sleep 1
    done
    pg_isready -q || {
        echo "PostgreSQL is not running and could not be started" >&2
        return 1
    }
    local me
    me="$(id -un)"
    if ! psql -d postgres -Atc "select 1" >/dev/null 2>&1; then
        su postgres -c "psql -qc \"CREATE ROLE \\\"$me\\\" SUPERUSER LOGIN\"" ||
            su postgres -c "psql -qc \"ALTER ROLE \\\"$me\\\" SUPERUSER LOGIN\""
    fi
}

odoo_importable() {
    "$PYTHON" -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 19)' \
        2>/dev/null
}

pip_install() {
    "$PYTHON" -m pip install --disable-pip-version-check -q "$@"
}

install_odoo_free_deps() {
    pip_install -r "$REPO/requirements-test.txt"
}

install_addon_deps() {
    pip_install -r "$REPO/requirements.txt"
}

# Headless Chromium for Odoo's browser tests (tours), from Debian's packages.
ensure_chromium() {
    if command -v chromium >/dev/null || command -v chromium-browser >/dev/null; then
        return 0
    fi
    log "Chromium is missing: installing Debian's chromium for the browser tours"
    if command -v apt-get >/dev/null; then
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium \
            >/dev/null 2>&1 ||
            { $sudo apt-get update -q >/dev/null 2>&1 &&
                DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
                    chromium >/dev/null 2>&1; }
    fi
    command -v chromium >/dev/null || {
        echo "WARNING: no Chromium: the browser tours will be skipped" >&2
        return 1
    }
}

# create_db NAME [extra odoo options]: a new database with the three addons.
create_db() {
    local db="$1"
    shift
    dropdb --if-exists "$db"
    "$PYTHON" -m odoo -d "$db" --addons-path="$REPO" -i "$ADDONS" \
        --stop-after-init --log-level=warn --http-interface=127.0.0.1 "$@"
}
