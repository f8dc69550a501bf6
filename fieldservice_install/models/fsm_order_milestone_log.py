# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import _lt

INSPECTION_RESULTS = [("pass", "Pass"), ("fail", "Fail")]
# what the technician gives when logging (checked by the order's rules);
# everything else of an entry is the server's
LOG_INPUTS = frozenset(
    {
        "order_id",
        "milestone_id",
        "latitude",
        "longitude",
        "attachment_ids",
        "lot_id",
        "signature",
        "inspection_result",
        "note",
    }
)
APPEND_ONLY = _lt("the log is append-only: log a new entry with a note")


class FsmOrderMilestoneLog(models.Model):
    """What a technician logged, when, where and with which evidence.

    Append-only: entries are created (through the order's rules, see
    ``fsm.order._milestone_prepare_log_vals_list``) and never changed nor
    deleted, by anyone. Creating an entry is the logging action: the caller
    gives the order, the milestone and the evidence (``LOG_INPUTS``), checked
    by the order's rules; the time, the author, the distance to the site and
    the company are the server's, and a create naming them is refused.
    """

    _name = "fsm.order.milestone.log"
    _inherit = ("install.server.owned.mixin",)
    _description = "Field Service Milestone Log"
    _order = "order_id, timestamp, id"
    _rec_name = "milestone_id"

    order_id = fields.Many2one(
        "fsm.order",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
        server_owned=APPEND_ONLY,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, precompute=True
    )
    milestone_id = fields.Many2one(
        "fsm.milestone.template",
        required=True,
        ondelete="restrict",
        readonly=True,
        server_owned=APPEND_ONLY,
    )
    timestamp = fields.Datetime(required=True, readonly=True, server_owned=APPEND_ONLY)
    user_id = fields.Many2one(
        "res.users",
        string="Logged by",
        required=True,
        readonly=True,
        server_owned=APPEND_ONLY,
    )
    latitude = fields.Float(digits=(10, 7), readonly=True, server_owned=APPEND_ONLY)
    longitude = fields.Float(digits=(10, 7), readonly=True, server_owned=APPEND_ONLY)
    distance_known = fields.Boolean(readonly=True, server_owned=APPEND_ONLY)
    distance_km = fields.Float(
        string="Distance to Site (km)",
        digits=(16, 3),
        readonly=True,
        server_owned=APPEND_ONLY,
        help="From the order's location, when both positions are known.",
    )
    far_from_site = fields.Boolean(
        readonly=True,
        server_owned=APPEND_ONLY,
        help="Checked in farther from the location than the company allows.",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "fsm_order_milestone_log_attachment_rel",
        "log_id",
        "attachment_id",
        string="Photos",
        readonly=True,
        server_owned=APPEND_ONLY,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        readonly=True,
        server_owned=APPEND_ONLY,
        ondelete="restrict",
    )
    signature = fields.Image(
        max_width=1024, max_height=1024, readonly=True, server_owned=APPEND_ONLY
    )
    inspection_result = fields.Selection(
        INSPECTION_RESULTS, readonly=True, server_owned=APPEND_ONLY
    )
    note = fields.Text(readonly=True, server_owned=APPEND_ONLY)

    # the caller gives the inputs only; the order's rules check them and the
    # server adds the rest (time, author, distance); context defaults would
    # skip the rules: refused for every field
    _server_owned_create_inputs = LOG_INPUTS

    @api.model
    def _server_owned_prepare_create(self, vals_list):
        return self.env["fsm.order"]._milestone_prepare_log_vals_list(
            super()._server_owned_prepare_create(vals_list)
        )

    @api.model_create_multi
    def create(self, vals_list):
        logs = super().create(vals_list)
        logs._milestone_bind_attachments()
        logs.order_id._milestone_after_log(logs)
        return logs

    def write(self, vals):  # pylint: disable=method-required-super
        # every field is the server's: refused naming them; and refused even
        # for the server's own code (the log is never changed)
        self._server_owned_check(vals)
        raise UserError(
            self.env._(
                "Milestone entries %s cannot be changed: the log is append-only. "
                "Log a new entry with a note instead.",
                ", ".join(
                    f"{log.order_id.name} / {log.milestone_id.name}" for log in self
                ),
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Milestone entries %s cannot be deleted: the log is append-only. "
                "Log a new entry with a note instead.",
                ", ".join(
                    f"{log.order_id.name} / {log.milestone_id.name}" for log in self
                ),
            )
        )

    def _milestone_bind_attachments(self):
        """Make the photos the entry's own: they then follow its access rights,
        so nobody can change or delete them either."""
        for log in self:
            attachments = log.attachment_ids
            if not attachments:
                continue
            attachments.check_access("write")
            attachments.sudo().write(
                {"res_model": self._name, "res_id": log.id, "res_field": False}
            )
