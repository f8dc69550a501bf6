# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_repr
from odoo.tools.translate import LazyTranslate

from ..engine import stock_point
from ..engine.install_sync import (
    ExistingLine,
    WantedLine,
    aggregate_install_state,
    plan_install_sync,
)
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


SALE_INSTALL_STATES = [
    ("none", "No Installation"),
    ("to_plan", "To Plan"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Installed"),
    ("cancelled", "Cancelled"),
]


class SaleOrder(models.Model):
    _name = "sale.order"
    # the mixin first, so that its create/write come before the others
    _inherit = ["install.server.owned.mixin", "sale.order"]  # noqa: RUF012
    # Odoo's computed fields stay Odoo's: only the fields marked server_owned
    _server_owned_computed = False

    install_order_ids = fields.One2many(
        "fsm.order",
        "sale_id",
        string="Installation Orders",
        domain=[("is_installation", "=", True)],
        readonly=True,
        server_owned=_lt("confirming the sale order creates them"),
    )
    install_order_count = fields.Integer(
        compute="_compute_install_order_count", compute_sudo=True
    )
    install_state = fields.Selection(
        SALE_INSTALL_STATES,
        string="Installation",
        compute="_compute_install_state",
        store=True,
        index=True,
        default="none",
        server_owned=True,
    )

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

    @api.depends("install_order_ids")
    def _compute_install_order_count(self):
        for order in self:
            order.install_order_count = len(order.install_order_ids)

    @api.depends("install_order_ids.install_state")
    def _compute_install_state(self):
        for order in self:
            order.install_state = aggregate_install_state(
                order.install_order_ids.mapped("install_state")
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super(SaleOrder, self.with_context(stock_point_no_match=True)).create(
            vals_list
        )
        orders = orders.with_env(self.env)
        orders.filtered("order_line")._stock_point_match()
        return orders

    def _action_confirm(self):
        self.filtered("company_id.stock_point_on_confirm")._stock_point_apply()
        res = super()._action_confirm()
        self._install_sync(reopen_cancelled=True)
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        for order in self.sudo():
            order.install_order_ids._install_cancel_or_warn(
                self.env._("Sale order %s was cancelled.", order.name)
            )
        return res

    def write(self, vals):
        keep_dates = {}
        if "commitment_date" in vals:
            # read as superuser below: the caller's right to write comes first
            self.check_access("write")
            # fieldservice_sale copies the commitment date on every field service
            # order; an installation date agreed with the customer must not move.
            keep_dates = {
                fso: fso.scheduled_date_start
                for fso in self.sudo().install_order_ids
                if fso.install_date_confirmed
                or fso.install_state not in ("to_plan", "scheduled")
            }
        res = super(SaleOrder, self.with_context(stock_point_no_match=True)).write(vals)
        if {"partner_shipping_id", "order_line"} & set(vals):
            self._stock_point_rematch()
        if "commitment_date" in vals:
            for fso, date in keep_dates.items():
                if fso.scheduled_date_start != date:
                    fso.write(
                        {
                            "scheduled_date_start": date,
                            "scheduled_duration": fso.scheduled_duration,
                        }
                    )
            self.sudo().install_order_ids._install_reschedule()
        return res

    def action_view_install_orders(self):
        self.ensure_one()
        self.check_access("read")
        if not self.env.user.has_group("fieldservice.group_fsm_user_own"):
            raise AccessError(
                self.env._(
                    "Installation orders are for field service users: ask your "
                    "administrator for a Field Service access."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fieldservice_install.fsm_order_install_action"
        )
        orders = self.install_order_ids
        if len(orders) == 1:
            action["views"] = [(False, "form")]
            action["res_id"] = orders.id
        else:
            action["domain"] = [("id", "in", orders.ids)]
        action["context"] = {"create": False}
        return action

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

    # ------------------------------------------------------------------
    # Stock-point matching
    # ------------------------------------------------------------------
    def _stock_point_needs(self):
        """Storable quantities per product of each order, in the product's unit."""
        # the lines of every order in one query, without the join the order
        # lines' default order makes on sale_order
        lines = (
            self.env["sale.order.line"]
            .with_context(active_test=False)
            .search_fetch(
                [("order_id", "in", self.ids)],
                [
                    "order_id",
                    "display_type",
                    "product_id",
                    "product_uom_qty",
                    "product_uom_id",
                ],
                order="sequence, id",
            )
        )
        # with what the explanation needs to name products, not whole rows
        lines.product_id.fetch(
            ["product_tmpl_id", "default_code", "product_template_attribute_value_ids"]
        )
        lines.product_id.product_tmpl_id.fetch(["is_storable", "uom_id", "name"])
        lines_of = defaultdict(list)
        for line in lines:
            lines_of[line.order_id.id].append(line)
        needs = {}
        for order in self:
            qty = defaultdict(float)
            for line in lines_of[order.id]:
                product = line.product_id
                if line.display_type or not product.is_storable:
                    continue
                if line.product_uom_qty <= 0:
                    continue
                qty[product.id] += line.product_uom_id._compute_quantity(
                    line.product_uom_qty, product.uom_id
                )
            needs[order.id] = [stock_point.Need(pid, q) for pid, q in qty.items()]
        return needs

    @api.model
    def _stock_point_free_qty(self, warehouse_ids, product_ids):
        """Free quantity (on hand - reserved) per (warehouse, product), one query.

        Summed over each warehouse's stock location and its children: the
        quants of the products are summed per location first (by the product
        index, whatever the number of warehouses), then their few locations
        are joined to the warehouses' stock locations. Nothing is cached: a
        change of the network (a new warehouse, a location moved) counts at
        once, in every worker.
        """
        if not warehouse_ids or not product_ids:
            return {}
        self.env["stock.quant"].flush_model(
            ["product_id", "location_id", "quantity", "reserved_quantity"]
        )
        self.env["stock.location"].flush_model(["parent_path", "warehouse_id", "usage"])
        self.env["stock.warehouse"].flush_model(["lot_stock_id"])
        # a NULL quantity is 0, as the ORM reads it (a product created in its
        # form with an on-hand quantity leaves such a quant behind)
        return {
            (warehouse_id, product_id): qty
            for warehouse_id, product_id, qty in self.env.execute_query(
                SQL(
                    """
                    WITH free AS MATERIALIZED (
                        SELECT location_id, product_id,
                               SUM(COALESCE(quantity, 0)
                                   - COALESCE(reserved_quantity, 0)) AS qty
                          FROM stock_quant
                         WHERE product_id = ANY(%s)
                         GROUP BY location_id, product_id
                    )
                    SELECT l.warehouse_id, free.product_id, SUM(free.qty)
                      FROM free
                      JOIN stock_location l ON l.id = free.location_id
                      JOIN stock_warehouse w ON w.id = l.warehouse_id
                      JOIN stock_location ls ON ls.id = w.lot_stock_id
                     WHERE w.id = ANY(%s)
                       AND l.usage = 'internal'
                       AND l.parent_path LIKE ls.parent_path || '%%'
                     GROUP BY l.warehouse_id, free.product_id
                    """,
                    list(product_ids),
                    list(warehouse_ids),
                )
            )
        }

    @api.model
    def _stock_point_network(self, company_ids):
        """Active warehouses (per company) and their active coverage areas as
        engine values: ``({company id: (Warehouse, ...)}, (Area, ...))``.

        Two plain queries on small tables, no record per warehouse or area;
        not cached (a change of the network counts at once).
        """
        company_ids = sorted(set(company_ids))
        self.env["stock.warehouse"].flush_model(
            [
                "name",
                "company_id",
                "active",
                "stock_point_type",
                "stock_point_transit_days",
                "stock_point_priority",
            ]
        )
        self.env["stock.warehouse.service.area"].flush_model(
            [
                "warehouse_id",
                "active",
                "country_id",
                "state_id",
                "city",
                "zip_prefix",
                "transit_days",
                "priority",
            ]
        )
        wh_by_company = defaultdict(list)  # made a plain dict of tuples below
        for wh_id, name, company_id, kind, days, priority in self.env.execute_query(
            SQL(
                """
                SELECT id, name, company_id, stock_point_type,
                       stock_point_transit_days, stock_point_priority
                  FROM stock_warehouse
                 WHERE company_id = ANY(%s) AND active
                 ORDER BY sequence, id
                """,
                list(company_ids),
            )
        ):
            wh_by_company[company_id].append(
                stock_point.Warehouse(
                    wh_id, name, kind or "regional", days or 0.0, priority or 0
                )
            )
        warehouse_ids = [
            wh.warehouse_id for whs in wh_by_company.values() for wh in whs
        ]
        engine_areas = [
            stock_point.Area(
                area_id,
                wh_id,
                country_id or False,
                state_id or False,
                city or "",
                zip_prefix or "",
                days or 0.0,
                priority or 0,
            )
            for (
                area_id,
                wh_id,
                country_id,
                state_id,
                city,
                zip_prefix,
                days,
                priority,
            ) in self.env.execute_query(
                SQL(
                    """
                    SELECT id, warehouse_id, country_id, state_id, city, zip_prefix,
                           transit_days, priority
                      FROM stock_warehouse_service_area
                     WHERE warehouse_id = ANY(%s) AND active
                     ORDER BY warehouse_id, priority, id
                    """,
                    warehouse_ids,
                )
            )
        ]
        return (
            {company_id: tuple(whs) for company_id, whs in wh_by_company.items()},
            tuple(engine_areas),
        )

    def _stock_point_addresses(self):
        """The delivery address of each order, with what matching needs of its
        company: ``{order id: {company_id, allow_dealer, country_id, state_id,
        city, zip, state, country}}`` (names in the user's language).

        One query for every order, rather than a read of the orders' partners,
        their states, countries and companies in turn: matching one order at a
        time (the "match" button, a change of address) stays a few queries.
        """
        for model, names in (
            ("sale.order", ["company_id", "partner_shipping_id"]),
            ("res.partner", ["country_id", "state_id", "city", "zip"]),
            ("res.country.state", ["name"]),
            ("res.country", ["name"]),
            ("res.company", ["stock_point_allow_dealer"]),
        ):
            self.env[model].flush_model(names)
        lang = self.env.lang or "en_US"
        return {
            order_id: {
                "company_id": company_id,
                "allow_dealer": bool(allow_dealer),
                "country_id": country_id or 0,
                "state_id": state_id or 0,
                "city": city or "",
                "zip": zip_code or "",
                "state": state or "",
                "country": country or "",
            }
            for (
                order_id,
                company_id,
                allow_dealer,
                country_id,
                state_id,
                city,
                zip_code,
                state,
                country,
            ) in self.env.execute_query(
                SQL(
                    """
                    SELECT o.id, o.company_id, c.stock_point_allow_dealer,
                           p.country_id, p.state_id, p.city, p.zip, s.name,
                           COALESCE(k.name->>%s, k.name->>'en_US')
                      FROM sale_order o
                      JOIN res_company c ON c.id = o.company_id
                      LEFT JOIN res_partner p ON p.id = o.partner_shipping_id
                      LEFT JOIN res_country_state s ON s.id = p.state_id
                      LEFT JOIN res_country k ON k.id = p.country_id
                     WHERE o.id = ANY(%s)
                    """,
                    lang,
                    self.ids,
                )
            )
        }

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
                {
                    "order_id": order.id,
                    "rank": cand.rank,
                    "warehouse_id": cand.warehouse_id,
                    "area_id": cand.area_id or False,
                    "covers_address": cand.covers,
                    "fallback": cand.fallback,
                    "all_available": cand.all_available,
                    "missing_qty": texts(
                        order._stock_point_missing_text, cand.missing, labels=labels
                    ),
                    "transit_days": cand.transit_days,
                    "priority": cand.priority,
                    "reason": texts(
                        order._stock_point_reason_text,
                        *stock_point.candidate_reason(cand, best),
                        labels=labels,
                    ),
                }
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
        user = self.company_id.install_dispatcher_id or self.user_id or self.env.user
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

    def _stock_point_missing_text(self, missing, labels):
        """``2 × [WH-60] Water Heater, ...``; ``labels``: product names by id."""
        if not missing:
            return False
        return ", ".join(
            f"{float_repr(qty, 2).rstrip('0').rstrip('.')} × {labels[product_id]}"
            for product_id, qty in missing.items()
        )

    def _stock_point_reason_text(self, code, params, labels):
        if code == "chosen":
            return self.env._("Chosen")
        if code == "not_covering":
            return self.env._("Does not cover the address")
        if code == "missing":
            return self.env._(
                "Missing %s",
                self._stock_point_missing_text(params["missing"], labels),
            )
        if code == "fallback_only":
            return self.env._("Covers the address only as last resort")
        if code == "slower":
            return self.env._("Slower: %s transit days", f"{params['transit_days']:g}")
        if code == "lower_priority":
            return self.env._("Lower priority (%s)", params["priority"])
        return self.env._("Less specific coverage")

    def _stock_point_reason_line(self, code, params, tried):
        """One sentence of the explanation for an engine reason ``code``."""
        if code == "dealer_disabled":
            return self.env._(
                "Dealer warehouses are left out: dealer fulfilment is off."
            )
        if code == "no_warehouse":
            return self.env._("The company has no active warehouse.")
        if code == "no_area" and params["fallback"]:
            return self.env._(
                "No coverage area matches the address (tried %(tried)s); "
                "fallback: central warehouse %(wh)s.",
                tried=tried,
                wh=params["fallback"],
            )
        if code == "no_area":
            return self.env._(
                "No coverage area matches the address (tried %(tried)s) and there "
                "is no central warehouse to fall back on.",
                tried=tried,
            )
        if code == "keep_warehouse":
            return self.env._(
                "No warehouse covers the address: the order keeps its warehouse %s.",
                self.warehouse_id.display_name,
            )
        if code == "nothing_to_ship":
            return self.env._(
                "No storable product to ship; warehouse: %s.", params["warehouse"]
            )
        if code == "single" and params["fallback"]:
            return self.env._(
                "Ships from central warehouse %s as last resort: it has every product.",
                params["warehouse"],
            )
        if code == "single":
            return self.env._(
                "Ships from %(wh)s: it covers the address (%(days)s transit days) "
                "and has every product.",
                wh=params["warehouse"],
                days=f"{params['transit_days']:g}",
            )
        if code == "split":
            return self.env._(
                "No covering warehouse has every product: the order ships from %s "
                "warehouses.",
                params["count"],
            )
        if code == "backorder":
            return self.env._(
                "Nothing is available in a warehouse covering the address: it ships "
                "from %s as a backorder.",
                params["warehouse"],
            )
        return self.env._(
            "What no covering warehouse has ships from %s as a backorder.",
            params["warehouse"],
        )

    def _stock_point_explain(self, result, place, labels):
        """The explanation a dispatcher reads: why this warehouse, why not others.

        ``place``: the delivery address as :meth:`_stock_point_addresses` gives
        it; ``labels``: the products' names by id.
        """
        self.ensure_one()
        tried = self.env._(
            "ZIP %(zip)s, city %(city)s, state %(state)s, country %(country)s",
            zip=place["zip"] or "-",
            city=place["city"] or "-",
            state=place["state"] or "-",
            country=place["country"] or "-",
        )
        lines = [self.env._("Delivery address: %s.", tried)]
        lines += [
            self._stock_point_reason_line(code, params, tried)
            for code, params in result.reasons
        ]
        wh_name = {c.warehouse_id: c.name for c in result.candidates}
        if result.mode in ("split", "backorder") or result.backorder_products:
            for product_id, wh_id in result.sourcing.items():
                lines.append(
                    self.env._(
                        "- %(product)s: from %(wh)s",
                        product=labels[product_id],
                        wh=wh_name.get(wh_id, "?"),
                    )
                )
        if result.no_stock_products:
            lines.append(
                self.env._(
                    "No stock anywhere: %s.",
                    ", ".join(labels[pid] for pid in result.no_stock_products),
                )
            )
        best = next(
            (c for c in result.candidates if c.warehouse_id == result.warehouse_id),
            None,
        )
        others = [c for c in result.candidates if c is not best]
        shown = [c for c in others if c.covers] + [c for c in others if not c.covers][
            :STOCK_POINT_UNCOVERING_SHOWN
        ]
        for cand in sorted(shown, key=lambda c: c.rank):
            reason = self._stock_point_reason_text(
                *stock_point.candidate_reason(cand, best or cand), labels
            )
            lines.append(
                self.env._(
                    "Not %(wh)s: %(reason)s.",
                    wh=cand.name,
                    reason=reason[:1].lower() + reason[1:],
                )
            )
        left_out = len(others) - len(shown) + result.omitted
        if left_out:
            lines.append(
                self.env._(
                    "And %s more warehouses that do not cover the address.",
                    left_out,
                )
            )
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # Installation orders
    # ------------------------------------------------------------------
    def _install_sync(self, reopen_cancelled=False):
        """Create / update the installation orders of confirmed sale orders.

        Idempotent: it can run after every change of the sale order. With
        ``reopen_cancelled`` (a re-confirmation), installation orders cancelled
        with the sale order are reused instead of duplicated.

        Runs as superuser: whoever may confirm or edit the sale order keeps its
        installation orders in step, without field service access rights.
        """
        return self.sudo()._install_sync_as_superuser(reopen_cancelled)

    def _install_sync_as_superuser(self, reopen_cancelled):
        orders = self.filtered(lambda o: o.state == "sale")
        lines = orders.order_line.filtered(
            lambda line: (
                not line.display_type
                and line.product_id.install_required
                and line.product_uom_qty > 0
            )
        )
        existing_orders = orders.install_order_ids
        if not lines and not existing_orders:
            return self.env["fsm.order"]

        def is_open(fso):
            if fso.install_state == "done":
                return False
            return fso.install_state != "cancelled" or reopen_cancelled

        touched = self.env["fsm.order"]
        new_order_vals, new_order_keys = [], []
        pending_lines = []  # (sale order, group key, vals)
        to_remove = self.env["fsm.install.line"]
        to_empty = self.env["fsm.order"]
        for order in orders:
            so_lines = lines.filtered(lambda line, o=order: line.order_id == o)
            fsos = order.install_order_ids
            wanted = [
                WantedLine(
                    line.id,
                    line._install_delivery_partner().id,
                    line.product_id.id,
                    line.product_uom_id._compute_quantity(
                        line.product_uom_qty, line.product_id.uom_id
                    ),
                )
                for line in so_lines
            ]
            existing = [
                ExistingLine(
                    il.id, il.sale_line_id.id, fso.id, il.quantity, is_open(fso)
                )
                for fso in fsos
                for il in fso.install_line_ids
            ]
            open_by_group = {}
            for fso in fsos.sorted(lambda o: (o.install_state == "cancelled", o.id)):
                if is_open(fso):
                    open_by_group.setdefault(fso.install_partner_id.id, fso.id)
            plan = plan_install_sync(wanted, existing, open_by_group)
            if reopen_cancelled:
                touched |= fsos.browse(plan.kept_orders).filtered(
                    lambda o: o.install_state == "cancelled"
                )
            if plan.is_noop and not plan.emptied_orders:
                continue
            for key in plan.new_groups:
                new_order_vals.append(
                    order._prepare_install_order_vals(
                        self.env["res.partner"].browse(key)
                    )
                )
                new_order_keys.append((order.id, key))
            for key, sale_line_id, product_id, qty in plan.create:
                pending_lines.append(
                    (
                        order.id,
                        key,
                        open_by_group.get(key),
                        {
                            "sale_line_id": sale_line_id,
                            "product_id": product_id,
                            "quantity": qty,
                        },
                    )
                )
            line_model = self.env["fsm.install.line"]
            for line_id, qty in plan.update:
                line_model.browse(line_id).quantity = qty
                touched |= line_model.browse(line_id).order_id
            to_remove |= line_model.browse(plan.remove)
            touched |= to_remove.order_id
            to_empty |= self.env["fsm.order"].browse(plan.emptied_orders)

        new_orders = self._install_create_orders(
            new_order_vals, new_order_keys, pending_lines
        )
        created_lines = self.env["fsm.install.line"].create(
            [
                dict(vals, order_id=open_id)
                for _so_id, _key, open_id, vals in pending_lines
                if open_id
            ]
        )
        touched |= created_lines.order_id
        to_remove.unlink()

        to_empty -= created_lines.order_id
        to_empty.filtered(
            lambda o: o.install_state != "cancelled"
        )._install_cancel_or_warn(
            self.env._("No product on this order needs installing any more.")
        )
        touched -= to_empty
        touched._install_reopen()
        touched._install_refresh_plan()
        touched._install_link_deliveries()
        touched._install_reschedule()
        touched._install_refresh_delivery()
        return new_orders

    def _install_create_orders(self, order_vals, order_keys, pending_lines):
        """Create new installation orders with their lines, planned in one go.

        Duration, skills and planned start are computed beforehand, so each
        order is inserted once and not rewritten right after.
        """
        if not order_vals:
            return self.env["fsm.order"]
        lines_by_key = {}
        for so_id, key, open_id, vals in pending_lines:
            if not open_id:
                lines_by_key.setdefault((so_id, key), []).append(vals)
        fsm_order = self.env["fsm.order"]
        for vals, key in zip(order_vals, order_keys, strict=True):
            line_vals = lines_by_key[key]
            sale = self.browse(key[0])
            sale_lines = self.env["sale.order.line"].browse(
                [lv["sale_line_id"] for lv in line_vals]
            )
            hours, skills = fsm_order._install_plan_values(
                self.env["fsm.order.type"].browse(vals["type"]),
                [
                    (
                        self.env["product.product"].browse(lv["product_id"]),
                        lv["quantity"],
                    )
                    for lv in line_vals
                ],
            )
            moves = sale_lines.move_ids.filtered(
                lambda m: m.location_dest_id.usage == "customer" and m.state != "cancel"
            )
            start = fsm_order._install_start(moves, sale.company_id, sale)
            vals.update(
                {
                    "install_line_ids": [Command.create(lv) for lv in line_vals],
                    "scheduled_duration": hours,
                    "skill_ids": [Command.set(skills.ids)],
                    "scheduled_date_start": start,
                    "request_early": start,
                }
            )
        new_orders = fsm_order.with_context(mail_create_nolog=True).create(order_vals)
        new_orders._install_link_deliveries()
        new_orders._install_notify_incomplete_address()
        for sale in new_orders.sale_id:
            sale._install_post_created(
                new_orders.filtered(lambda o, so=sale: o.sale_id == so)
            )
        return new_orders

    def _install_location(self, partner):
        """The field service location of a delivery address, created if missing."""
        location_model = self.env["fsm.location"].with_context(active_test=False)
        location = location_model.search([("partner_id", "=", partner.id)], limit=1)
        if not location:
            partner_type = partner.type
            location = location_model.create(
                {
                    "partner_id": partner.id,
                    "owner_id": partner.commercial_partner_id.id,
                }
            )
            # Creating a location retypes the partner as "location"; the customer's
            # contact keeps its own type (delivery address, contact...).
            if partner.type != partner_type:
                partner.type = partner_type
        return location

    def _prepare_install_order_vals(self, partner):
        """Values of a new installation order for the delivery address ``partner``.

        Built on ``fieldservice_sale``'s ``_prepare_fsm_values`` (the hook of
        every field service order made from a sale order: what other modules
        add there reaches installation orders too), then made an installation:
        its type, the field service location of ``partner``, the stage and team
        of the sale order's company. The service templates of the products to
        install give the instructions and categories (the first one is the
        order's template). Duration, skills and dates are set from the products
        and deliveries by :meth:`_install_create_orders`.
        """
        self.ensure_one()
        products = self.order_line.filtered(
            lambda line: line.product_id.install_required
        ).product_id
        templates = products.fsm_order_template_id
        template = templates[:1]
        vals = self._prepare_fsm_values(
            so_id=self.id, template_id=template.id, template_ids=templates.ids
        )
        # the directions follow the installation's own location
        vals.pop("location_directions", None)
        order_type = self.env.ref("fieldservice_install.fsm_order_type_installation")
        fsm_order = self.env["fsm.order"]
        vals.update(
            {
                "type": order_type.id,
                "install_partner_id": partner.id,
                "location_id": self._install_location(partner).id,
                "stage_id": fsm_order._install_first_stage(self.company_id).id,
                "team_id": (
                    template.team_id or fsm_order._install_team(self.company_id)
                ).id,
                "warehouse_id": self.warehouse_id.id,
                "description": Markup("<p>%s</p>")
                % self.env._("Installation for %(order)s", order=self.name),
            }
        )
        return vals

    def _install_post_created(self, install_orders):
        self.ensure_one()
        links = Markup(", ").join(
            Markup('<a href="#" data-oe-model="fsm.order" data-oe-id="%s">%s</a>')
            % (fso.id, fso.name)
            for fso in install_orders
        )
        self.message_post(
            body=Markup("%s %s") % (self.env._("Installation order(s) created:"), links)
        )
