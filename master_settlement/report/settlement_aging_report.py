# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL

BUCKETS = [
    ("0_15", "0-15 days"),
    ("16_30", "16-30 days"),
    ("31_60", "31-60 days"),
    ("60_plus", "Over 60 days"),
]


class SettlementAgingReport(models.Model):
    """Unpaid technician payables by age, counted from customer acceptance."""

    _name = "settlement.aging.report"
    _description = "Technician Payables Aging"
    _auto = False
    _order = "age_days desc"
    _rec_name = "job_line_id"

    job_line_id = fields.Many2one("settlement.job.line", readonly=True)
    person_id = fields.Many2one("fsm.person", string="Technician", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Payee", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    state = fields.Selection(
        [
            ("accepted", "Accepted"),
            ("held", "Held"),
            ("releasable", "Releasable"),
            ("settled", "Settled"),
            ("billed", "Billed"),
        ],
        readonly=True,
    )
    accepted_date = fields.Date(string="Accepted On", readonly=True)
    age_days = fields.Integer(string="Age (days)", readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKETS, string="Age", readonly=True)
    amount = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT l.id,
                           l.id AS job_line_id,
                           l.person_id,
                           l.partner_id,
                           l.company_id,
                           l.currency_id,
                           l.state,
                           l.accepted_date,
                           l.age_days,
                           CASE WHEN l.age_days <= 15 THEN '0_15'
                                WHEN l.age_days <= 30 THEN '16_30'
                                WHEN l.age_days <= 60 THEN '31_60'
                                ELSE '60_plus' END AS bucket,
                           l.amount
                      FROM (
                        SELECT jl.*,
                               COALESCE(jl.confirmed_date, jl.completed_date::date)
                                   AS accepted_date,
                               GREATEST(0, CURRENT_DATE - COALESCE(
                                   jl.confirmed_date, jl.completed_date::date
                               )) AS age_days
                          FROM settlement_job_line jl
                         WHERE jl.state NOT IN ('paid')
                      ) l
                )
                """,
                SQL.identifier(self._table),
            )
        )
