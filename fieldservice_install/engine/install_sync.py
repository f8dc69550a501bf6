# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Installation-order bookkeeping for a sale order, with no ORM in it.

The sale order model reads what it needs (which lines need installing, which
installation lines exist already), calls :func:`plan_install_sync` and applies
the returned plan in one batch. The same rules therefore hold whether the plan
is computed on confirmation, after a line was added, after a quantity changed
or after a re-confirmation, which is what makes the bookkeeping idempotent.

Inputs are plain values:

* ``wanted``: one :class:`WantedLine` per sale line that needs installing now
  (quantity in the product's unit, > 0). Lines that no longer need installing
  (quantity 0, line removed, product no longer installable) are simply absent.
* ``existing``: one :class:`ExistingLine` per installation line already linked
  to the sale order's lines, with whether its installation order is *open*
  (still plannable: new, ready, scheduled, in progress) or *closed* (done, or
  cancelled by a dispatcher).
* ``open_order_by_group``: the open installation order id per delivery group
  (a delivery address), if there is one.

Output: an :class:`InstallSyncPlan` saying which groups need a new order,
which lines to create (in which group), which to update and which to remove,
and which open orders are left without lines.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

QTY_EPSILON = 1e-6


@dataclass(frozen=True)
class WantedLine:
    sale_line_id: int
    group_key: int
    product_id: int
    quantity: float


@dataclass(frozen=True)
class ExistingLine:
    line_id: int
    sale_line_id: int
    order_id: int
    quantity: float
    order_open: bool


@dataclass
class InstallSyncPlan:
    new_groups: list = field(default_factory=list)
    create: list = field(
        default_factory=list
    )  # (group_key, sale_line_id, product, qty)
    update: list = field(default_factory=list)  # (line_id, qty)
    remove: list = field(default_factory=list)  # line_id
    emptied_orders: list = field(default_factory=list)  # open order ids left empty
    kept_orders: list = field(default_factory=list)  # open order ids keeping lines

    @property
    def is_noop(self):
        return not (self.create or self.update or self.remove or self.new_groups)


def plan_install_sync(wanted, existing, open_order_by_group):
    """Return the :class:`InstallSyncPlan` that makes ``existing`` match ``wanted``.

    Rules:

    * Quantity already in closed orders (installed, or cancelled by a dispatcher)
      stays there; only the remainder is planned in an open order.
    * A sale line keeps its installation line in the open order it already has,
      with its quantity updated; a sale line without one gets a line in the open
      order of its delivery group, or in a new order when the group has none.
    * Lines of open orders whose sale line no longer needs installing are removed.
    """
    plan = InstallSyncPlan()
    by_sale_line = {}
    for line in existing:
        by_sale_line.setdefault(line.sale_line_id, []).append(line)

    wanted_ids = set()
    remaining_by_order = {}
    for line in existing:
        if line.order_open:
            remaining_by_order.setdefault(line.order_id, 0)

    for want in sorted(wanted, key=lambda w: w.sale_line_id):
        wanted_ids.add(want.sale_line_id)
        lines = by_sale_line.get(want.sale_line_id, [])
        closed_qty = sum(line.quantity for line in lines if not line.order_open)
        open_lines = sorted(
            (line for line in lines if line.order_open), key=lambda line: line.line_id
        )
        remainder = want.quantity - closed_qty
        if remainder <= QTY_EPSILON:
            plan.remove.extend(line.line_id for line in open_lines)
            continue
        if open_lines:
            keep, extra = open_lines[0], open_lines[1:]
            if abs(keep.quantity - remainder) > QTY_EPSILON:
                plan.update.append((keep.line_id, remainder))
            remaining_by_order[keep.order_id] = (
                remaining_by_order.get(keep.order_id, 0) + 1
            )
            plan.remove.extend(line.line_id for line in extra)
            continue
        plan.create.append(
            (want.group_key, want.sale_line_id, want.product_id, remainder)
        )
        order_id = open_order_by_group.get(want.group_key)
        if order_id:
            remaining_by_order[order_id] = remaining_by_order.get(order_id, 0) + 1
        elif want.group_key not in plan.new_groups:
            plan.new_groups.append(want.group_key)

    for line in existing:
        if line.order_open and line.sale_line_id not in wanted_ids:
            plan.remove.append(line.line_id)

    plan.emptied_orders = sorted(
        order_id for order_id, count in remaining_by_order.items() if not count
    )
    plan.kept_orders = sorted(
        order_id for order_id, count in remaining_by_order.items() if count
    )
    return plan


def earliest_install_start(delivery_dates, buffer_days, fallback=None):
    """Earliest planned start of an installation.

    The latest scheduled delivery of the goods plus ``buffer_days`` days; when no
    delivery date is known, ``fallback`` plus the buffer; ``None`` if neither.
    """
    if buffer_days < 0:
        raise ValueError("buffer_days must be >= 0")
    dates = [d for d in delivery_dates if d]
    base = max(dates) if dates else fallback
    if not base:
        return None
    if not isinstance(base, datetime):
        base = datetime.combine(base, datetime.min.time())
    return base + timedelta(days=buffer_days)


def is_fully_delivered(required, delivered):
    """Whether every product quantity in ``required`` is covered by ``delivered``.

    Both are ``{key: quantity}`` mappings (key: sale line or product id).
    An empty ``required`` is never "fully delivered": nothing was shipped for it.
    """
    if not required:
        return False
    return all(
        delivered.get(key, 0.0) + QTY_EPSILON >= qty for key, qty in required.items()
    )


INSTALL_STATES = ("none", "to_plan", "scheduled", "in_progress", "done", "cancelled")


def aggregate_install_state(states):
    """Summarise the installation states of a sale order's installation orders.

    ``states`` holds one of ``to_plan``, ``scheduled``, ``in_progress``, ``done``,
    ``cancelled`` per order. Result: ``none`` without orders; ``cancelled`` when all
    are cancelled; ``done`` when all that are not cancelled are done; ``in_progress``
    when any is in progress or some are done and others not; ``to_plan`` when any
    still needs planning; otherwise ``scheduled``.
    """
    states = list(states)
    if not states:
        return "none"
    live = [s for s in states if s != "cancelled"]
    if not live:
        return "cancelled"
    if all(s == "done" for s in live):
        return "done"
    if "in_progress" in live or "done" in live:
        return "in_progress"
    if "to_plan" in live:
        return "to_plan"
    return "scheduled"
