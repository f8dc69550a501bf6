# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import fees


class SettlementRateCardLine(models.Model):
    """A base fee for a service type x product category x region."""

    _name = "settlement.rate.card.line"
    _description = "Rate Card Base Fee"
    _order = "card_id, sequence, id"

    card_id = fields.Many2one(
        "settlement.rate.card", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    currency_id = fields.Many2one(related="card_id.currency_id")
    order_type_id = fields.Many2one("fsm.order.type", string="Service Type")
    categ_id = fields.Many2one("product.category", string="Product Category")
    state_id = fields.Many2one("res.country.state", string="Region")
    zip_prefix = fields.Char(string="ZIP Prefix")
    base_fee = fields.Monetary(required=True)

    def _compute_display_name(self):
        for line in self:
            parts = [
                line.order_type_id.name,
                line.categ_id.display_name,
                line.state_id.name,
                line.zip_prefix and f"{line.zip_prefix}*",
            ]
            line.display_name = " / ".join(p for p in parts if p) or self.env._(
                "Any job"
            )

    @api.constrains("base_fee")
    def _check_base_fee(self):
        for line in self:
            if line.base_fee < 0:
                raise ValidationError(
                    self.env._(
                        "Rate card %(card)s, %(rule)s: the base fee cannot be "
                        "negative.",
                        card=line.card_id.name,
                        rule=line.display_name,
                    )
                )

    def _engine_rule(self):
        self.ensure_one()
        return {
            "id": self.id,
            "order_type_id": self.order_type_id.id or None,
            "categ_id": self.categ_id.id or None,
            "state_id": self.state_id.id or None,
            "zip_prefix": (self.zip_prefix or "").strip(),
            "date_from": self.card_id.date_from,
            "date_to": self.card_id.date_to,
            "base_fee": self.base_fee,
        }

    @api.constrains("order_type_id", "categ_id", "state_id", "zip_prefix", "card_id")
    def _check_overlap(self):
        companies = self.card_id.company_id
        if not companies:
            return
        rules = self.search(
            [
                ("company_id", "in", companies.ids),
                ("card_id.active", "=", True),
            ]
        )
        for company in companies:
            company_rules = rules.filtered(lambda r, c=company: r.company_id == c)
            pairs = fees.overlaps([rule._engine_rule() for rule in company_rules])
            mine = [pair for pair in pairs if set(pair) & set(self.ids)] or pairs
            if mine:
                first, second = self.browse(mine[0])
                raise ValidationError(
                    self.env._(
                        "Base fee %(rule)s is defined twice for overlapping dates: "
                        "in %(first)s and in %(second)s. End one card before the "
                        "other starts, or create a new version.",
                        rule=first.display_name,
                        first=first.card_id.display_name,
                        second=second.card_id.display_name,
                    )
                )

    def write(self, vals):
        frozen = {"base_fee", "order_type_id", "categ_id", "state_id", "zip_prefix"}
        if frozen & set(vals):
            used = self.env["settlement.job.line"].search_count(
                [("rate_line_id", "in", self.ids)], limit=1
            )
            if used:
                raise UserError(
                    self.env._(
                        "This base fee already priced jobs: create a new version "
                        "of the rate card instead of changing it."
                    )
                )
        return super().write(vals)
