# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The labels of a selection field, in the user's language."""


def selection_labels(records, field):
    """``{value: label}`` of the selection field ``field`` of ``records``'
    model, translated in their environment's language."""
    return dict(records._fields[field]._description_selection(records.env))


def selection_label(records, field, value):
    """The label of ``value`` in the selection field ``field`` (the value
    itself when it is not one of the field's, ``""`` for no value)."""
    return selection_labels(records, field).get(value, value or "")
