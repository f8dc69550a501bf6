# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The settlement run: its period, journal, state and checks.

Its other concerns live next to it, each a thin ``_inherit``: running it in
chunks of technicians (``settlement_run_chunk``), the bills, credit notes and
netting of earlier balances (``settlement_run_bill``), the dry run compared
with the last run (``settlement_run_preview``)."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from ..tools.access import USER, check_group

RUN_ACTIONS = _lt("changes through Preview and Run (or Resume) only")
# what the accountant chooses while the run is a draft
FROZEN_ONCE_STARTED = ("company_id", "date_from", "date_to", "journal_id")


class SettlementRun(models.Model):
    """Pays every releasable job of a period: one posted vendor bill per
    technician (a vendor credit note when their chargebacks exceed their
    earnings), in chunks of technicians (background jobs), each chunk
    committed on its own so that a run stopped half way resumes where it
    stopped and never pays a job twice.

    The chunks of a run write no row they share: the company's journals and
    accounts are made by the request that starts the run, the progress is
    read from the job lines the chunks bill, and the run is finished by one
    more job that queue_job starts once every chunk is done. Chunks of one
    run, on two workers or two servers at once, never wait for each other nor
    fail to serialize on each other."""

    _name = "settlement.run"
    _description = "Technician Settlement Run"
    _inherit = ["install.server.owned.mixin", "mail.thread", "mail.activity.mixin"]  # noqa: RUF012
    _order = "date_to desc, id desc"

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        server_owned=_lt("given by the settlement run sequence"),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda s: s.env.company,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, tracking=True)
    date_to = fields.Date(string="To", required=True, tracking=True)
    journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', '=', 'purchase'), ('company_id', '=', company_id)]",
        help="Empty: the company's settlement journal (created when missing). "
        "Fixed once the run has started.",
        tracking=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        server_owned=RUN_ACTIONS,
    )
    line_ids = fields.One2many(
        "settlement.job.line",
        "run_id",
        string="Job Lines",
        readonly=True,
        server_owned=RUN_ACTIONS,
    )
    move_ids = fields.One2many(
        "account.move",
        "settlement_run_id",
        string="Vendor Bills",
        readonly=True,
        server_owned=RUN_ACTIONS,
    )
    bill_count = fields.Integer(compute="_compute_bill_stats")
    amount_total = fields.Monetary(string="Total Billed", compute="_compute_bill_stats")

    _dates = models.Constraint(
        "CHECK(date_to >= date_from)",
        "A settlement period cannot end before it starts.",
    )

    @api.model
    def _server_owned_prepare_create(self, vals_list):
        # the reference from the sequence
        return [
            {
                **vals,
                "name": vals.get("name")
                if vals.get("name", "/") != "/"
                else self.env["ir.sequence"].next_by_code("settlement.run"),
            }
            for vals in super()._server_owned_prepare_create(vals_list)
        ]

    def _server_owned_check_write(self, vals):
        res = super()._server_owned_check_write(vals)
        frozen = [name for name in FROZEN_ONCE_STARTED if name in vals]
        started = self.filtered(lambda run: run.state != "draft") if frozen else None
        if started:
            raise UserError(
                self.env._(
                    "Settlement %(run)s has started: its company, period and "
                    "journal are those of its bills and can no longer change "
                    "(%(fields)s). Nothing was saved.",
                    run=started[0].name,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in frozen
                    ),
                )
            )
        return res

    def _compute_bill_stats(self):
        # the run's figures, for every user who reads the run (a settlement
        # clerk has no access to journal entries)
        groups = {
            run: (count, total)
            for run, count, total in self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("settlement_run_id", "in", self.ids),
                    ("state", "=", "posted"),
                    ("move_type", "=", "in_invoice"),
                ],
                groupby=["settlement_run_id"],
                aggregates=["__count", "amount_total:sum"],
            )
        }
        for run in self:
            run.bill_count, run.amount_total = groups.get(run.sudo(), (0, 0.0))

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _journal(self):
        self.ensure_one()
        return self.journal_id or self.company_id._settlement_journal()

    def _check_runnable(self):
        self.ensure_one()
        company = self.company_id
        journal = self._journal()
        if journal.type != "purchase" or journal.company_id != company:
            raise UserError(
                self.env._(
                    "Journal %(journal)s is not a purchase journal of %(company)s.",
                    journal=journal.display_name,
                    company=company.name,
                )
            )
        company._settlement_check_currency(journal)
        locks = company._get_violated_lock_dates(self.date_to, False, journal)
        if locks:
            raise UserError(
                self.env._(
                    "Settlement %(run)s cannot bill on %(day)s: the period is "
                    "locked (%(locks)s). Pick a period after the lock date or ask "
                    "an adviser to move it. Nothing was written.",
                    run=self.name,
                    day=self.date_to,
                    locks=company._format_lock_dates(locks),
                )
            )
        foreign = self.env["settlement.job.line"].search_count(
            self._line_domain() + [("currency_id", "!=", company.currency_id.id)],
            limit=1,
        )
        if foreign:
            raise UserError(
                self.env._(
                    "Some releasable jobs of %(company)s are not in %(currency)s: "
                    "bills are in the company currency; reprice them first.",
                    company=company.name,
                    currency=company.currency_id.name,
                )
            )
        return journal

    def _line_domain(self, person_ids=None):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("ledger_state", "=", "releasable"),
            ("releasable_date", "<=", self.date_to),
        ]
        if person_ids is not None:
            domain.append(("person_id", "in", list(person_ids)))
        return domain

    def action_view_bills(self):
        check_group(self.env, USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("settlement_run_id", "=", self.id)]
        action["context"] = {"default_move_type": "in_invoice", "create": False}
        return action

    def action_view_lines(self):
        check_group(self.env, USER)
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "master_settlement.settlement_job_line_action"
        )
        action["domain"] = [("run_id", "=", self.id)]
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        for run in self:
            if run.state != "draft":
                raise UserError(
                    self.env._(
                        "Settlement %s has started: it cannot be deleted.", run.name
                    )
                )
