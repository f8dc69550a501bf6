# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Print the suite's access matrix (model x persona x operation) as Markdown.

    python3 tests/access_matrix.py -c <odoo config> -d <database>

Run it on a database where the addons are installed: it creates test users
and sample records in one transaction, checks what each persona may do, prints
the table and rolls everything back. The same matrix is asserted by
master_settlement's ``test_access_matrix``.
"""

import argparse

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    from odoo.addons.master_settlement.tests import access_matrix

    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            print(access_matrix.markdown(*access_matrix.compute(env)))
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
