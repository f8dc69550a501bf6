# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    install_buffer_days = fields.Integer(
        string="Installation Buffer (days)",
        default=1,
        help="Installation orders are planned no earlier than the scheduled "
        "delivery date plus this many days.",
    )
    install_dispatcher_id = fields.Many2one(
        "res.users",
        string="Installation Dispatcher",
        help="Receives the activities raised on installation orders (incomplete "
        "address, ...). When empty, the salesperson of the sale order does.",
    )
    milestone_checkin_max_km = fields.Float(
        string="Check-in Distance (km)",
        default=0.5,
        help="A technician checking in farther than this from the location is "
        "flagged on the milestone log and on the order.",
    )

    stock_point_on_confirm = fields.Boolean(
        string="Ship from the Matched Stock Point",
        default=True,
        help="On confirmation, sale orders ship from the warehouse (or warehouses) "
        "matched to the delivery address.",
    )
    stock_point_allow_dealer = fields.Boolean(
        string="Dealer Fulfilment",
        help="Dealer warehouses may ship orders of the addresses they cover.",
    )

    dispatch_weight_distance = fields.Float(string="Distance Weight", default=4.0)
    dispatch_weight_load = fields.Float(string="Load Weight", default=2.0)
    dispatch_weight_rating = fields.Float(string="Rating Weight", default=2.0)
    dispatch_weight_sla = fields.Float(string="SLA Weight", default=1.0)
    dispatch_weight_cost = fields.Float(string="Cost Weight", default=1.0)

    dispatch_offer_count = fields.Integer(
        string="Technicians per Offer",
        default=3,
        help="How many of the best technicians an order is offered to at once.",
    )
    dispatch_offer_hours = fields.Float(
        string="Offer Answer Time (h)",
        default=2.0,
        help="After this time, an unanswered offer expires and the next "
        "technicians get it.",
    )

    rating_prior_weight = fields.Float(
        default=5.0,
        help="Technician ratings are averaged with this many virtual ratings at the "
        "network mean: few ratings weigh less than many.",
    )
    rating_callback_threshold = fields.Integer(
        string="Callback at or below (stars)",
        default=2,
        help="A rating at or below this opens a callback activity and holds the "
        "job for quality.",
    )

    def _dispatch_weights(self):
        self.ensure_one()
        return {
            "distance": self.dispatch_weight_distance,
            "load": self.dispatch_weight_load,
            "rating": self.dispatch_weight_rating,
            "sla": self.dispatch_weight_sla,
            "cost": self.dispatch_weight_cost,
        }

    @api.constrains(
        "dispatch_weight_distance",
        "dispatch_weight_load",
        "dispatch_weight_rating",
        "dispatch_weight_sla",
        "dispatch_weight_cost",
    )
    def _check_dispatch_weights(self):
        for company in self:
            negative = [k for k, v in company._dispatch_weights().items() if v < 0]
            if negative:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: dispatch weights cannot be negative "
                        "(%(weights)s).",
                        company=company.name,
                        weights=", ".join(negative),
                    )
                )

    @api.constrains("dispatch_offer_count", "dispatch_offer_hours")
    def _check_dispatch_offer(self):
        for company in self:
            if company.dispatch_offer_count < 1 or company.dispatch_offer_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: offers go to at least one technician "
                        "and need a positive answer time.",
                        company=company.name,
                    )
                )

    @api.constrains("install_buffer_days")
    def _check_install_buffer_days(self):
        for company in self:
            if company.install_buffer_days < 0:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: the installation buffer cannot be "
                        "negative (%(days)s days). Enter 0 or more days.",
                        company=company.name,
                        days=company.install_buffer_days,
                    )
                )
