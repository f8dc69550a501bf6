# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import signer
from ..tools import MANAGER, OFFICER, check_group


class WarrantyCodeError(UserError):
    """A code that cannot be used; ``kind`` is ``malformed``, ``typo``,
    ``forged``, ``unknown`` or ``revoked``."""

    def __init__(self, message, kind):
        super().__init__(message)
        self.kind = kind


class WarrantyCode(models.Model):
    """One signed warranty code per unit (serial number).

    The code carries a truncated HMAC of a serial number under a secret of
    the company (see ``engine/signer.py``): it cannot be forged nor
    enumerated, and its check symbol catches typing errors before any
    database lookup. The secret lives in a system parameter per company
    (readable by administrators only, never shown on a view) and is created
    the first time the company signs a code.

    Every field is owned by the server (``install.server.owned.mixin``): a
    code, its serial, product, company, batch, lot, state and scans are
    evidence; they change only through the code's own actions (issuance,
    activation at registration, Revoke, clone detection, lots made when the
    unit materialises).

    The unit's serial number is kept on the code (``serial``). Its
    ``stock.lot`` is made by the ORM when the unit materialises: received or
    produced (any ``stock.lot`` created with that serial and product links
    the code), registered or claimed (:meth:`_ensure_lots`). Codes printed
    for a production run therefore have no lot until then.

    Concerns in files of their own: ``warranty_code_signing.py`` (secrets,
    signing, lookup), ``warranty_code_lot.py`` (codes and their lots),
    ``warranty_code_public.py`` (what the public page shows, clone alerts).
    """

    _name = "warranty.code"
    _description = "Warranty Code"
    _inherit = ("install.server.owned.mixin", "mail.thread", "mail.activity.mixin")
    _rec_name = "code"
    _order = "id desc"
    _check_company_auto = True

    code = fields.Char(
        server_owned=True,
        required=True,
        readonly=True,
        copy=False,
        help="Printed on the unit, grouped by four: XXXX-XXXX-XXXX-XXXX.",
    )
    serial = fields.Char(
        server_owned=True,
        string="Serial Number",
        required=True,
        readonly=True,
        copy=False,
        help="The unit's serial number, printed with the code.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        server_owned=_lt(
            "made when the unit is received, produced, registered or claimed"
        ),
        string="Lot/Serial",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="The unit in stock: made when the unit is received, produced, "
        "registered or claimed.",
    )
    product_id = fields.Many2one(
        "product.product",
        server_owned=True,
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        server_owned=True,
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    state = fields.Selection(
        [
            ("generated", "Generated"),
            ("activated", "Activated"),
            ("revoked", "Revoked"),
        ],
        server_owned=_lt(
            "use Revoke on the code; it is activated when the unit is registered"
        ),
        default="generated",
        required=True,
        readonly=True,
        tracking=True,
    )
    batch_id = fields.Many2one(
        "warranty.code.batch",
        server_owned=True,
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    activation_date = fields.Date(server_owned=True, readonly=True, tracking=True)
    possibly_cloned = fields.Boolean(
        server_owned=_lt("set by the scans of the public page"),
        readonly=True,
        tracking=True,
        help="Scanned in very different places within a short time: the label "
        "may have been copied.",
    )
    scan_ids = fields.One2many(
        "warranty.code.scan", "code_id", readonly=True, server_owned=True
    )
    scan_count = fields.Integer(compute="_compute_scan_count")
    code_typed = fields.Char(
        string="Code as typed",
        compute="_compute_code_typed",
        search="_search_code_typed",
        help="Search a code the way a customer reads it: any case, with or "
        "without dashes, O for 0, I or L for 1.",
    )

    # (code, company): unique per company, and the index of code lookups
    _code_company_uniq = models.Constraint(
        "UNIQUE(code, company_id)",
        "A warranty code is unique per company.",
    )
    # lots find their codes by serial (and batches check their prefix: LIKE)
    _serial_idx = models.Index("(serial varchar_pattern_ops)")
    _lot_valid_uniq = models.UniqueIndex(
        "(lot_id) WHERE state != 'revoked'",
        "A serial number has only one valid warranty code: revoke it first.",
    )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    def _compute_scan_count(self):
        counts = dict(
            self.env["warranty.code.scan"]._read_group(
                [("code_id", "in", self.ids)],
                groupby=["code_id"],
                aggregates=["__count"],
            )
        )
        for record in self:
            record.scan_count = counts.get(record, 0)

    @api.depends("code")
    def _compute_code_typed(self):
        for record in self:
            record.code_typed = record.code

    def _search_code_typed(self, operator, value):
        if operator not in ("ilike", "=", "=ilike") or not isinstance(value, str):
            return NotImplemented
        try:
            code, _payload = signer.parse(value)
        except signer.CodeError:
            # a part of a code: compare without dashes nor spaces
            compact = "".join(value.replace("-", "").split())
            if not compact:
                return []
            pattern = compact.replace("\\", "\\\\").replace("%", "\\%")
            pattern = pattern.replace("_", "\\_")
            return [
                (
                    "id",
                    "in",
                    SQL(
                        "SELECT id FROM warranty_code"
                        " WHERE replace(code, '-', '') ILIKE %s",
                        f"%{pattern}%",
                    ),
                )
            ]
        return [("code", "=", code)]

    def _activate(self, date=None):
        """Mark the codes activated on ``date`` (today by default); codes
        already activated keep their first activation date."""
        revoked = self.filtered(lambda c: c.state == "revoked")
        if revoked:
            raise UserError(
                self.env._(
                    "Revoked warranty codes cannot be activated: %(codes)s",
                    codes=", ".join(revoked.mapped("code")),
                )
            )
        with server_owned_writes():
            self.filtered(lambda c: c.state == "generated").write(
                {
                    "state": "activated",
                    "activation_date": date or fields.Date.context_today(self),
                }
            )
        return True

    def action_revoke(self):
        check_group(self, MANAGER, self.env._("Revoking a warranty code"))
        revoked = self.filtered(lambda c: c.state == "revoked")
        if revoked:
            raise UserError(
                self.env._(
                    "These warranty codes are already revoked: %(codes)s",
                    codes=", ".join(revoked.mapped("code")),
                )
            )
        with server_owned_writes():
            self.write({"state": "revoked"})
        return True

    def action_view_scans(self):
        check_group(self, OFFICER, self.env._("Viewing the scans of a code"))
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "warranty_claims.warranty_code_scan_action"
        )
        action["domain"] = [("code_id", "=", self.id)]
        return action
