# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A chunk of a settlement run that fails for good marks the run failed
(queue_job's on-fail hook): set on the chunks' job function, whose record is
not updated with the module (``noupdate``, its retry pattern may have been
tuned)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    function = env.ref(
        "master_settlement.queue_job_function_settlement_run_chunk",
        raise_if_not_found=False,
    )
    if function and not function.on_fail_method:
        function.on_fail_method = "_on_chunk_failed"
