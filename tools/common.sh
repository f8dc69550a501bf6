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
# Odoo's pinned requirements include old sdists that need an older setuptools
# (to run, and to build them in pip's isolated build environments).
if [ -z "${PIP_CONSTRAINT:-}" ]; then
    PIP_CONSTRAINT="$(mktemp)"
    echo "setuptools<81" >"$PIP_CONSTRAINT"
    export PIP_CONSTRAINT
fi
export PIP_BUILD_CONSTRAINT="${PIP_BUILD_CONSTRAINT:-$PIP_CONSTRAINT}"
# Where Odoo 19 comes from when it is not importable: a source tree, a wheel
# or an archive (path or URL). Odoo is on no package registry.
ODOO_SOURCE_DEFAULT="https://github.com/odoo/odoo/archive/refs/heads/19.0.tar.gz"

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

# ensure_odoo: make Odoo 19 importable by $PYTHON, installing it into the
# project's virtual environment .venv from ODOO_SOURCE when it is not (a local
# source tree, a wheel, or an archive path or URL; the default is Odoo's
# official 19.0 Community archive, unless ODOO_NO_DOWNLOAD=1). Returns 1 with
# a clear message when it cannot.
ensure_odoo() {
    odoo_importable && return 0
    local venv="$REPO/.venv" source="${ODOO_SOURCE:-}"
    if [ -z "$source" ]; then
        if [ -n "${ODOO_NO_DOWNLOAD:-}" ]; then
            echo "Odoo 19 is not importable by $PYTHON and ODOO_SOURCE is not set" \
                "(downloads are off here): set ODOO_SOURCE to an Odoo 19.0 source" \
                "tree, wheel or archive." >&2
            return 1
        fi
        source="$ODOO_SOURCE_DEFAULT"
    fi
    log "Odoo 19 is not importable by $PYTHON: installing it from $source into .venv"
    local base="${BASE_PYTHON:-python3}"
    if [ ! -x "$venv/bin/python" ]; then
        "$base" -m venv "$venv" || {
            echo "Cannot create $venv with $base (Debian: apt-get install python3-venv)" >&2
            return 1
        }
    fi
    PYTHON="$venv/bin/python"
    pip_install --upgrade pip wheel "setuptools<81" || return 1
    local tree=""
    case "$source" in
    *.whl)
        pip_install "$source" || return 1
        ;;
    http://* | https://* | *.tar.gz | *.tgz | *.zip)
        tree="$venv/src/odoo"
        rm -rf "$tree" && mkdir -p "$tree"
        "$PYTHON" - "$source" "$tree" <<'PY' || return 1
import shutil, sys, tarfile, tempfile, urllib.request, zipfile
from pathlib import Path
source, tree = sys.argv[1], Path(sys.argv[2])
try:
    if "://" in source:
        archive = tempfile.NamedTemporaryFile(delete=False).name
        with urllib.request.urlopen(source, timeout=60) as answer, open(archive, "wb") as out:
            shutil.copyfileobj(answer, out)
    else:
        archive = source
    with tempfile.TemporaryDirectory() as tmp:
        if zipfile.is_zipfile(archive):
            zipfile.ZipFile(archive).extractall(tmp)
        else:
            tarfile.open(archive).extractall(tmp, filter="data")
        roots = [p for p in Path(tmp).iterdir() if p.is_dir()]
        root = roots[0] if len(roots) == 1 and not (Path(tmp) / "odoo").is_dir() else Path(tmp)
        shutil.copytree(root, tree, dirs_exist_ok=True)
except OSError as err:
    sys.exit(f"Cannot get Odoo's source from {source}: {err}. Nothing can be downloaded "
             "from here? Set ODOO_SOURCE to a local Odoo 19.0 tree, wheel or archive.")
PY
        ;;
    *)
        [ -d "$source/odoo" ] && [ -f "$source/requirements.txt" ] || {
            echo "ODOO_SOURCE=$source is not an Odoo source tree (no odoo/, requirements.txt)" >&2
            return 1
        }
        tree="$(cd "$source" && pwd)"
        ;;
    esac
    if [ -n "$tree" ]; then
        local requirements
        requirements="$(mktemp)"
        # python-ldap builds against OpenLDAP's headers: left out without them
        if [ -f /usr/include/ldap.h ] && [ -f /usr/include/sasl/sasl.h ]; then
            cp "$tree/requirements.txt" "$requirements"
        else
            echo "WARNING: no OpenLDAP/SASL headers (Debian: libldap2-dev libsasl2-dev):" \
                "python-ldap is left out, Odoo's LDAP authentication (auth_ldap) will not" \
                "work" >&2
            grep -iv '^python-ldap' "$tree/requirements.txt" >"$requirements"
        fi
        pip_install -r "$requirements" || return 1
        pip_install --no-deps -e "$tree" || return 1
    fi
    odoo_importable || {
        echo "Odoo was installed from $source but $PYTHON cannot import Odoo 19" >&2
        return 1
    }
    log "Odoo 19 installed in .venv: the commands use $PYTHON from now on"
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
