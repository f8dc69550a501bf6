# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    settlement_run_id = fields.Many2one(
        "settlement.run", readonly=True, index="btree_not_null", copy=False
    )
    settlement_person_id = fields.Many2one(
        "fsm.person", string="Settled Technician", readonly=True, copy=False
    )
    settlement_line_ids = fields.One2many(
        "settlement.job.line", "move_id", string="Settled Jobs", readonly=True
    )
    settlement_released = fields.Boolean(
        readonly=True,
        copy=False,
        help="Reset or cancelled by hand: its jobs went back to releasable and "
        "the next run pays them; this bill can no longer be posted.",
    )

    def _settlement_release_lines(self, reason):
        bills = self.filtered("settlement_run_id")
        if not bills:
            return
        lines = bills.settlement_line_ids
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

    def _compute_name(self):
        """Number the bills of a settlement run in one pass.

        Odoo numbers posted moves one at a time: for each, a query for the
        last number of the journal, then the increment (``_locked_increment``:
        the first number taken in the transaction locks the sequence through
        the unique index, the following ones come from the transaction's
        cache). For a run's bills (same journal, same date) that query is the
        same every time: the first bill goes Odoo's way, which takes the lock
        and fills the cache, and the others continue from that cache as
        ``_locked_increment`` itself would, without a query each.
        """
        if not self.env.context.get("settlement_bulk_naming"):
            return super()._compute_name()
        fresh = self.filtered(
            lambda m: (
                m.settlement_run_id
                and m.state == "posted"
                and m.date
                and (not m.name or m.name == "/")
            )
        )
        super(AccountMove, self - fresh)._compute_name()
        for moves in fresh.grouped(lambda m: (m.journal_id, m.date)).values():
            moves = moves.sorted(lambda m: (m.ref or "", m.id))  # as Odoo does
            first, others = moves[0], moves[1:]
            super(AccountMove, first)._compute_name()
            if others:
                others._settlement_continue_sequence(first)
        return None

    def _settlement_continue_sequence(self, first):
        """Give ``self`` the numbers following ``first``'s (just taken by
        ``_locked_increment``, which holds the sequence's lock), through the
        sequence cache of the transaction."""
        if not first.name or first.name == "/":
            return super()._compute_name()
        format_string, format_values = first._get_sequence_format_param(first.name)
        seq = format_values.pop("seq")
        cache = first._get_sequence_cache()
        cache_key = (
            format_string.format(**format_values, seq=0),
            first._sequence_index and first[first._sequence_index],
        )
        if cache.get(cache_key) != seq:  # the lock is not ours: Odoo's way
            return super()._compute_name()
        # what a new name recomputes (the journal items' number...), read
        # before the names change: reading the journal items afterwards would
        # flush their new number on its own, apart from their new state
        registry = self.env.registry
        to_compute = []
        triggers = registry._field_triggers[self._fields["name"]]
        for inverse, triggered_fields in triggers.items():
            for triggered_field in triggered_fields:
                if not triggered_field.store or not triggered_field.compute:
                    continue
                for field in registry.field_inverses[inverse[0]] if inverse else [None]:
                    records = self[field.name] if field else self
                    to_compute.append((triggered_field, records))
        for move in self:
            seq += 1
            move.with_context(
                clear_sequence_mixin_cache=False
            ).name = format_string.format(**format_values, seq=seq)
        cache[cache_key] = seq
        for triggered_field, records in to_compute:
            self.env.add_to_compute(triggered_field, records)
        self._compute_split_sequence()
        self._inverse_name()
        return None

    def action_print_settlement_statement(self):
        return self.env.ref(
            "master_settlement.settlement_statement_report"
        ).report_action(self)
