# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from odoo import api, fields, models
from odoo.exceptions import LockError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.translate import _lt

from odoo.addons.fieldservice_install.tools.server_owned import (
    server_owned_writes,
)
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact

from ..engine import gs1, signer
from ..tools import MANAGER, OFFICER, check_group

MAX_QUANTITY = 10_000_000
LOT_PREFIX = re.compile(r"[A-Za-z0-9._-]{1,10}")


class WarrantyCodeBatch(models.Model):
    """A production run: ``quantity`` serial numbers and their warranty codes.

    Generation writes the codes, each with its serial number, into this
    addon's own table with set-based SQL, chunk after chunk, each chunk in
    its own queue job and transaction: the progress is visible while it runs,
    and a restart resumes after the last committed chunk without generating
    any unit twice. No ``stock.lot`` is written here: a unit's lot is made by
    the ORM when the unit is received, produced, registered or claimed, and
    finds its code by serial number (see ``warranty.code``).

    The number, state, progress, codes and export are owned by the server
    (``install.server.owned.mixin``); the product, quantity, prefix and
    company are the manager's choice until the batch is generated, then
    frozen (its codes were signed for them).
    """

    _name = "warranty.code.batch"
    _description = "Warranty Code Batch"
    _inherit = ("install.server.owned.mixin", "mail.thread", "mail.activity.mixin")
    _order = "id desc"
    _check_company_auto = True

    # codes written per chunk (one queue job and one transaction each)
    _generate_chunk_size = 50_000

    name = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        server_owned=True,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        tracking=True,
        check_company=True,
        domain=[("tracking", "=", "serial")],
        help="A serial-tracked product whose barcode is its GTIN.",
    )
    quantity = fields.Integer(
        required=True, default=1000, tracking=True, help="Units produced in the run."
    )
    lot_prefix = fields.Char(
        string="Serial Prefix",
        required=True,
        tracking=True,
        help="Serial numbers are this prefix followed by a zero-padded sequence, "
        "e.g. EWH2607-000001.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Gets an activity when a code of the batch looks cloned.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Generating"),
            ("done", "Done"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        server_owned=_lt("use Generate Codes"),
    )
    generated_count = fields.Integer(
        string="Generated", readonly=True, copy=False, default=0, server_owned=True
    )
    progress = fields.Float(compute="_compute_progress", digits=(16, 1))
    code_ids = fields.One2many(
        "warranty.code", "batch_id", readonly=True, server_owned=True
    )
    code_count = fields.Integer(compute="_compute_code_count")
    gtin = fields.Char(string="GTIN", compute="_compute_gtin")
    export_attachment_id = fields.Many2one(
        "ir.attachment",
        readonly=True,
        copy=False,
        server_owned=_lt("use Export CSV for Printer"),
    )

    _prefix_product_uniq = models.Constraint(
        "UNIQUE(company_id, product_id, lot_prefix)",
        "Another batch of this product already uses this serial prefix.",
    )

    # what a generated batch's codes were signed for
    _FROZEN_WHEN_GENERATED = ("product_id", "quantity", "lot_prefix", "company_id")

    @api.model
    def _server_owned_prepare_create(self, vals_list):
        vals_list = super()._server_owned_prepare_create(vals_list)
        for vals in vals_list:
            vals["name"] = self.env["ir.sequence"].next_by_code(
                "warranty.code.batch"
            ) or self.env._("New")
        return vals_list

    def _server_owned_check_write(self, vals):
        res = super()._server_owned_check_write(vals)
        if any(name in vals for name in self._FROZEN_WHEN_GENERATED):
            generated = self.filtered(lambda batch: batch.state != "draft")
            if generated:
                raise UserError(
                    self.env._(
                        "Batch %(batch)s is generated: its product, quantity, "
                        "serial prefix and company are those its codes were "
                        "signed for and cannot change. Create another batch.",
                        batch=generated[0].name,
                    )
                )
        return res

    @api.depends("generated_count", "quantity")
    def _compute_progress(self):
        for batch in self:
            batch.progress = (
                100.0 * batch.generated_count / batch.quantity
                if batch.quantity
                else 0.0
            )

    def _compute_code_count(self):
        counts = dict(
            self.env["warranty.code"]._read_group(
                [("batch_id", "in", self.ids)],
                groupby=["batch_id"],
                aggregates=["__count"],
            )
        )
        for batch in self:
            batch.code_count = counts.get(batch, 0)

    @api.depends("product_id.barcode")
    def _compute_gtin(self):
        for batch in self:
            batch.gtin = gs1.gtin14(batch.product_id.barcode) or False

    @api.constrains("quantity", "lot_prefix")
    def _check_quantity_prefix(self):
        for batch in self:
            if batch.quantity <= 0 or batch.quantity > MAX_QUANTITY:
                raise ValidationError(
                    self.env._(
                        "A code batch holds 1 to %(max)s units; split larger "
                        "production runs into several batches.",
                        max=f"{MAX_QUANTITY:,}",
                    )
                )
            if not LOT_PREFIX.fullmatch(batch.lot_prefix or ""):
                raise ValidationError(
                    self.env._(
                        "The serial prefix must be 1 to 10 letters, digits, dots, "
                        "dashes or underscores (it is printed in the QR code URL)."
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_generated(self):
        if any(batch.state != "draft" for batch in self):
            raise UserError(
                self.env._(
                    "Only draft code batches can be deleted; revoke the codes of "
                    "a generated batch instead."
                )
            )

    # ------------------------------------------------------------------
    # generation
    # ------------------------------------------------------------------
    def _lot_width(self):
        return max(6, len(str(self.quantity)))

    def _lot_name(self, number):
        return f"{self.lot_prefix}{number:0{self._lot_width()}d}"

    def _check_generation(self):
        """Raise a UserError saying what to fix when the batch cannot be
        generated."""
        for batch in self:
            product = batch.product_id
            if batch.state != "draft":
                raise UserError(
                    self.env._("Batch %(name)s is already generated.", name=batch.name)
                )
            if batch.quantity <= 0 or batch.quantity > MAX_QUANTITY:
                raise UserError(
                    self.env._(
                        "The quantity must be between 1 and %(max)s.",
                        max=f"{MAX_QUANTITY:,}",
                    )
                )
            if product.tracking != "serial":
                raise UserError(
                    self.env._(
                        "%(product)s is not tracked by serial number: set its "
                        "tracking to 'By Unique Serial Number' first.",
                        product=product.display_name,
                    )
                )
            if not gs1.gtin14(product.barcode):
                raise UserError(
                    self.env._(
                        "%(product)s has no valid GTIN barcode (8, 12, 13 or 14 "
                        "digits with a correct check digit): the QR codes need it.",
                        product=product.display_name,
                    )
                )
            if not gs1.valid_serial(batch._lot_name(batch.quantity)):
                raise UserError(
                    self.env._(
                        "Serial numbers of this batch would exceed 20 characters: "
                        "shorten the prefix."
                    )
                )
            clash = self._prefix_clash()
            if clash:
                raise UserError(
                    self.env._(
                        "Serial number %(lot)s of %(product)s already exists with "
                        "this prefix: choose another serial prefix.",
                        lot=clash,
                        product=product.display_name,
                    )
                )

    def _prefix_clash(self):
        """A serial number of the batch's product that starts with its prefix
        (a lot, or a code of another batch whose unit has no lot yet), or
        ``None``."""
        self.ensure_one()
        pattern = (
            self.lot_prefix.replace("\\", "\\\\")
            .replace("%", "\\%")
            .replace("_", "\\_")
            + "%"
        )
        lot = (
            self.env["stock.lot"]
            .sudo()
            .search_fetch(
                [("product_id", "=", self.product_id.id), ("name", "=like", pattern)],
                ["name"],
                limit=1,
            )
        )
        if lot:
            return lot.name
        code = (
            self.env["warranty.code"]
            .sudo()
            .search_fetch(
                [
                    ("product_id", "=", self.product_id.id),
                    ("serial", "=like", pattern),
                ],
                ["serial"],
                limit=1,
            )
        )
        return code.serial or None

    def action_generate(self):
        """Check the batch and queue its generation, chunk by chunk."""
        check_group(self, MANAGER, self.env._("Generating warranty codes"))
        self._check_generation()
        for batch in self:
            # created here (retried on a race) rather than in the jobs
            self.env["warranty.code"]._company_secret(batch.company_id)
            with server_owned_writes():
                batch.state = "running"
            batch.message_post(
                body=self.env._(
                    "Generation of %(count)s warranty codes queued.",
                    count=batch.quantity,
                )
            )
            batch._enqueue_chunk(0)
        return True

    def _enqueue_chunk(self, offset):
        self.ensure_one()
        return self.with_delay(
            identity_key=identity_exact,
            description=self.env._(
                "Warranty codes %(name)s from unit %(offset)s",
                name=self.name,
                offset=offset + 1,
            ),
        )._generate_chunk(offset)

    def _generate_chunk(self, offset):
        """Queue job: write the chunk starting at unit ``offset`` and queue the
        next one. Does nothing when that chunk is already written (a job run
        twice, or resumed after a restart)."""
        self.ensure_one()
        if not self._lock_at(offset):
            return "skipped: batch not generating or chunk already written"
        count = min(self._generate_chunk_size, self.quantity - offset)
        self._generate_codes(count)
        if self.generated_count < self.quantity:
            self._enqueue_chunk(self.generated_count)
        return f"{count} codes written ({self.generated_count}/{self.quantity})"

    def _lock_at(self, offset):
        """Lock the batch row; whether it is generating at ``offset``. Another
        job holding the lock (the same chunk delivered twice) postpones this
        one: when it runs again, it finds the chunk written or writes it."""
        try:
            self.lock_for_update()
        except LockError:
            raise RetryableJobError(
                "another job is generating this batch", seconds=5
            ) from None
        self.invalidate_recordset(["state", "generated_count"])
        return self.state == "running" and self.generated_count == offset

    def _run_generation(self):
        """Generate every code now, in this transaction (demo data, benches
        and shell use; users go through :meth:`action_generate`)."""
        self._check_generation()
        for batch in self:
            with server_owned_writes():
                batch.state = "running"
            while batch.generated_count < batch.quantity:
                batch._generate_codes(
                    min(
                        self._generate_chunk_size,
                        batch.quantity - batch.generated_count,
                    )
                )
        return True

    def _generate_codes(self, count):
        """Write the next ``count`` units of the batch: their signed warranty
        codes with their serial numbers, in one SQL statement into this
        addon's own table, and advance the batch (done after the last
        unit)."""
        self.ensure_one()
        self.env.flush_all()
        start = self.generated_count
        company, product = self.company_id, self.product_id
        codes_model = self.env["warranty.code"]
        secret = codes_model._company_secret(company)
        codes = signer.sign_many(secret, codes_model._next_serials(count))
        now = fields.Datetime.now()
        uid = self.env.uid
        # the codes as one text (faster to send and parse than an array of
        # 50,000 literals); unit n of the chunk is serial prefix + start + n
        # (as _lot_name), numbered by the codes' ordinality
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO warranty_code (code, serial, product_id, company_id,
                                           batch_id, state, possibly_cloned,
                                           create_uid, create_date,
                                           write_uid, write_date)
                SELECT new.code,
                       %(prefix)s || lpad((%(start)s + new.n)::text, %(width)s, '0'),
                       %(product)s, %(company)s, %(batch)s,
                       'generated', FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(string_to_array(%(codes)s, ','))
                       WITH ORDINALITY AS new(code, n)
                """,
                prefix=self.lot_prefix,
                start=start,
                width=self._lot_width(),
                product=product.id,
                company=company.id,
                uid=uid,
                now=now,
                codes=",".join(codes),
                batch=self.id,
            )
        )
        if self.env.cr.rowcount != count:
            raise UserError(
                self.env._("Code generation wrote an unexpected number of codes.")
            )
        done = start + count >= self.quantity
        with server_owned_writes():
            self.write(
                {
                    "generated_count": start + count,
                    "state": "done" if done else "running",
                }
            )
        self.env["warranty.code"].invalidate_model()
        if done:
            self.message_post(
                body=self.env._(
                    "%(count)s warranty codes generated.", count=self.quantity
                )
            )

    # ------------------------------------------------------------------
    # navigation (the export to the label printer: warranty_code_batch_export)
    # ------------------------------------------------------------------
    def _demo_scans(self):
        """A few scans of the demo batch: a code scanned at home, and one
        scanned in Shanghai and Urumqi the same day (flagged as cloned)."""
        scans = self.env["warranty.code.scan"]
        codes = self.code_ids.sorted("id")
        if len(codes) < 2:
            return
        scans._log(codes[0].code, "valid", codes[0], "203.0.113.10", "CN", "Hangzhou")
        scans._log(codes[1].code, "valid", codes[1], "198.51.100.7", "CN", "Shanghai")
        scans._log(codes[1].code, "valid", codes[1], "192.0.2.44", "CN", "Urumqi")
        scans._log("0000-0000-0000-0000", "forged", None, "192.0.2.99")

    def action_view_codes(self):
        check_group(self, OFFICER, self.env._("Viewing the codes of a batch"))
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "warranty_claims.warranty_code_action"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {"search_default_batch_id": self.id}
        return action
