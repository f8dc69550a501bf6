# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools.translate import _lt

from ..tools import OFFICER, check_group


class FsmOrder(models.Model):
    _inherit = "fsm.order"

    # owned: completing the order closes this claim and records its costs
    warranty_claim_id = fields.Many2one(
        "warranty.claim",
        index="btree_not_null",
        copy=False,
        readonly=True,
        groups="warranty_claims.group_warranty_user",
        server_owned=_lt("set by Start Outcome on the claim"),
    )
    warranty_registration_ids = fields.One2many(
        "warranty.registration",
        "install_order_id",
        string="Warranty Registrations",
        groups="warranty_claims.group_warranty_user",
    )

    def _on_completed(self):
        """A repair order of a claim is done: its claim records the costs and
        is done."""
        res = super()._on_completed()
        for order in self.sudo().filtered("warranty_claim_id"):
            order.warranty_claim_id._repair_completed(order)
        return res

    def _milestone_after_log(self, logs):
        """An installed unit's serial scan registers its warranty."""
        res = super()._milestone_after_log(logs)
        registration_model = self.env["warranty.registration"]
        for log in logs:
            template = log.milestone_id
            if log.lot_id and (
                template.code == "installed" or template.register_equipment
            ):
                registration = registration_model._register_install(log)
                log.order_id.message_post(
                    body=self.env._(
                        "Warranty of %(serial)s registered from %(start)s.",
                        serial=log.lot_id.name,
                        start=registration.start_date or "-",
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return res

    def action_view_warranty_claim(self):
        check_group(self, OFFICER, self.env._("Viewing the claim of an order"))
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "warranty.claim",
            "view_mode": "form",
            "res_id": self.warranty_claim_id.id,
        }
