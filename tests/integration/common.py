# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Steps the stories share, each as its user takes it."""

import base64

from odoo.tests import Form

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


def log_every_milestone(order, lots, position=(30.27, 120.15)):
    """The technician logs the milestones of ``order`` in their order through
    the milestone wizard, each with the evidence it asks for: GPS at
    ``position``, a photo, a passed inspection, the next serial of ``lots``
    not logged yet, the customer's signature."""
    env = order.env
    for _step in range(20):
        if not order.milestone_next_id:
            return
        action = order.action_log_milestone()
        with Form(env[action["res_model"]].with_context(**action["context"])) as wizard:
            if wizard.require_gps:
                wizard.latitude, wizard.longitude = position
            if wizard.require_photo:
                wizard.attachment_ids.add(
                    env["ir.attachment"].create({"name": "photo.png", "raw": PNG})
                )
            if wizard.require_inspection:
                wizard.inspection_result = "pass"
            if wizard.require_serial:
                wizard.lot_id = (lots - order.milestone_log_ids.lot_id)[0]
            if wizard.require_signature:
                wizard.signature = base64.b64encode(PNG)
        wizard.record.action_log()
    raise AssertionError(f"{order.name}: the milestones do not end")
