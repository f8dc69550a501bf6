# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Warranty codes keep their unit's serial number (``serial``): filled from
their lot before the column becomes required. The scan log's rate limit
counts per network: the index on the exact address goes."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE warranty_code ADD COLUMN IF NOT EXISTS serial varchar")
    cr.execute(
        """UPDATE warranty_code c SET serial = l.name
             FROM stock_lot l
            WHERE l.id = c.lot_id AND c.serial IS NULL"""
    )
    cr.execute("DROP INDEX IF EXISTS warranty_code_scan_ip_date_idx")
