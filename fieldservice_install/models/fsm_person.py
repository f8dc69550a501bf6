# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from ..tools.server_owned import server_owned_writes

_lt = LazyTranslate(__name__)


class FsmPerson(models.Model):
    _name = "fsm.person"
    # the mixin first, so that its create/write come before the others
    _inherit = ["install.server.owned.mixin", "fsm.person"]  # noqa: RUF012
    # OCA's computed fields stay OCA's: only the fields marked server_owned
    _server_owned_computed = False

    service_zip_prefixes = fields.Char(
        string="Service ZIP Prefixes",
        help="Comma-separated ZIP prefixes the technician covers (with the "
        "territories).",
    )
    max_jobs_per_day = fields.Integer(string="Max Jobs per Day", default=4)
    dispatch_state = fields.Selection(
        [("active", "Active"), ("suspended", "Suspended")],
        string="Dispatch Status",
        default="active",
        required=True,
        tracking=True,
    )
    suspension_reason = fields.Char(tracking=True)
    contractor_partner_id = fields.Many2one(
        "res.partner",
        string="Paid Contractor",
        help="The partner paid for this technician's jobs (the technician "
        "themselves or their company).",
    )
    certification_ids = fields.One2many(
        "fsm.person.certification", "person_id", string="Certifications"
    )
    blocked_partner_ids = fields.Many2many(
        "res.partner",
        "fsm_person_blocked_partner_rel",
        "person_id",
        "partner_id",
        string="Blocked Customers",
        help="Customers this technician must not be sent to.",
    )
    job_cost = fields.Float(
        string="Cost per Job", help="Used by dispatch to prefer cheaper technicians."
    )
    # the customers' ratings make them (dispatch ranks by them): the server's
    rating_avg = fields.Float(
        string="Rating",
        digits=(3, 2),
        readonly=True,
        server_owned=_lt("it is computed from the customers' ratings"),
        help="Bayesian average of the customer ratings, pulled towards the network "
        "mean so that few ratings weigh less than many.",
    )
    rating_count = fields.Integer(
        string="Ratings",
        readonly=True,
        server_owned=_lt("it is computed from the customers' ratings"),
    )
    last_dispatch_date = fields.Datetime(
        readonly=True,
        copy=False,
        server_owned=True,
        help="Written by each dispatch to this technician: concurrent dispatch runs "
        "then serialize on the technician's row and never exceed the capacity.",
    )

    @api.constrains("max_jobs_per_day")
    def _check_max_jobs_per_day(self):
        for person in self:
            if person.max_jobs_per_day < 0:
                raise ValidationError(
                    self.env._(
                        "Technician %(name)s: the capacity cannot be negative.",
                        name=person.name,
                    )
                )

    @api.constrains("dispatch_state", "suspension_reason")
    def _check_suspension_reason(self):
        for person in self:
            if person.dispatch_state == "suspended" and not person.suspension_reason:
                raise ValidationError(
                    self.env._(
                        "Technician %(name)s: give the reason of the suspension.",
                        name=person.name,
                    )
                )

    @api.model
    def _recompute_rating(self, companies):
        """Bayesian average of the ratings of every technician of ``companies``.

        rating = (C * m + sum of stars) / (C + n), with m the network mean and C
        the company's prior weight: one 5-star job does not beat a hundred 4.8s.
        """
        rating_model = self.env["fsm.order.rating"].sudo()
        for company in companies:
            domain = [("company_id", "=", company.id), ("value", ">", 0)]
            groups = rating_model._read_group(
                domain, groupby=["person_id"], aggregates=["value:sum", "__count"]
            )
            total = sum(s for _p, s, _n in groups)
            count = sum(n for _p, _s, n in groups)
            mean = total / count if count else 0.0
            prior = company.rating_prior_weight
            rated = self.browse([p.id for p, _s, _n in groups if p])
            unrated = (
                self.sudo().search([("company_id", "in", [company.id, False])]) - rated
            )
            with server_owned_writes():
                unrated.write({"rating_avg": mean, "rating_count": 0})
                for person, stars, n in groups:
                    if not person:
                        continue
                    person.sudo().write(
                        {
                            "rating_avg": (prior * mean + stars) / (prior + n),
                            "rating_count": n,
                        }
                    )

    def _zip_prefixes(self):
        self.ensure_one()
        return tuple(
            p.strip().upper()
            for p in (self.service_zip_prefixes or "").split(",")
            if p.strip()
        )

    def action_suspend(self):
        self.env["fsm.order"]._check_dispatcher()
        if any(not p.suspension_reason for p in self):
            raise UserError(
                self.env._("Enter the suspension reason first, then suspend.")
            )
        self.dispatch_state = "suspended"

    def action_reinstate(self):
        self.env["fsm.order"]._check_dispatcher()
        self.write({"dispatch_state": "active", "suspension_reason": False})
