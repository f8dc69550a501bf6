# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from ..engine import fees


class FsmOrder(models.Model):
    _inherit = "fsm.order"

    settle_distance_km = fields.Float(
        string="Travel Distance (km)", help="Priced beyond the rate card's free km."
    )
    settle_floor = fields.Integer(string="Floor")
    settle_has_lift = fields.Boolean(string="Lift Available", default=True)
    settle_night = fields.Boolean(string="Night Job")
    settle_holiday = fields.Boolean(string="Public Holiday")
    settle_urgent = fields.Boolean(string="Urgent")
    settle_payer_id = fields.Many2one(
        "res.partner",
        string="Service Payer",
        help="Who pays the service (customer, merchant or brand for warranty "
        "work); empty: the customer.",
    )
    settle_payer_amount = fields.Monetary(
        string="Service Price Paid",
        currency_field="settle_currency_id",
        help="Held until the customer accepts the job.",
    )
    settle_currency_id = fields.Many2one(related="company_id.currency_id")
    settlement_line_ids = fields.One2many(
        "settlement.job.line", "fsm_order_id", string="Job Payables"
    )

    def _settlement_payer(self):
        self.ensure_one()
        if self.settle_payer_id:
            return self.settle_payer_id
        if not self.settle_payer_amount:
            return self.env["res.partner"]
        sale = self.sale_id if "sale_id" in self._fields else False
        return (sale and sale.partner_id) or self.location_id.owner_id

    def _settlement_categ_ids(self):
        """The product category of the first product to install and its parents."""
        self.ensure_one()
        categ = self.install_line_ids[:1].product_id.categ_id
        ids = []
        while categ:
            ids.append(categ.id)
            categ = categ.parent_id
        return tuple(ids)

    def _settlement_engine_job(self, day):
        self.ensure_one()
        return fees.Job(
            order_type_id=self.type.id or None,
            categ_ids=self._settlement_categ_ids(),
            state_id=self.location_id.state_id.id or None,
            zip_code=self.location_id.zip or "",
            day=day,
            distance_km=self.settle_distance_km,
            floor=self.settle_floor,
            has_lift=self.settle_has_lift,
            night=self.settle_night,
            holiday=self.settle_holiday,
            urgent=self.settle_urgent,
        )

    def action_complete(self):
        res = super().action_complete()
        self.env["settlement.job.line"]._create_for_orders(self)
        return res

    def _milestone_after_log(self, logs):
        res = super()._milestone_after_log(logs)
        for log in logs.filtered(lambda log: log.milestone_id.code == "confirmed"):
            day = fields.Date.context_today(self, log.timestamp)
            log.order_id.settlement_line_ids.filtered(
                lambda line: line.line_type == "job"
            )._on_customer_confirmed(day)
        return res

    def _rating_quality_hold(self, rating):
        res = super()._rating_quality_hold(rating)
        self.settlement_line_ids.filtered(
            lambda line: line.line_type == "job"
        )._on_quality_hold()
        return res

    def action_view_settlement_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "master_settlement.settlement_job_line_action"
        )
        action["domain"] = [("fsm_order_id", "=", self.id)]
        return action
