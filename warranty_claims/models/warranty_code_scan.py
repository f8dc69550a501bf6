# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import ipaddress
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.fieldservice_install.tools.public_input import text_param

RATE_LIMIT_PARAM = "warranty_claims.verify_rate_limit"
RATE_LIMIT_DEFAULT = 60
CLONE_HOURS_PARAM = "warranty_claims.clone_window_hours"
CLONE_HOURS_DEFAULT = 24


class WarrantyCodeScan(models.Model):
    """One request to the public verification page, good code or not.

    Written with one INSERT per request (no ORM create, no access log
    columns): the page stays fast. The log feeds the per-network rate limit
    and the clone detection. Evidence: every field is owned by the server.
    """

    _name = "warranty.code.scan"
    _description = "Warranty Code Scan"
    _inherit = ("install.server.owned.mixin",)
    _order = "scan_date desc, id desc"
    _log_access = False

    code_id = fields.Many2one(
        "warranty.code",
        readonly=True,
        server_owned=True,
        index="btree_not_null",
        ondelete="cascade",
    )
    product_id = fields.Many2one(related="code_id.product_id")
    lot_id = fields.Many2one(related="code_id.lot_id")
    company_id = fields.Many2one(
        "res.company", readonly=True, server_owned=True, index=True
    )
    submitted = fields.Char(
        readonly=True,
        server_owned=True,
        help="The code as submitted (first 40 characters).",
    )
    result = fields.Selection(
        [
            ("valid", "Valid"),
            ("revoked", "Revoked"),
            ("malformed", "Malformed"),
            ("typo", "Typing error"),
            ("forged", "Forged"),
            ("unknown", "Unknown"),
            ("mismatch", "Wrong product or serial"),
        ],
        required=True,
        readonly=True,
        server_owned=True,
    )
    scan_date = fields.Datetime(
        required=True, readonly=True, server_owned=True, default=fields.Datetime.now
    )
    ip = fields.Char(string="IP Address", readonly=True, server_owned=True)
    network = fields.Char(
        readonly=True,
        server_owned=True,
        help="The /24 (IPv4) or /48 (IPv6) network of the address.",
    )
    country_code = fields.Char(
        readonly=True, server_owned=True, help="From GeoIP, when available."
    )
    city = fields.Char(
        readonly=True, server_owned=True, help="From GeoIP, when available."
    )

    # the rate limit counts the recent scans of a network
    _network_date_idx = models.Index("(network, scan_date)")
    _code_date_idx = models.Index("(code_id, scan_date) WHERE code_id IS NOT NULL")

    @api.model
    def _network(self, ip):
        """The network of address ``ip`` (text): its IPv4 /24 or IPv6 /48, the
        unit of the rate limit (one household, office or mobile carrier
        customer, whatever address it gets next); ``None`` for anything that
        is not an IP address."""
        if not isinstance(ip, str):
            return None
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        prefix = 24 if address.version == 4 else 48
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))

    @api.model
    def _rate_limit(self):
        params = self.env["ir.config_parameter"].sudo()
        try:
            return int(params.get_param(RATE_LIMIT_PARAM, RATE_LIMIT_DEFAULT))
        except ValueError:
            return RATE_LIMIT_DEFAULT

    @api.model
    def _is_rate_limited(self, ip):
        """Whether the network of ``ip`` (see :meth:`_network`) made the
        allowed number of scans in the last minute: the addresses of one
        network share the limit (every worker sees the same log, so the limit
        is global). A request without a valid address counts by its exact
        address."""
        limit = self._rate_limit()
        if limit <= 0:
            return False
        network = self._network(ip)
        where = SQL("network = %s", network) if network else SQL("ip = %s", ip or "")
        self.env.cr.execute(
            SQL(
                """SELECT count(*) FROM (
                       SELECT 1 FROM warranty_code_scan
                        WHERE %s AND scan_date > %s LIMIT %s) AS recent""",
                where,
                fields.Datetime.now() - timedelta(minutes=1),
                limit,
            )
        )
        return self.env.cr.fetchone()[0] >= limit

    @api.model
    def _clone_window(self):
        params = self.env["ir.config_parameter"].sudo()
        try:
            return float(params.get_param(CLONE_HOURS_PARAM, CLONE_HOURS_DEFAULT))
        except ValueError:
            return float(CLONE_HOURS_DEFAULT)

    @api.model
    def _log(self, submitted, result, code=None, ip=None, country=None, city=None):
        """Record one scan (one INSERT); for a valid code scanned somewhere
        known, the same statement returns the other places it was scanned in
        the clone window, and the code is flagged when they differ."""
        now = fields.Datetime.now()
        country = (country or "").upper()[:2] or None
        city = (city or "")[:64] or None
        check_places = bool(code and country and not code.possibly_cloned)
        insert = SQL(
            """INSERT INTO warranty_code_scan (code_id, company_id, submitted,
                   result, scan_date, ip, network, country_code, city)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)""",
            code.id if code else None,
            code.company_id.id if code else None,
            text_param(submitted, 40) or "",
            result,
            now,
            ip,
            self._network(ip) if ip else None,
            country,
            city,
        )
        if not check_places:
            self.env.cr.execute(insert)
            return False
        since = now - timedelta(hours=self._clone_window())
        self.env.cr.execute(
            SQL(
                """WITH new AS (%s RETURNING id)
                   SELECT DISTINCT country_code, city FROM warranty_code_scan
                    WHERE code_id = %s AND scan_date >= %s
                      AND country_code IS NOT NULL
                    LIMIT 20""",
                insert,
                code.id,
                since,
            )
        )
        places = set(self.env.cr.fetchall()) | {(country, city)}
        if not self._far_apart(places):
            return False
        code._flag_cloned(places)
        return True

    @api.model
    def _far_apart(self, places):
        """Whether ``places`` ((country, city) pairs) hold two different
        countries, or two different known cities."""
        countries = {country for country, _city in places}
        cities = {(country, city) for country, city in places if city}
        return len(countries) > 1 or len(cities) > 1
