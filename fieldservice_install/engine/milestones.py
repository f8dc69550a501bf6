# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Service milestones: which step comes next, what is missing, what is refused.

No ORM here. The order model reads its type's milestone templates and its
milestone log, turns them into :class:`Step` and :class:`Entry` values and
calls:

* :func:`progress` — the steps complete, the steps still missing (in order)
  and the next step to log;
* :func:`check_entry` — whether a new entry is acceptable: an empty list, or
  one :class:`Problem` per broken rule (the model turns them into messages);
* :func:`checkin_status` — whether a check-in is ``"near"``, ``"far"`` or its
  distance ``"unknown"``.

Rules:

* Steps are ordered by ``(sequence, step_id)``. Every step is required: an
  order completes only when every step is complete.
* An entry for a step is acceptable only when every step before it is
  complete (``order``: the first incomplete earlier step is named), and when
  the step itself is not complete yet (``done``).
* Evidence: ``gps`` (a latitude and a longitude), ``photo`` (at least one
  picture), ``signature``, ``inspection`` (a pass / fail result) and
  ``serial`` (a serial number scanned).
* Serials: a scanned serial must be one delivered for the order
  (``serial_unknown``) and not logged for the same step before
  (``serial_repeated``). A step that requires a serial is complete once every
  delivered serial has been logged for it; an order with no delivered serial
  (nothing is tracked) needs no scan, one entry completes the step.
* Inspection: a step that asks for a result is complete once its latest
  entry passed. A failed inspection keeps it incomplete, so the order waits
  for a passing one (after a replacement) before anything else is logged.
* Other steps are complete after one acceptable entry.
"""

from dataclasses import dataclass

PASS = "pass"
FAIL = "fail"

NEAR = "near"
FAR = "far"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Step:
    step_id: int
    code: str
    name: str
    sequence: int = 10
    require_gps: bool = False
    require_photo: bool = False
    require_serial: bool = False
    require_signature: bool = False
    require_inspection: bool = False

    @property
    def key(self):
        return (self.sequence, self.step_id)


@dataclass(frozen=True)
class Entry:
    step_id: int
    lat: float = None
    lon: float = None
    photos: int = 0  # number of pictures attached
    lot_id: int = None
    signature: bool = False
    inspection: str = None  # PASS, FAIL or None


@dataclass(frozen=True)
class Problem:
    code: str  # order, done, unknown_step, gps, photo, serial, serial_unknown, ...
    step: Step = None  # the step concerned (for ``order``: the one to log first)
    lot_id: int = None


@dataclass(frozen=True)
class Progress:
    done: tuple  # complete steps, in order
    missing: tuple  # incomplete steps, in order
    next_step: Step = None  # first incomplete step (None: all complete)

    @property
    def complete(self):
        return not self.missing


def ordered(steps):
    """The steps in the order they must be logged."""
    return sorted(steps, key=lambda s: s.key)


def is_step_complete(step, entries, serials=frozenset()):
    """Whether ``entries`` (all of the order, in log order) complete ``step``."""
    mine = [e for e in entries if e.step_id == step.step_id]
    if not mine:
        return False
    if step.require_inspection and mine[-1].inspection != PASS:
        return False
    if step.require_serial and serials:
        logged = {e.lot_id for e in mine if e.lot_id}
        return set(serials) <= logged
    return True


def progress(steps, entries, serials=frozenset()):
    """What is complete, what is missing and what comes next.

    ``entries`` are the order's logged entries in log order; ``serials`` the
    ids of the serials delivered for the order.
    """
    done, missing = [], []
    for step in ordered(steps):
        (done if is_step_complete(step, entries, serials) else missing).append(step)
    return Progress(
        done=tuple(done),
        missing=tuple(missing),
        next_step=missing[0] if missing else None,
    )


def check_entry(steps, entries, entry, serials=frozenset()):
    """Problems of logging ``entry`` after ``entries``; empty when acceptable."""
    by_id = {s.step_id: s for s in steps}
    step = by_id.get(entry.step_id)
    if step is None:
        return [Problem("unknown_step")]
    problems = []
    before = [s for s in ordered(steps) if s.key < step.key]
    first_missing = next(
        (s for s in before if not is_step_complete(s, entries, serials)), None
    )
    if first_missing is not None:
        problems.append(Problem("order", first_missing))
    elif is_step_complete(step, entries, serials):
        problems.append(Problem("done", step))
    if step.require_gps and (entry.lat is None or entry.lon is None):
        problems.append(Problem("gps", step))
    if step.require_photo and entry.photos < 1:
        problems.append(Problem("photo", step))
    if step.require_signature and not entry.signature:
        problems.append(Problem("signature", step))
    if step.require_inspection and entry.inspection not in (PASS, FAIL):
        problems.append(Problem("inspection", step))
    if entry.lot_id:
        if entry.lot_id not in serials:
            problems.append(Problem("serial_unknown", step, entry.lot_id))
        elif step.require_serial and any(
            e.step_id == step.step_id and e.lot_id == entry.lot_id for e in entries
        ):
            problems.append(Problem("serial_repeated", step, entry.lot_id))
    elif step.require_serial and serials:
        problems.append(Problem("serial", step))
    return problems


def checkin_status(distance_km, max_km):
    """``"near"``, ``"far"`` (beyond ``max_km``) or ``"unknown"`` (no distance)."""
    if distance_km is None:
        return UNKNOWN
    return FAR if distance_km > max_km else NEAR
