# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Signing and reading warranty codes: the companies' secrets, the serial
numbers signed into new codes, the lookup of a code as a person types it.
The cryptography itself is the plain-Python engine ``engine/signer.py``."""

import secrets

import psycopg2

from odoo import api, models
from odoo.exceptions import ConcurrencyError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import signer
from .warranty_code import WarrantyCodeError

SECRET_PARAM = "warranty_claims.code_secret.%s"
SERIAL_SEQUENCE = "warranty_code_serial_seq"


# One concern of the model per file, as Odoo's mail does (mail_thread_*.py):
# pylint: disable=consider-merging-classes-inherited
class WarrantyCode(models.Model):
    _inherit = "warranty.code"

    def init(self):
        # serial numbers signed into the codes; a sequence never gives the same
        # number twice, even across rolled-back transactions
        self.env.cr.execute(
            SQL("CREATE SEQUENCE IF NOT EXISTS %s", SQL(SERIAL_SEQUENCE))
        )

    # ------------------------------------------------------------------
    # secrets and signing
    # ------------------------------------------------------------------
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
