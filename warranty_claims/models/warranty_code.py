# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import io
import secrets

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

from ..engine import gs1, signer
from ..tools import MANAGER, OFFICER, check_group

try:
    import qrcode
except ImportError:  # pragma: no cover - listed in external_dependencies
    qrcode = None

SECRET_PARAM = "warranty_claims.code_secret.%s"


class WarrantyCodeError(UserError):
    """A code that cannot be used; ``kind`` is ``malformed``, ``typo``,
    ``forged``, ``unknown`` or ``revoked``."""

    def __init__(self, message, kind):
        super().__init__(message)
        self.kind = kind


SERIAL_SEQUENCE = "warranty_code_serial_seq"


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
    gtin = fields.Char(
        string="GTIN",
        compute="_compute_verify_url",
        help="The product barcode as a 14-digit GTIN.",
    )
    verify_url = fields.Char(
        string="Verification URL",
        compute="_compute_verify_url",
        help="GS1 Digital Link printed in the QR code of the unit.",
    )
    qr_image = fields.Binary(string="QR Code", compute="_compute_qr_image")
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

    def init(self):
        # serial numbers signed into the codes; a sequence never gives the same
        # number twice, even across rolled-back transactions
        self.env.cr.execute(
            SQL("CREATE SEQUENCE IF NOT EXISTS %s", SQL(SERIAL_SEQUENCE))
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

    @api.depends("code", "serial", "product_id.barcode", "company_id.website")
    def _compute_verify_url(self):
        for record in self:
            gtin = gs1.gtin14(record.product_id.barcode)
            record.gtin = gtin or False
            record.verify_url = (
                record.code
                and gtin
                and gs1.digital_link(
                    self._base_url(record.company_id),
                    gtin,
                    record.serial,
                    record.code,
                )
                or False
            )

    @api.depends("verify_url")
    def _compute_qr_image(self):
        for record in self:
            record.qr_image = (
                record.verify_url and qrcode and self._qr_png(record.verify_url)
            ) or False

    @api.model
    def _qr_png(self, data):
        """Base64 PNG of a QR code encoding ``data``."""
        image = qrcode.make(data, box_size=4, border=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue())

    # ------------------------------------------------------------------
    # secrets and signing
    # ------------------------------------------------------------------
    @api.model
    def _base_url(self, company):
        """Base URL of the verification links: the company's website, else
        this server's."""
        return gs1.base_url(
            company.website
            or self.env["ir.config_parameter"].sudo().get_param("web.base.url")
        )

    @api.model
    def _company_secret(self, company, create=True):
        """The signing secret of ``company`` (bytes), created on first use
        (``None`` when it has none and ``create`` is false)."""
        params = self.env["ir.config_parameter"].sudo()
        key = SECRET_PARAM % company.id
        value = params.get_param(key)
        if not value and not create:
            return None
        if not value:
            value = secrets.token_hex(32)
            try:
                with self.env.cr.savepoint():
                    params.set_param(key, value)
            except psycopg2.errors.UniqueViolation:
                # another transaction created it first: retry the whole
                # transaction (Odoo's retry loop), which then reads theirs
                raise ConcurrencyError(
                    f"the signing secret of company {company.id} was created "
                    "by a concurrent transaction"
                ) from None
        return bytes.fromhex(value)

    @api.model
    def _all_secrets(self):
        """The signing secrets of every company that has one."""
        params = (
            self.env["ir.config_parameter"]
            .sudo()
            .search_fetch([("key", "=like", SECRET_PARAM % "%")], ["value"])
        )
        return [bytes.fromhex(param.value) for param in params]

    @api.model
    def _next_serials(self, count):
        """``count`` fresh serial numbers to sign (increasing, never reused)."""
        if count <= 0:
            return []
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                SERIAL_SEQUENCE,
                count,
            )
        )
        return [serial for (serial,) in self.env.cr.fetchall()]

    @api.model
    def _sign_new(self, company, count):
        """``count`` new grouped codes signed for ``company``."""
        secret = self._company_secret(company)
        return signer.sign_many(secret, self._next_serials(count))

    # ------------------------------------------------------------------
    # lookup
    # ------------------------------------------------------------------
    @api.model
    def _lookup(self, text, company=None, allow_revoked=False):
        """The code record of ``text`` as typed or scanned by a person.

        Case, spaces, dashes and Crockford's aliases (O/0, I/L/1) do not
        matter. Raises a :class:`UserError` for a malformed code, a typing
        error (check symbol), a forged code (tag not signed by the company),
        an unknown code, and a revoked one unless ``allow_revoked`` (read-only
        lookups such as the public verification page). Record rules apply:
        call it with ``sudo()`` for public lookups.
        """
        try:
            code, _serial = signer.parse(text)
        except signer.CodeError as err:
            raise self._code_error(err.kind) from None
        domain = Domain("code", "=", code)
        if company:
            domain &= Domain("company_id", "=", company.id)
        record = self.search_fetch(domain, self._lookup_fields(), limit=1)
        if record or company:
            secret = self._company_secret(record.company_id or company, create=False)
            genuine = bool(secret) and signer.tag_matches(secret, code)
        else:
            # not ours to find: forged, or signed by a company we cannot see
            genuine = any(signer.tag_matches(s, code) for s in self._all_secrets())
        if not genuine:
            raise self._code_error("forged")
        if not record:
            raise self._code_error("unknown")
        if record.state == "revoked" and not allow_revoked:
            raise self._code_error("revoked")
        return record

    @api.model
    def _lookup_fields(self):
        """Fields read with the code by :meth:`_lookup` (one query)."""
        return [
            "code",
            "serial",
            "lot_id",
            "product_id",
            "company_id",
            "state",
            "activation_date",
        ]

    @api.model
    def _code_error(self, kind):
        messages = {
            "malformed": self.env._(
                "A warranty code has 16 letters and digits, e.g. "
                "ABCD-EFGH-JKMN-PQRS (the letters I, L, O and U are not used)."
            ),
            "typo": self.env._(
                "This warranty code contains a typing error: check each letter "
                "and digit against the label."
            ),
            "forged": self.env._(
                "This is not a genuine warranty code: it was not issued by us."
            ),
            "unknown": self.env._(
                "This warranty code is not registered: please contact the "
                "after-sales service."
            ),
            "revoked": self.env._(
                "This warranty code has been revoked and is no longer valid."
            ),
        }
        return WarrantyCodeError(messages[kind], kind)

    # ------------------------------------------------------------------
    # issuance and life cycle
    # ------------------------------------------------------------------
    @api.model
    def _issue_for_lots(self, lots):
        """The valid code of each lot of ``lots``, issuing (signing) a new one
        for the lots that have none. Returns the codes in the order of
        ``lots``."""
        lots = lots.exists()
        if not lots:
            return self.browse()
        # codes printed for these serials but not linked yet
        self._link_lots(lots)
        existing = self.sudo().search(
            [("lot_id", "in", lots.ids), ("state", "!=", "revoked")]
        )
        by_lot = {code.lot_id: code for code in existing}
        missing = lots.filtered(lambda lot: lot not in by_lot)
        vals_list = []
        for company in missing.company_id or self.env.company:
            company_lots = missing.filtered(
                lambda lot, c=company: (lot.company_id or self.env.company) == c
            )
            codes = self._sign_new(company, len(company_lots))
            vals_list += [
                {
                    "code": code,
                    "serial": lot.name,
                    "lot_id": lot.id,
                    "product_id": lot.product_id.id,
                    "company_id": company.id,
                }
                for lot, code in zip(company_lots, codes, strict=True)
            ]
        with server_owned_writes():
            created = self.sudo().create(vals_list)
        for code in created:
            by_lot[code.lot_id] = code
        return self.browse([by_lot[lot].id for lot in lots])

    @api.model
    def _link_lots(self, lots):
        """Link to ``lots`` the codes printed for their serial numbers whose
        unit had no ``stock.lot`` yet (same serial and product, the lot's
        company or none). A lot gets at most one valid code. One search and
        one UPDATE of this model's table, whatever the number of lots."""
        lots = lots.sudo().exists()
        if not lots:
            return self.browse()
        codes = self.sudo().search_fetch(
            [
                ("lot_id", "=", False),
                ("serial", "in", list(set(lots.mapped("name")))),
                ("product_id", "in", lots.product_id.ids),
            ],
            ["serial", "product_id", "company_id", "state"],
            order="id",
        )
        if not codes:
            return self.browse()
        by_key = {}
        for lot in lots:
            by_key.setdefault((lot.name, lot.product_id.id), []).append(lot)
        has_valid = {
            code.lot_id.id
            for code in self.sudo().search_fetch(
                [("lot_id", "in", lots.ids), ("state", "!=", "revoked")], ["lot_id"]
            )
        }
        pairs = []
        for code in codes:
            lot = next(
                (
                    lot
                    for lot in by_key.get((code.serial, code.product_id.id), ())
                    if not lot.company_id or lot.company_id == code.company_id
                ),
                None,
            )
            if not lot:
                continue
            if code.state != "revoked":
                if lot.id in has_valid:
                    continue
                has_valid.add(lot.id)
            pairs.append((code.id, lot.id))
        if not pairs:
            return self.browse()
        self.flush_model(["lot_id"])
        self.env.cr.execute(
            SQL(
                """UPDATE warranty_code c
                      SET lot_id = new.lot_id, write_uid = %s, write_date = %s
                     FROM unnest(%s::int[], %s::int[]) AS new(id, lot_id)
                    WHERE c.id = new.id AND c.lot_id IS NULL""",
                self.env.uid,
                fields.Datetime.now(),
                [code_id for code_id, _lot_id in pairs],
                [lot_id for _code_id, lot_id in pairs],
            )
        )
        linked = self.browse([code_id for code_id, _lot_id in pairs])
        linked.invalidate_recordset(["lot_id", "write_uid", "write_date"])
        lots.invalidate_recordset(["warranty_code_ids"])
        return linked

    def _ensure_lots(self):
        """The unit (``stock.lot``) of each code, in the order of the codes:
        its lot, else a lot of its serial that exists but was not linked,
        else a new lot made by the ORM (the unit materialises: registered or
        claimed before any receipt)."""
        codes = self.sudo()
        missing = codes.filtered(lambda code: not code.lot_id)
        if missing:
            lots = self.env["stock.lot"].sudo()
            self._link_lots(
                lots.search(
                    [
                        ("name", "in", missing.mapped("serial")),
                        ("product_id", "in", missing.product_id.ids),
                    ]
                )
            )
            missing = missing.filtered(lambda code: not code.lot_id)
            # the new lots find their codes by serial (stock.lot.create)
            lots.create(
                [
                    {
                        "name": code.serial,
                        "product_id": code.product_id.id,
                        "company_id": code.company_id.id,
                    }
                    for code in missing
                ]
            )
        return self.env["stock.lot"].browse([code.lot_id.id for code in codes])

    @api.model
    def _lots_needing_code(self, lots):
        """The lots of ``lots`` that should get a warranty code when delivered:
        serial-tracked products. Override to narrow it (e.g. to products
        with a warranty policy)."""
        return lots.filtered(lambda lot: lot.product_id.tracking == "serial")

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

    def _flag_cloned(self, places):
        """Flag the code as possibly cloned (scanned in ``places``, a set of
        (country, city)): a chatter note and an activity for the batch's
        responsible."""
        self.ensure_one()
        code = self.sudo()
        with server_owned_writes():
            code.possibly_cloned = True
        where = ", ".join(
            sorted(
                f"{city}, {country}" if city else country for country, city in places
            )
        )
        note = self.env._(
            "Scanned in very different places within %(hours)s hours: %(places)s. "
            "The label may have been copied.",
            hours=f"{self.env['warranty.code.scan']._clone_window():g}",
            places=where,
        )
        code.message_post(body=note, subtype_xmlid="mail.mt_note")
        user = code.batch_id.user_id or code.create_uid
        if user and not user.share and user.active:
            code.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Possibly cloned warranty code"),
                note=note,
                user_id=user.id,
            )

    def _public_info(self):
        """What anybody holding the code may see: no personal data.

        The public page (HTML and JSON) shows this dict. Extensions may add
        ``"installed"`` (bool) and ``"coverage"``: a list of
        ``{"name": str, "end_date": "YYYY-MM-DD"}``, both rendered by the
        page template; any other key is only in the JSON answer. Read only
        what is shown (``fetch`` the columns): the page must stay fast.
        """
        self.ensure_one()
        # the public page reads only these columns (not whole records)
        self.fetch(["serial", "activation_date"])
        self.product_id.fetch(["barcode", "product_tmpl_id"])
        self.product_id.product_tmpl_id.fetch(["name"])
        self.company_id.fetch(["name"])
        return {
            "code": self.code,
            "product": self.product_id.product_tmpl_id.name,
            "gtin": gs1.gtin14(self.product_id.barcode) or None,
            "serial": self.serial,
            "brand": self.company_id.name,
            "state": self.state,
            "valid": self.state != "revoked",
            "activation_date": self.activation_date
            and fields.Date.to_string(self.activation_date)
            or None,
        }
