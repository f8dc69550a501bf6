# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import verdict

START_BASIS_SELECTION = [
    ("installation", "Installation Date"),
    ("delivery", "Delivery Date"),
    ("invoice", "Invoice Date"),
]


class WarrantyPolicyVersion(models.Model):
    """One effective-dated version of a policy.

    The version in force on a claim's report date decides the claim; the
    periods of a policy's versions never overlap.
    """

    _name = "warranty.policy.version"
    _description = "Warranty Policy Version"
    _inherit = ("mail.thread",)
    _order = "policy_id, date_from desc, id"

    policy_id = fields.Many2one(
        "warranty.policy", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Version", required=True, default="1", tracking=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    date_from = fields.Date(string="Effective From", tracking=True)
    date_to = fields.Date(string="Effective To", tracking=True)
    start_basis = fields.Selection(
        START_BASIS_SELECTION,
        required=True,
        default="installation",
        tracking=True,
        help="What starts the warranty. Units never installed start the given "
        "number of days after delivery (or on the invoice date without a "
        "delivery).",
    )
    delivery_days = fields.Integer(
        string="Days after Delivery",
        default=15,
        tracking=True,
        help="The warranty starts this many days after the delivery when it is "
        "the basis, or when an installation is expected but does not happen.",
    )
    line_ids = fields.One2many(
        "warranty.policy.line", "version_id", string="Coverage", copy=True
    )
    exclusion_ids = fields.Many2many(
        "warranty.exclusion",
        "warranty_policy_version_exclusion_rel",
        "version_id",
        "exclusion_id",
        string="Exclusions",
        default=lambda self: self.env["warranty.exclusion"].search([]),
    )
    sanbao = fields.Boolean(
        string="三包 Rules",
        tracking=True,
        help="China's 三包 rules for performance faults: return, exchange, free "
        "exchange after failed repairs; the warranty clock pauses during repairs.",
    )
    return_days = fields.Integer(default=7)
    exchange_days = fields.Integer(default=15)
    max_failed_repairs = fields.Integer(
        string="Exchange after Failed Repairs", default=2
    )
    labour_rate = fields.Float(
        string="Labour Rate per Hour",
        help="Labour cost of a covered repair per hour worked, billed to the brand.",
    )
    travel_fee = fields.Float(
        help="Travel cost of a covered on-site repair, billed to the brand."
    )
    pause_in_repair = fields.Boolean(
        string="Pause During Repairs",
        help="End dates move by the days the unit spent in repair.",
    )

    @api.depends("policy_id.name", "name", "date_from", "date_to")
    def _compute_display_name(self):
        for version in self:
            period = "{} → {}".format(version.date_from or "…", version.date_to or "…")
            version.display_name = (
                f"{version.policy_id.name} v{version.name} ({period})"
            )

    @api.onchange("sanbao")
    def _onchange_sanbao(self):
        if self.sanbao:
            self.pause_in_repair = True

    @api.constrains("date_from", "date_to", "policy_id")
    def _check_periods(self):
        for policy in self.policy_id:
            for version in self.filtered(lambda v, p=policy: v.policy_id == p):
                if (
                    version.date_from
                    and version.date_to
                    and version.date_to < version.date_from
                ):
                    raise ValidationError(
                        self.env._(
                            "Version %s ends before it starts: fix its dates.",
                            version.display_name,
                        )
                    )
            versions = self.search([("policy_id", "=", policy.id)])
            pairs = verdict.overlaps(versions._engine_versions())
            if pairs:
                first, second = self.browse(pairs[0])
                raise ValidationError(
                    self.env._(
                        "Versions %(first)s and %(second)s of policy %(policy)s "
                        "overlap: end the older one the day before the newer "
                        "one starts.",
                        first=first.display_name,
                        second=second.display_name,
                        policy=policy.name,
                    )
                )

    @api.constrains(
        "return_days", "exchange_days", "max_failed_repairs", "delivery_days"
    )
    def _check_days(self):
        for version in self:
            if (
                min(
                    version.return_days,
                    version.exchange_days,
                    version.max_failed_repairs,
                    version.delivery_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Version %s: days and repair counts cannot be negative.",
                        version.display_name,
                    )
                )

    def _engine_versions(self):
        """The versions as engine values."""
        return [
            verdict.Version(
                version_id=version.id,
                date_from=version.date_from or None,
                date_to=version.date_to or None,
                lines=tuple(
                    verdict.Line(
                        cost_class=line.cost_class,
                        months=line.months,
                        part_category_ids=frozenset(line.part_categ_ids.ids),
                        line_id=line.id,
                    )
                    for line in version.line_ids
                ),
                exclusions=frozenset(version.exclusion_ids.mapped("code")),
                sanbao=version.sanbao,
                return_days=version.return_days,
                exchange_days=version.exchange_days,
                max_failed_repairs=version.max_failed_repairs,
                pause_in_repair=version.pause_in_repair,
                name=version.display_name,
            )
            for version in self
        ]
