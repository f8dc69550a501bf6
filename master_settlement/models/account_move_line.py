# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    settlement_job_line_id = fields.Many2one(
        "settlement.job.line",
        string="Settled Job",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    settlement_role = fields.Selection(
        [
            ("job", "Job"),
            ("chargeback", "Chargeback"),
            ("bonus", "Bonus"),
            ("commission", "Commission"),
            ("penalty", "Penalty"),
            ("carry", "Balance Brought Forward"),
        ],
        readonly=True,
        copy=False,
    )

    _settlement_job_once = models.UniqueIndex(
        "(settlement_job_line_id) WHERE settlement_job_line_id IS NOT NULL"
        " AND parent_state = 'posted'",
        "A technician job can be on one posted bill only.",
    )

    def _compute_totals(self):
        """A settlement line without taxes totals its amount: what Odoo's tax
        engine gives for it (no tax, the currency's rounding), without building
        a tax base line for each of a run's thousands of lines. Any other line,
        or a settlement line given a tax by hand, goes Odoo's way."""
        plain = self.filtered(
            lambda line: (
                line.settlement_role
                and line.display_type == "product"
                and line.move_id
                and line.currency_id
                and not line.tax_ids
            )
        )
        for line in plain:
            line.price_subtotal = line.price_total = line.currency_id.round(
                line.price_unit * line.quantity * (1 - (line.discount or 0.0) / 100.0)
            )
        return super(AccountMoveLine, self - plain)._compute_totals()
