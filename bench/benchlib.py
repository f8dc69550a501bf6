# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the benchmark scripts share: a rolled-back Odoo environment, and the
figures each writes for ``bench/run`` (``--json PATH``)."""

import json
import sys
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class UnusableDatabase(Exception):
    """The database cannot be benchmarked (exit code 2)."""


@contextmanager
def bench_env(database, addons_path, odoo_args, required_model):
    """A superuser environment on ``database``, in one transaction rolled back
    at the end; the database must have fieldservice_install (``required_model``
    tells the version has what the benchmark measures)."""
    # Odoo imported here: the benchmarks that need no Odoo use this module too
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(
        ["--addons-path", addons_path, "--log-level", "warn", *odoo_args],
        setup_logging=True,
    )
    try:
        registry = Registry(database)
    except Exception as exc:
        raise UnusableDatabase(f"cannot open database {database!r}: {exc}") from exc
    cr = registry.cursor()
    try:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", "fieldservice_install")])
        if module.state != "installed" or required_model not in env:
            raise UnusableDatabase(
                f"fieldservice_install is not installed in database {database!r} "
                f"(or not in the addons path {addons_path}); install it first "
                "(odoo -d DB -i fieldservice_install)."
            )
        yield env(context=env["res.users"].context_get())
    finally:
        cr.rollback()
        cr.close()


def run_main(main):
    """Run ``main()``; an unusable database prints the reason and exits 2."""
    try:
        code = main()
    except UnusableDatabase as err:
        print(f"error: {err}", file=sys.stderr)
        code = 2
    sys.exit(code)


def figure(value, target, unit, passed, baseline=None, ratio=None, **extra):
    """One figure of a benchmark: our value, the baseline measured in the same
    run, their ratio (as the benchmark prints it), the target (text, e.g.
    ``"ratio >= 50"``), the unit of ``value`` and ``baseline``, and whether the
    target is met (``None`` for a figure without target)."""
    return dict(
        value=value,
        baseline=baseline,
        ratio=ratio,
        target=target,
        unit=unit,
        passed=passed,
        **extra,
    )


def write_json(path, figures):
    """Write ``{name: figure(...)}`` to ``path`` (nothing when ``path`` is
    empty): the machine-readable twin of what the benchmark printed."""
    if path:
        Path(path).write_text(json.dumps(figures, indent=2) + "\n")
