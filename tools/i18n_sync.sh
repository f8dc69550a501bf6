#!/usr/bin/env bash
# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Refresh the translation files of the three addons: export each addon's
# i18n/<addon>.pot with Odoo's exporter from a scratch database holding the
# addons WITH their demo data (the demo records are translated too), merge it
# into i18n/zh_CN.po with gettext's msgmerge (translations kept, terms no longer
# exported dropped), then list the terms still untranslated or fuzzy.
#
#   bash tools/i18n_sync.sh [--reuse] [--no-update] [--keep-obsolete] [ADDON...]
#
# --reuse          reuse the scratch database if it holds the addons and their
#                  demo data, updating the addons in it (-u) first
# --no-update      with --reuse: export from the database as it is
# --keep-obsolete  keep the terms no longer exported as obsolete (#~) entries
# I18N_DB=name     the scratch database (default install_suite_i18n)
# I18N_LANG=code   the language file to merge into (default zh_CN)
# Exit status: 0 all translated, 1 terms left to translate, 2 no export.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$REPO"

reuse="" update=1 keep_obsolete=""
addons=()
while [ $# -gt 0 ]; do
    case "$1" in
    --reuse) reuse=1 ;;
    --no-update) update="" ;;
    --keep-obsolete) keep_obsolete=1 ;;
    -h | --help)
        sed -n '4,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    -*)
        echo "Unknown option $1 (see --help)" >&2
        exit 2
        ;;
    *) addons+=("$1") ;;
    esac
    shift
done
[ ${#addons[@]} -eq 0 ] && IFS=, read -ra addons <<<"$ADDONS"
db="${I18N_DB:-install_suite_i18n}"
lang="${I18N_LANG:-zh_CN}"

odoo_importable || {
    echo "Odoo 19 is not importable by $PYTHON: install Odoo 19.0 first." >&2
    exit 2
}
ensure_postgres || exit 2

# gettext's msgmerge keeps the .po files as they are (its wrapping, no reorder);
# polib's merge is the fallback when Debian's gettext cannot be installed.
if ! command -v msgmerge >/dev/null && command -v apt-get >/dev/null; then
    log "gettext is missing: installing Debian's gettext (msgmerge)"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q gettext \
        >/dev/null 2>&1 || true
fi
command -v msgmerge >/dev/null || echo "WARNING: no msgmerge: merging with polib" >&2

# The addons of the database that are not installed with their demo data.
without_demo() {
    psql -d "$db" -Atc "SELECT name FROM unnest(string_to_array('$ADDONS', ','))
        AS a(name) LEFT JOIN ir_module_module m USING (name)
        WHERE m.state IS DISTINCT FROM 'installed' OR NOT m.demo" 2>/dev/null ||
        echo "$ADDONS" | tr , '\n'
}

install_log="$(mktemp)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp" "$install_log"' EXIT
failed=""
if [ -n "$reuse" ] && psql -d "$db" -Atc "select 1" >/dev/null 2>&1 &&
    [ -z "$(without_demo)" ]; then
    if [ -n "$update" ]; then
        log "Updating the addons in $db"
        "$PYTHON" -m odoo -d "$db" --addons-path="$REPO" -u "$ADDONS" \
            --stop-after-init --log-level=warn --http-interface=127.0.0.1 \
            2>&1 | tee "$install_log" || failed=1
    fi
else
    [ -n "$reuse" ] && echo "$db lacks the addons or their demo data: recreating it"
    log "Creating $db with the addons and their demo data (a few minutes)"
    create_db "$db" --with-demo 2>&1 | tee "$install_log" || failed=1
fi
missing="$(without_demo)"
if [ -n "$failed" ] || [ -n "$missing" ]; then
    {
        printf '\n###########################################################\n'
        echo "#  INSTALL FAILED in $db (Odoo's errors are above)."
        [ -n "$missing" ] && echo "#  Not installed with their demo data:" &&
            echo "$missing" | sed 's/^/#    /'
        echo "#  The .pot files must be exported WITH the demo data: nothing"
        echo "#  was exported."
        echo "#  master_settlement's demo data is known to fail between 23:00"
        echo "#  and 24:00 UTC (it is $(date -u +%H:%M) UTC now): if so, run this"
        echo "#  again after midnight UTC."
        printf '###########################################################\n'
    } >&2
    grep -m3 "demo data failed" "$install_log" >&2 || true
    exit 2
fi

# The exporter takes no --log-level: its configuration file says it.
printf '[options]\nlog_level = warn\n' >"$tmp/odoo.conf"
status=0
for addon in "${addons[@]}"; do
    i18n="$addon/i18n"
    pot="$i18n/$addon.pot"
    po="$i18n/$lang.po"
    log "$addon: exporting $pot"
    "$PYTHON" -m odoo --addons-path="$REPO" i18n export -c "$tmp/odoo.conf" \
        -d "$db" -o "$tmp/$addon.pot" "$addon" || exit 2
    # Keep the old file when only the export's dates changed.
    if ! [ -f "$pot" ] || ! diff -q \
        <(grep -v '^"\(POT-Creation\|PO-Revision\)-Date:' "$pot") \
        <(grep -v '^"\(POT-Creation\|PO-Revision\)-Date:' "$tmp/$addon.pot") \
        >/dev/null; then
        cp "$tmp/$addon.pot" "$pot"
    fi
    log "$addon: merging into $po"
    if [ ! -f "$po" ]; then
        sed "s/^\"Plural-Forms: \\\\n\"/\"Language: $lang\\\\n\"\n&/" "$pot" >"$po"
    fi
    if command -v msgmerge >/dev/null; then
        msgmerge --quiet --previous "$po" "$pot" -o "$tmp/$lang.po"
        if [ -z "$keep_obsolete" ]; then
            msgattrib --no-obsolete "$tmp/$lang.po" -o "$tmp/$lang.po"
        fi
    else
        "$PYTHON" - "$po" "$pot" "$tmp/$lang.po" "$keep_obsolete" <<'PY'
import sys

import polib

old, pot = polib.pofile(sys.argv[1]), polib.pofile(sys.argv[2])
new = polib.POFile(wrapwidth=79)
new.header = old.header
new.metadata = dict(old.metadata)
new.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", "")
known = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
for entry in pot:  # the .pot's order, its references, the old translations
    was = known.pop((entry.msgctxt, entry.msgid), None)
    if was:
        entry.msgstr, entry.tcomment = was.msgstr, was.tcomment
        if "fuzzy" in was.flags:
            entry.flags.append("fuzzy")
    new.append(entry)
for entry in known.values() if sys.argv[4] else ():
    entry.obsolete = True
    new.append(entry)
new.save(sys.argv[3])
PY
    fi
    cmp -s "$tmp/$lang.po" "$po" || cp "$tmp/$lang.po" "$po"
    # The terms left to translate (empty or fuzzy) of the merged file.
    "$PYTHON" - "$po" "$addon" <<'PY' || status=1
import sys

import polib

po = polib.pofile(sys.argv[1])
todo = [
    e for e in po if not e.obsolete and ("fuzzy" in e.flags or not e.msgstr.strip())
]
print(f"{sys.argv[2]}: {len(po.translated_entries())} translated, {len(todo)} to do")
for entry in todo:
    mark = "fuzzy" if "fuzzy" in entry.flags else "new"
    print(f"  [{mark}] {entry.msgid!r}")
sys.exit(1 if todo else 0)
PY
done
exit $status
