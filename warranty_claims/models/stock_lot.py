# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import MANAGER, check_group


class StockLot(models.Model):
    _inherit = "stock.lot"

    warranty_code_ids = fields.One2many("warranty.code", "lot_id", readonly=True)
    warranty_code_id = fields.Many2one(
        "warranty.code",
        string="Valid Warranty Code",
        compute="_compute_warranty_code_id",
        help="The valid (not revoked) warranty code of this unit.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A unit received, produced or entered by hand gets the warranty code
        printed for its serial number (code batches write only the codes)."""
        lots = super().create(vals_list)
        self.env["warranty.code"]._link_lots(lots)
        return lots

    @api.depends("warranty_code_ids.state")
    def _compute_warranty_code_id(self):
        codes = self.env["warranty.code"].search(
            [("lot_id", "in", self.ids), ("state", "!=", "revoked")]
        )
        by_lot = {code.lot_id: code for code in codes}
        for lot in self:
            lot.warranty_code_id = by_lot.get(lot, False)

    def action_issue_warranty_code(self):
        """Issue the warranty code of units delivered without a pre-printed one
        (their existing valid code otherwise) and open it."""
        check_group(self, MANAGER, self.env._("Issuing a warranty code"))
        untracked = self.filtered(lambda lot: lot.product_id.tracking != "serial")
        if untracked:
            raise UserError(
                self.env._(
                    "Warranty codes are issued per unit: %(lots)s are not serial "
                    "numbers.",
                    lots=", ".join(untracked.mapped("display_name")),
                )
            )
        codes = self.env["warranty.code"]._issue_for_lots(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "warranty_claims.warranty_code_action"
        )
        if len(codes) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=codes.id)
        else:
            action["domain"] = [("id", "in", codes.ids)]
        return action
