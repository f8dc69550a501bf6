# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import fees
from ..tools.access import MANAGER, USER, check_group

CARD_AMOUNT_FIELDS = (
    "free_km",
    "per_km",
    "per_floor",
    "night_pct",
    "holiday_pct",
    "urgent_fee",
    "commission_pct",
    "late_penalty",
    "late_penalty_cap",
    "rework_penalty",
    "rework_penalty_cap",
    "quality_penalty",
    "quality_penalty_cap",
)


class SettlementRateCard(models.Model):
    """What technicians are paid: base fees per service type, product category
    and region, surcharges, campaign bonuses, penalties and commission.

    Cards are effective-dated: a new version starts the day after the previous
    one ends, and the rule that priced a job is frozen on the job line.
    """

    _name = "settlement.rate.card"
    _description = "Technician Rate Card"
    # the version chain is the server's; prices are the accountant's input
    _inherit = ["install.server.owned.mixin", "mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "company_id, date_from desc, id desc"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    version = fields.Integer(
        default=1, readonly=True, copy=False, server_owned=_lt("New Version")
    )
    previous_id = fields.Many2one(
        "settlement.rate.card",
        string="Previous Version",
        readonly=True,
        copy=False,
        server_owned=_lt("New Version"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda s: s.env.company.currency_id,
        tracking=True,
    )
    date_from = fields.Date(
        string="Valid From", required=True, default=fields.Date.today, tracking=True
    )
    date_to = fields.Date(string="Valid Until", tracking=True)
    line_ids = fields.One2many(
        "settlement.rate.card.line", "card_id", string="Base Fees", copy=True
    )
    bonus_ids = fields.One2many(
        "settlement.bonus", "card_id", string="Campaign Bonuses", copy=True
    )
    free_km = fields.Float(string="Free Distance (km)", tracking=True)
    per_km = fields.Monetary(string="Per km beyond", tracking=True)
    per_floor = fields.Monetary(
        string="Per Floor without Lift",
        tracking=True,
        help="Per floor above the ground floor when the building has no lift.",
    )
    night_pct = fields.Float(string="Night Uplift (%)", tracking=True)
    holiday_pct = fields.Float(string="Public Holiday Uplift (%)", tracking=True)
    urgent_fee = fields.Monetary(string="Urgent Surcharge", tracking=True)
    commission_pct = fields.Float(
        string="Platform Commission (%)",
        tracking=True,
        help="Withheld from the base fee and surcharges.",
    )
    late_penalty = fields.Monetary(string="Late Arrival Penalty", tracking=True)
    late_penalty_cap = fields.Monetary(string="Late Arrival Cap", tracking=True)
    rework_penalty = fields.Monetary(tracking=True)
    rework_penalty_cap = fields.Monetary(string="Rework Cap", tracking=True)
    quality_penalty = fields.Monetary(string="Quality Hold Penalty", tracking=True)
    quality_penalty_cap = fields.Monetary(string="Quality Hold Cap", tracking=True)
    job_line_count = fields.Integer(compute="_compute_job_line_count")

    _date_order = models.Constraint(
        "CHECK(date_to IS NULL OR date_to >= date_from)",
        "A rate card cannot end before it starts.",
    )

    def _compute_job_line_count(self):
        counts = dict(
            self.env["settlement.job.line"]._read_group(
                [("rate_card_id", "in", self.ids)],
                groupby=["rate_card_id"],
                aggregates=["__count"],
            )
        )
        for card in self:
            card.job_line_count = counts.get(card, 0)

    @api.constrains(*CARD_AMOUNT_FIELDS)
    def _check_amounts(self):
        for card in self:
            negative = [
                card._fields[name].get_description(self.env)["string"]
                for name in CARD_AMOUNT_FIELDS
                if card[name] < 0
            ]
            if negative:
                raise ValidationError(
                    self.env._(
                        "Rate card %(card)s: %(fields)s cannot be negative.",
                        card=card.name,
                        fields=", ".join(negative),
                    )
                )
            if card.commission_pct > 100:
                raise ValidationError(
                    self.env._(
                        "Rate card %s: the commission cannot exceed 100%%.", card.name
                    )
                )

    @api.constrains("currency_id", "company_id")
    def _check_currency(self):
        for card in self:
            if card.currency_id != card.company_id.currency_id:
                raise ValidationError(
                    self.env._(
                        "Rate card %(card)s is in %(currency)s but %(company)s pays "
                        "technicians in %(company_currency)s: use the company "
                        "currency.",
                        card=card.name,
                        currency=card.currency_id.name,
                        company=card.company_id.name,
                        company_currency=card.company_id.currency_id.name,
                    )
                )

    @api.constrains("date_from", "date_to", "active", "company_id")
    def _check_overlap(self):
        self.line_ids._check_overlap()

    def _engine_card(self):
        self.ensure_one()
        return fees.Card(
            free_km=self.free_km,
            per_km=self.per_km,
            per_floor=self.per_floor,
            night_pct=self.night_pct,
            holiday_pct=self.holiday_pct,
            urgent_fee=self.urgent_fee,
            commission_pct=self.commission_pct,
            penalty_caps={
                "late": self.late_penalty_cap,
                "rework": self.rework_penalty_cap,
                "quality": self.quality_penalty_cap,
            },
        )

    def _engine_bonuses(self):
        return [
            {
                "name": bonus.name,
                "amount": bonus.amount,
                "date_from": bonus.date_from,
                "date_to": bonus.date_to,
                "order_type_id": bonus.order_type_id.id or None,
            }
            for bonus in self.bonus_ids
        ]

    def _penalty_default(self, kind):
        self.ensure_one()
        return {
            "late": self.late_penalty,
            "rework": self.rework_penalty,
            "quality": self.quality_penalty,
        }[kind]

    def action_new_version(self):
        """Close this card the day before and copy it as a new version
        starting tomorrow (or the day after its end)."""
        check_group(self.env, MANAGER)
        self.ensure_one()
        start = fields.Date.context_today(self) + timedelta(days=1)
        if start <= self.date_from:
            raise UserError(
                self.env._(
                    "Rate card %s has not started yet: edit it instead of "
                    "creating a new version.",
                    self.name,
                )
            )
        end = self.date_to
        self.date_to = start - timedelta(days=1)
        with server_owned_writes():
            new = self.copy(
                {
                    "date_from": start,
                    "date_to": end,
                    "version": self.version + 1,
                    "previous_id": self.id,
                }
            )
        self.message_post(
            body=self.env._(
                "New version %(version)s starts on %(day)s.",
                version=new.version,
                day=start,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def action_view_job_lines(self):
        check_group(self.env, USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "master_settlement.settlement_job_line_action"
        )
        action["domain"] = [("rate_card_id", "=", self.id)]
        return action
