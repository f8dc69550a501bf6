# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Stock-point matching of quotations: which warehouse ships the quotation
to its delivery address, and why (``engine/stock_point.py`` decides), stored
on the order with its candidate warehouses; matched again when the address or
the lines change, applied on confirmation.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..engine import stock_point
from ..tools.responsible import responsible_user
from ..tools.server_owned import server_owned_writes

_lt = LazyTranslate(__name__)
MATCHED = _lt("use the button Match Stock Point of the quotation")

# candidate rows kept per order: every warehouse covering the address (up to
# the maximum) and the best few of those that do not, to show why not
STOCK_POINT_CANDIDATES_SHOWN = 20
STOCK_POINT_UNCOVERING_SHOWN = 5


class _Memo(dict):
    """``memo(func, *args, **context)``: ``func(*args, **context)`` computed
    once per distinct args (dict args are compared by their items; the keyword
    arguments are the same for every call of one memo and not compared)."""

    def __call__(self, func, *args, **context):
        key = (func.__name__, *(self._key(arg) for arg in args))
        if key not in self:
            self[key] = func(*args, **context)
        return self[key]

    @classmethod
    def _key(cls, value):
        if isinstance(value, dict):
            return tuple(sorted((k, cls._key(v)) for k, v in value.items()))
        return value


class SaleOrderStockPoint(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    stock_point_warehouse_id = fields.Many2one(
        "stock.warehouse",
        string="Matched Warehouse",
        readonly=True,
        copy=False,
        server_owned=MATCHED,
        help="Warehouse matched to the delivery address and the order's products.",
    )
    stock_point_mode = fields.Selection(
        [
            ("none", "Nothing to Ship"),
            ("single", "One Warehouse"),
            ("split", "Split over Warehouses"),
            ("backorder", "Backorder"),
            ("uncovered", "Address Not Covered"),
        ],
        string="Sourcing",
        readonly=True,
        copy=False,
        server_owned=MATCHED,
    )
    stock_point_explanation = fields.Text(
        string="Sourcing Explanation", readonly=True, copy=False, server_owned=MATCHED
    )
    stock_point_candidate_ids = fields.One2many(
        "sale.order.stock.point.candidate",
        "order_id",
        string="Candidate Warehouses",
        readonly=True,
        copy=False,
        server_owned=MATCHED,
    )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super(
            SaleOrderStockPoint, self.with_context(stock_point_no_match=True)
        ).create(vals_list)
        orders = orders.with_env(self.env)
        orders.filtered("order_line")._stock_point_match()
        return orders

    def write(self, vals):
        res = super(
            SaleOrderStockPoint, self.with_context(stock_point_no_match=True)
        ).write(vals)
        if {"partner_shipping_id", "order_line"} & set(vals):
            self._stock_point_rematch()
        return res

    def _action_confirm(self):
        self.filtered("company_id.stock_point_on_confirm")._stock_point_apply()
        return super()._action_confirm()

    def action_match_stock_point(self):
        """Recompute which warehouse ships this quotation, and why."""
        # matching writes on the quotations: for who may change them
        self.check_access("write")
        confirmed = self.filtered(lambda o: o.state not in ("draft", "sent"))
        if confirmed:
            raise UserError(
                self.env._(
                    "Sale order %(order)s is already confirmed: its deliveries exist. "
                    "Matching applies to quotations.",
                    order=confirmed[0].name,
                )
            )
        self._stock_point_match()
        return True

    def _stock_point_match(self):
        """Match the orders to stock points and store the result on them.

        Batched: one query for the warehouses, one for their areas and one for
        the free stock of all orders; only the columns matching needs are read.
        Returns ``{order id: Match}``.
        """
        self.fetch(
            [
                "company_id",
                "partner_shipping_id",
                "stock_point_warehouse_id",
                "stock_point_mode",
                "stock_point_explanation",
            ]
        )
        orders = self.filtered("partner_shipping_id")
        if not orders:
            return {}
        addresses = orders._stock_point_addresses()
        company_ids = {address["company_id"] for address in addresses.values()}
        wh_by_company, engine_areas = self._stock_point_network(company_ids)
        warehouse_ids = [
            wh.warehouse_id for whs in wh_by_company.values() for wh in whs
        ]
        needs = orders._stock_point_needs()
        product_ids = {n.product_id for lst in needs.values() for n in lst}
        free = self._stock_point_free_qty(warehouse_ids, product_ids)
        products = self.env["product.product"].browse(sorted(product_ids))
        labels = {p.id: p.display_name for p in products}
        matches = {}
        candidate_vals = []
        rewritten = candidate_orders = self.browse()
        texts = _Memo()  # candidates share their texts (same products missing)
        for order in orders:
            place = addresses[order.id]
            address = stock_point.Address.make(
                place["country_id"], place["state_id"], place["city"], place["zip"]
            )
            result = stock_point.match(
                address,
                wh_by_company.get(place["company_id"], ()),
                engine_areas,
                needs[order.id],
                free,
                allow_dealer=place["allow_dealer"],
                keep_uncovering=STOCK_POINT_UNCOVERING_SHOWN,
            )
            matches[order.id] = result
            best = result.candidates[0] if result.candidates else None
            order_cands = [
                order._prepare_stock_point_candidate_vals(cand, best, labels, texts)
                for cand in order._stock_point_shown_candidates(result)
            ]
            vals = {
                "stock_point_warehouse_id": result.warehouse_id or False,
                "stock_point_mode": result.mode,
                "stock_point_explanation": order._stock_point_explain(
                    result, place, labels
                ),
            }
            if order._stock_point_unchanged(vals, order_cands):
                continue  # same result as stored: no rewrite (e.g. on confirmation)
            # nothing tracked changes: skip reading every tracked field first
            if order.stock_point_mode:  # matched before: candidate rows to drop
                rewritten |= order
            with server_owned_writes():
                order.with_context(mail_notrack=True).write(vals)
            candidate_orders |= order
            candidate_vals += order_cands
        candidate_orders._stock_point_store_candidates(
            candidate_vals, replace=rewritten
        )
        return matches

    def _prepare_stock_point_candidate_vals(self, cand, best, labels, texts):
        """Values of the candidate row (sale.order.stock.point.candidate) of
        the engine's candidate ``cand`` (``best``: the chosen one); ``labels``:
        the products' names by id; ``texts``: the memo of this matching's
        texts (candidates share them)."""
        self.ensure_one()
        return {
            "order_id": self.id,
            "rank": cand.rank,
            "warehouse_id": cand.warehouse_id,
            "area_id": cand.area_id or False,
            "covers_address": cand.covers,
            "fallback": cand.fallback,
            "all_available": cand.all_available,
            "missing_qty": texts(
                self._stock_point_missing_text, cand.missing, labels=labels
            ),
            "transit_days": cand.transit_days,
            "priority": cand.priority,
            "reason": texts(
                self._stock_point_reason_text,
                *stock_point.candidate_reason(cand, best),
                labels=labels,
            ),
        }

    @api.model
    def _stock_point_shown_candidates(self, result):
        """The candidates stored on the order (ranked: covering ones first)."""
        covering = sum(1 for cand in result.candidates if cand.covers)
        shown = min(
            covering + STOCK_POINT_UNCOVERING_SHOWN, STOCK_POINT_CANDIDATES_SHOWN
        )
        return result.candidates[:shown]

    def _stock_point_store_candidates(self, candidate_vals, replace=None):
        """Replace the candidate rows of the orders ``self`` by ``candidate_vals``.

        ``replace``: the orders that may have rows already (all of ``self`` by
        default); the others are only inserted.

        The rows are the matching's derived table (no rule, no tracking, nothing
        depends on them): one DELETE and one INSERT, not a record per row, which
        keeps matching one order within a few milliseconds.
        """
        if not self:
            return
        Candidate = self.env["sale.order.stock.point.candidate"]
        Candidate.check_access("create")
        Candidate.flush_model()
        replace = self if replace is None else replace
        if replace:
            self.env.execute_query(
                SQL(
                    "DELETE FROM sale_order_stock_point_candidate"
                    " WHERE order_id = ANY(%s)",
                    replace.ids,
                )
            )
        if candidate_vals:
            columns = list(candidate_vals[0])
            # False is NULL in the database except for booleans
            nullable = {
                col for col in columns if Candidate._fields[col].type != "boolean"
            }
            row = "(" + ", ".join(["%s"] * len(columns)) + ")"
            # one SQL object for the whole statement: rows by the dozen per
            # order, each would otherwise be an object of its own
            self.env.execute_query(
                SQL(
                    "INSERT INTO sale_order_stock_point_candidate (%s) VALUES "
                    + ", ".join([row] * len(candidate_vals)),
                    SQL(", ").join(SQL.identifier(col) for col in columns),
                    *(
                        None if vals[col] is False and col in nullable else vals[col]
                        for vals in candidate_vals
                        for col in columns
                    ),
                )
            )
        Candidate.invalidate_model()
        self.invalidate_recordset(["stock_point_candidate_ids"])

    def _stock_point_unchanged(self, vals, candidate_vals):
        """Whether the stored match already equals ``vals`` and the candidates."""
        self.ensure_one()
        if (
            self.stock_point_warehouse_id.id != vals["stock_point_warehouse_id"]
            or self.stock_point_mode != vals["stock_point_mode"]
            or self.stock_point_explanation != vals["stock_point_explanation"]
            or len(self.stock_point_candidate_ids) != len(candidate_vals)
        ):
            return False
        keys = (
            [k for k in candidate_vals[0] if k != "order_id"] if candidate_vals else []
        )
        for cand, new in zip(
            self.stock_point_candidate_ids, candidate_vals, strict=True
        ):
            for key in keys:
                value = cand[key]
                if isinstance(value, models.BaseModel):
                    value = value.id
                if value != new[key]:
                    return False
        return True

    def _stock_point_rematch(self):
        """Match quotations again after their lines changed.

        Skipped inside a sale order create/write, which matches once at its end.
        """
        if self.env.context.get("stock_point_no_match"):
            return {}
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
        return quotations._stock_point_match()

    def _stock_point_apply(self):
        """Ship from the matched warehouse(s): set before the pickings exist."""
        matches = self._stock_point_match()
        for order in self:
            result = matches.get(order.id)
            if not result or not result.warehouse_id:
                continue
            if order.warehouse_id.id != result.warehouse_id:
                order.warehouse_id = result.warehouse_id
            for line in order.order_line.filtered("product_id.is_storable"):
                source = result.sourcing.get(line.product_id.id)
                value = source if source and source != result.warehouse_id else False
                if line.stock_point_warehouse_id.id != (value or False):
                    with server_owned_writes():
                        line.stock_point_warehouse_id = value
            if result.backorder_products:
                order._stock_point_notify_backorder(result)

    def _stock_point_notify_backorder(self, result):
        self.ensure_one()
        products = self.env["product.product"].browse(result.backorder_products)
        user = responsible_user(
            self.env,
            self.company_id,
            self.company_id.install_dispatcher_id,
            self.user_id,
            group="fieldservice.group_fsm_dispatcher",
        )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Backorder: no stock near the customer"),
            note=self.env._(
                "No warehouse covering %(address)s has %(products)s: it ships from "
                "%(warehouse)s as a backorder.",
                address=self.partner_shipping_id.display_name,
                products=", ".join(products.mapped("display_name")),
                warehouse=self.env["stock.warehouse"]
                .browse(result.sourcing[products[0].id])
                .display_name,
            ),
            user_id=user.id,
        )
