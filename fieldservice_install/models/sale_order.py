# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Sale orders of the installation suite: the core every concern shares.

The concerns live in files of their own, each a thin ``_inherit`` of
``sale.order`` (imported in this order by ``models/__init__.py``):

- ``sale_order_stock_point.py``: which warehouse ships the quotation, and why
  (stored match and candidate rows), kept in step with its lines;
- ``sale_order_stock_point_data.py``: what matching reads, in a few plain
  queries;
- ``sale_order_stock_point_text.py``: the explanation texts of a match;
- ``sale_order_install.py``: the installation orders of a confirmed order.
"""

from odoo import models


class SaleOrder(models.Model):
    _name = "sale.order"
    # the mixin first, so that its create/write come before the others
    _inherit = ["install.server.owned.mixin", "sale.order"]  # noqa: RUF012
    # Odoo's computed fields stay Odoo's: only the fields marked server_owned
    _server_owned_computed = False
