# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The texts of a stock-point match a dispatcher reads: the reason of each
candidate and the explanation of the choice, from the engine's reason codes.
"""

from odoo import models
from odoo.tools import float_repr

from ..engine import stock_point
from .sale_order_stock_point import STOCK_POINT_UNCOVERING_SHOWN


class SaleOrderStockPointText(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

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
