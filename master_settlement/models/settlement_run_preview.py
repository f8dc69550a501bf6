# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import settlement as engine
from ..tools.access import MANAGER, check_group
from .settlement_run import RUN_ACTIONS

PREVIEWED = _lt("computed by Preview on the settlement run")


class SettlementRunPreview(models.Model):
    """One technician's bill as a dry run computes it, against the last run.

    Every figure is the preview's computation: only *Preview* writes them (an
    accountant comparing runs must be able to trust them).
    """

    _name = "settlement.run.preview"
    _description = "Settlement Run Preview"
    _inherit = ["install.server.owned.mixin"]  # noqa: RUF012
    _order = "run_id, difference desc, id"

    run_id = fields.Many2one(
        "settlement.run",
        required=True,
        index=True,
        ondelete="cascade",
        server_owned=PREVIEWED,
    )
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    currency_id = fields.Many2one(related="run_id.currency_id")
    person_id = fields.Many2one(
        "fsm.person", string="Technician", required=True, server_owned=PREVIEWED
    )
    job_count = fields.Integer(string="Lines", server_owned=PREVIEWED)
    amount = fields.Monetary(string="Bill Amount", server_owned=PREVIEWED)
    deduction = fields.Monetary(
        string="Balance Recovered",
        help="What the bill nets of the balance the technician owes from earlier "
        "periods (capped per period).",
        server_owned=PREVIEWED,
    )
    previous_amount = fields.Monetary(string="Last Run", server_owned=PREVIEWED)
    difference = fields.Monetary(server_owned=PREVIEWED)
    carry_forward = fields.Monetary(
        string="Carried Forward",
        help="The balance the technician still owes after this run (negative).",
        server_owned=PREVIEWED,
    )
    will_bill = fields.Boolean(string="Billed", server_owned=PREVIEWED)


class SettlementRun(models.Model):
    """Preview: the bills a run would make, written as preview rows and
    compared with the last finished run, nothing else written."""

    _inherit = "settlement.run"  # pylint: disable=consider-merging-classes-inherited

    preview_ids = fields.One2many(
        "settlement.run.preview", "run_id", readonly=True, server_owned=RUN_ACTIONS
    )
    preview_date = fields.Datetime(readonly=True, server_owned=RUN_ACTIONS)

    # ------------------------------------------------------------------
    # Preview
    # ------------------------------------------------------------------
    def _previous_totals(self):
        """Per technician, what the last finished run of the company billed."""
        self.ensure_one()
        previous = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("id", "!=", self.id),
            ],
            order="date_to desc, id desc",
            limit=1,
        )
        if not previous:
            return previous, {}
        groups = self.env["account.move"]._read_group(
            [
                ("settlement_run_id", "=", previous.id),
                ("state", "=", "posted"),
                ("move_type", "=", "in_invoice"),
            ],
            groupby=["settlement_person_id"],
            aggregates=["amount_total:sum"],
        )
        return previous, {person.id: total for person, total in groups}

    def action_preview(self):
        """Compute the bills without writing anything but the preview rows."""
        check_group(self.env, MANAGER)
        for run in self:
            if run.state != "draft":
                raise UserError(
                    self.env._("Settlement %s has already started.", run.name)
                )
            run._check_runnable()
            lines = self.env["settlement.job.line"].search(run._line_domain())
            settlements, _owed = run._build(lines)
            current = {s.person_id: s.total for s in settlements if s.billed}
            _previous, before = run._previous_totals()
            by_person = {s.person_id: s for s in settlements}
            rows = engine.diff(current, before)
            persons = self.env["fsm.person"].browse(
                {row[0] for row in rows} | set(by_person)
            )
            vals = [
                Command.create(
                    run._prepare_preview_vals(
                        person,
                        by_person.get(person.id),
                        current.get(person.id, 0.0),
                        before.get(person.id, 0.0),
                    )
                )
                for person in persons
            ]
            with server_owned_writes():
                run.write(
                    {
                        "preview_ids": [Command.clear(), *vals],
                        "preview_date": fields.Datetime.now(),
                    }
                )
        return True

    def _prepare_preview_vals(self, person, settlement, amount, previous):
        """The preview row of one technician: the engine's ``settlement`` of
        this run (``None`` when the technician has nothing to bill now),
        ``amount`` its bill, ``previous`` the last run's."""
        self.ensure_one()
        return {
            "person_id": person.id,
            "job_count": len(settlement.line_ids) if settlement else 0,
            "amount": amount,
            "deduction": settlement.deduction if settlement else 0.0,
            "previous_amount": previous,
            "difference": engine.money(amount - previous),
            "carry_forward": settlement.carry_forward if settlement else 0.0,
            "will_bill": bool(settlement and settlement.billed),
        }
