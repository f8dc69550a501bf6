# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.fieldservice_install.tools.selection import selection_labels
from odoo.addons.portal.controllers.portal import CustomerPortal, pager

STATEMENT_REPORT = "master_settlement.settlement_statement_report"


class TechnicianEarningsPortal(CustomerPortal):
    """The technician's earnings: job payables and settlement statements.

    Reads go through the portal user's rights: the job payables' portal rule
    (their own jobs, or paid to them as contractor) and accounting's portal
    rule on bills (posted, to their commercial partner).
    """

    _lines_per_page = 20

    def _earnings_statements(self):
        return request.env["account.move"].search(
            # bills, and credit notes of periods whose chargebacks exceeded
            # the technician's earnings (what they owe, netted by later bills)
            [
                ("settlement_run_id", "!=", False),
                ("move_type", "in", ("in_invoice", "in_refund")),
            ],
            order="invoice_date desc, id desc",
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "tech_earning_count" in counters:
            values["tech_earning_count"] = request.env[
                "settlement.job.line"
            ].search_count([])
        return values

    @http.route(
        ["/my/earnings", "/my/earnings/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_earnings(self, page=1, **kw):
        line_model = request.env["settlement.job.line"]
        statements = self._earnings_statements()
        total = line_model.search_count([])
        if not total and not statements:
            raise request.not_found()
        line_pager = pager(
            url="/my/earnings", total=total, page=page, step=self._lines_per_page
        )
        lines = line_model.search(
            [], limit=self._lines_per_page, offset=line_pager["offset"]
        )
        labels = selection_labels(line_model, "state")
        totals = [
            {"state": state, "label": labels.get(state, state), "amount": amount}
            for state, amount in line_model._read_group(
                [], groupby=["state"], aggregates=["amount:sum"]
            )
        ]
        order = ["accepted", "held", "releasable", "settled", "billed", "paid"]
        totals.sort(key=lambda t: order.index(t["state"]) if t["state"] in order else 9)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "tech_earnings",
                "lines": lines,
                "totals": totals,
                "open_total": sum(
                    t["amount"]
                    for t in totals
                    if t["state"] in ("accepted", "held", "releasable")
                ),
                "currency": lines[:1].currency_id or request.env.company.currency_id,
                "statements": statements,
                "pager": line_pager,
            }
        )
        return request.render("master_settlement.portal_my_earnings", values)

    @http.route(
        "/my/earnings/statements/<int:move_id>",
        type="http",
        auth="user",
        website=True,
        readonly=True,
    )
    def portal_my_statement(self, move_id, download=None, **kw):
        try:
            move_sudo = self._document_check_access("account.move", move_id)
        except (AccessError, MissingError):
            raise request.not_found() from None
        if not move_sudo.settlement_run_id:
            raise request.not_found()
        return self._show_report(
            model=move_sudo,
            report_type="pdf",
            report_ref=STATEMENT_REPORT,
            download=bool(download),
        )
