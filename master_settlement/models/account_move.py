# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

RUN_OWNED = _lt("set by the settlement run that made the bill")


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["install.server.owned.mixin", "account.move"]  # noqa: RUF012
    # Odoo's computed fields stay Odoo's: only the fields marked server_owned
    _server_owned_computed = False

    settlement_run_id = fields.Many2one(
        "settlement.run",
        readonly=True,
        index="btree_not_null",
        copy=False,
        server_owned=RUN_OWNED,
    )
    settlement_person_id = fields.Many2one(
        "fsm.person",
        string="Settled Technician",
        readonly=True,
        copy=False,
        index="btree_not_null",
        server_owned=RUN_OWNED,
    )
    settlement_line_ids = fields.One2many(
        "settlement.job.line", "move_id", string="Settled Jobs", readonly=True
    )
    settlement_released = fields.Boolean(
        readonly=True,
        copy=False,
        help="Reset or cancelled by hand: its jobs went back to releasable and "
        "the next run pays them; this bill can no longer be posted.",
        server_owned=_lt(
            "set when the bill is reset to draft, cancelled or deleted: it puts "
            "its jobs back to the next run"
        ),
    )

    def _settlement_release_lines(self, reason):
        bills = self.filtered("settlement_run_id")
        if not bills:
            return
        lines = bills.settlement_line_ids
        with server_owned_writes():
            bills.line_ids.filtered("settlement_job_line_id").write(
                {"settlement_job_line_id": False}
            )
            bills.write({"settlement_released": True})
        lines.sudo()._back_to_releasable(reason)
        for bill in bills:
            bill.message_post(
                body=self.env._(
                    "%s: its jobs are releasable again and the next settlement "
                    "run pays them.",
                    reason,
                )
            )

    def button_draft(self):
        res = super().button_draft()
        self._settlement_release_lines(
            self.env._("Settlement bill reset to draft by hand")
        )
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self._settlement_release_lines(self.env._("Settlement bill cancelled"))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_settlement_release(self):
        self._settlement_release_lines(self.env._("Settlement bill deleted"))

    def _post(self, soft=True):
        released = self.filtered("settlement_released")
        if released:
            raise UserError(
                self.env._(
                    "Bill %s was reset or cancelled by hand and its jobs went back "
                    "to the next settlement run: posting it again would pay them "
                    "twice. Delete it and run the settlement instead.",
                    ", ".join(released.mapped("display_name")),
                )
            )
        return super()._post(soft=soft)

    def action_print_settlement_statement(self):
        # whoever may read the bills may print them
        self.check_access("read")
        return self.env.ref(
            "master_settlement.settlement_statement_report"
        ).report_action(self)
