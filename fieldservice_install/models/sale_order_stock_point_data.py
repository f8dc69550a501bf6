# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What stock-point matching reads: the orders' needs, their delivery
addresses, the warehouse network and the free stock, each in one or two plain
queries for all the orders (matching one order stays a few queries).
"""

from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..engine import stock_point


class SaleOrderStockPointData(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

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
