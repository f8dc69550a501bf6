# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's links become Odoo's portal links (portal.mixin).

The secrets are kept: the order's ``tracking_token`` and the rating's
``token`` columns (this module's own) are renamed ``access_token``, so that
every link already sent keeps working, with the secret in its path as before
and as the portal link ``?access_token=<secret>``. Renaming here, before the
module's models are set up, also keeps Odoo from filling a new
``access_token`` column of existing rows with one and the same value.
"""

from odoo.tools import sql

RENAMED = (
    ("fsm_order", "tracking_token", "fsm_order__tracking_token_index"),
    ("fsm_order_rating", "token", None),
)


def migrate(cr, version):
    for table, column, index in RENAMED:
        if sql.column_exists(cr, table, column) and not sql.column_exists(
            cr, table, "access_token"
        ):
            sql.rename_column(cr, table, column, "access_token")
        if index:
            # the unique constraint of the new field indexes the column
            sql.drop_index(cr, index, table)
