# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The units of the codes: codes issued to lots, lots linked to the codes
printed for their serial, lots made when a unit materialises."""

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyCode(models.Model):
    _inherit = "warranty.code"

    # ------------------------------------------------------------------
    # issuance and life cycle
    # ------------------------------------------------------------------
    @api.model
    def _issue_for_lots(self, lots):
        """The valid code of each lot of ``lots``, issuing (signing) a new one
        for the lots that have none. Returns the codes in the order of
        ``lots``."""
        lots = lots.exists()
        if not lots:
            return self.browse()
        # codes printed for these serials but not linked yet
        self._link_lots(lots)
        existing = self.sudo().search(
            [("lot_id", "in", lots.ids), ("state", "!=", "revoked")]
        )
        by_lot = {code.lot_id: code for code in existing}
        missing = lots.filtered(lambda lot: lot not in by_lot)
        vals_list = []
        for company in missing.company_id or self.env.company:
            company_lots = missing.filtered(
                lambda lot, c=company: (lot.company_id or self.env.company) == c
            )
            codes = self._sign_new(company, len(company_lots))
            vals_list += [
                {
                    "code": code,
                    "serial": lot.name,
                    "lot_id": lot.id,
                    "product_id": lot.product_id.id,
                    "company_id": company.id,
                }
                for lot, code in zip(company_lots, codes, strict=True)
            ]
        with server_owned_writes():
            created = self.sudo().create(vals_list)
        for code in created:
            by_lot[code.lot_id] = code
        return self.browse([by_lot[lot].id for lot in lots])

    @api.model
    def _link_lots(self, lots):
        """Link to ``lots`` the codes printed for their serial numbers whose
        unit had no ``stock.lot`` yet (same serial and product, the lot's
        company or none). A lot gets at most one valid code. One search and
        one UPDATE of this model's table, whatever the number of lots."""
        lots = lots.sudo().exists()
        if not lots:
            return self.browse()
        codes = self.sudo().search_fetch(
            [
                ("lot_id", "=", False),
                ("serial", "in", list(set(lots.mapped("name")))),
                ("product_id", "in", lots.product_id.ids),
            ],
            ["serial", "product_id", "company_id", "state"],
            order="id",
        )
        if not codes:
            return self.browse()
        by_key = {}
        for lot in lots:
            by_key.setdefault((lot.name, lot.product_id.id), []).append(lot)
        has_valid = {
            code.lot_id.id
            for code in self.sudo().search_fetch(
                [("lot_id", "in", lots.ids), ("state", "!=", "revoked")], ["lot_id"]
            )
        }
        pairs = []
        for code in codes:
            lot = next(
                (
                    lot
                    for lot in by_key.get((code.serial, code.product_id.id), ())
                    if not lot.company_id or lot.company_id == code.company_id
                ),
                None,
            )
            if not lot:
                continue
            if code.state != "revoked":
                if lot.id in has_valid:
                    continue
                has_valid.add(lot.id)
            pairs.append((code.id, lot.id))
        if not pairs:
            return self.browse()
        self.flush_model(["lot_id"])
        self.env.cr.execute(
            SQL(
                """UPDATE warranty_code c
                      SET lot_id = new.lot_id, write_uid = %s, write_date = %s
                     FROM unnest(%s::int[], %s::int[]) AS new(id, lot_id)
                    WHERE c.id = new.id AND c.lot_id IS NULL""",
                self.env.uid,
                fields.Datetime.now(),
                [code_id for code_id, _lot_id in pairs],
                [lot_id for _code_id, lot_id in pairs],
            )
        )
        linked = self.browse([code_id for code_id, _lot_id in pairs])
        linked.invalidate_recordset(["lot_id", "write_uid", "write_date"])
        lots.invalidate_recordset(["warranty_code_ids"])
        return linked

    def _ensure_lots(self):
        """The unit (``stock.lot``) of each code, in the order of the codes:
        its lot, else a lot of its serial that exists but was not linked,
        else a new lot made by the ORM (the unit materialises: registered or
        claimed before any receipt)."""
        codes = self.sudo()
        missing = codes.filtered(lambda code: not code.lot_id)
        if missing:
            lots = self.env["stock.lot"].sudo()
            self._link_lots(
                lots.search(
                    [
                        ("name", "in", missing.mapped("serial")),
                        ("product_id", "in", missing.product_id.ids),
                    ]
                )
            )
            missing = missing.filtered(lambda code: not code.lot_id)
            # the new lots find their codes by serial (stock.lot.create)
            lots.create([code._prepare_lot_vals() for code in missing])
        return self.env["stock.lot"].browse([code.lot_id.id for code in codes])

    def _prepare_lot_vals(self):
        """The ``stock.lot`` of the code's unit when it materialises: its
        serial, product and company."""
        self.ensure_one()
        return {
            "name": self.serial,
            "product_id": self.product_id.id,
            "company_id": self.company_id.id,
        }

    @api.model
    def _lots_needing_code(self, lots):
        """The lots of ``lots`` that should get a warranty code when delivered:
        serial-tracked products. Override to narrow it (e.g. to products
        with a warranty policy)."""
        return lots.filtered(lambda lot: lot.product_id.tracking == "serial")
