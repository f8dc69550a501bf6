# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.fieldservice_install.tools.responsible import responsible_user

from ..engine import fees
from ..tools.access import MANAGER, USER, check_group


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
        "settlement.job.line",
        "fsm_order_id",
        string="Job Payables",
        groups="master_settlement.group_settlement_user",
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

    def _on_completed(self):
        # the ledger follows the order whoever completes it, and however
        res = super()._on_completed()
        self.env["settlement.job.line"].sudo()._create_for_orders(self.sudo())
        return res

    def _milestone_after_log(self, logs):
        res = super()._milestone_after_log(logs)
        for log in logs.filtered(lambda log: log.milestone_id.code == "confirmed"):
            day = fields.Date.context_today(self, log.timestamp)
            log.order_id.sudo().settlement_line_ids.filtered(
                lambda line: line.line_type == "job"
            )._on_customer_confirmed(day)
        return res

    def _rating_quality_hold(self, rating):
        res = super()._rating_quality_hold(rating)
        self.sudo().settlement_line_ids.filtered(
            lambda line: line.line_type == "job"
        )._on_quality_hold()
        return res

    def _settlement_notify_unpriced(self, problem):
        """No rate card prices the completed order: tell the accountant."""
        self.ensure_one()
        self.message_post(body=problem, subtype_xmlid="mail.mt_note")
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            **self._prepare_settlement_unpriced_activity_vals(problem),
        )

    def _prepare_settlement_unpriced_activity_vals(self, problem):
        """The accountant's to-do of an order no rate card prices
        (``activity_schedule``'s values)."""
        self.ensure_one()
        company = self.company_id
        return {
            "summary": self.env._("Job not priced for settlement"),
            "note": problem,
            "user_id": responsible_user(
                self.env, company, company.settlement_accountant_id, group=MANAGER
            ).id,
        }

    def action_create_settlement_line(self):
        """Price a completed order that no rate card priced at completion."""
        check_group(self.env, MANAGER)
        for order in self:
            if not order.stage_id.is_closed or not order.person_id:
                raise UserError(
                    self.env._(
                        "Order %s is not completed by a technician: its job "
                        "payable is created when it is.",
                        order.name,
                    )
                )
        lines = self.env["settlement.job.line"]._create_for_orders(
            self, raise_unpriced=True
        )
        if not lines:
            raise UserError(self.env._("These orders already have their job payable."))
        return self.action_view_settlement_lines() if len(self) == 1 else True

    def action_view_settlement_lines(self):
        check_group(self.env, USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "master_settlement.settlement_job_line_action"
        )
        action["domain"] = [("fsm_order_id", "=", self.id)]
        return action
