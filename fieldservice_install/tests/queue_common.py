# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reliability tests of queue jobs: they commit, and run the jobs themselves
as queue_job's runner does (the runner of the test server paused)."""

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

from odoo.addons.queue_job.controllers.main import RunJobController

from .common import pause_job_runner


def perform_job(env, uuid, mute=()):
    """What the job runner does with one job, in ``env``'s cursor: mark it
    enqueued (committed), acquire it, perform it, commit. The job, or ``None``
    when it cannot be acquired (another worker has it, or it is done);
    ``mute``: loggers silenced while it runs."""
    env.cr.execute("UPDATE queue_job SET state = 'enqueued' WHERE uuid = %s", [uuid])
    env.cr.commit()
    job = RunJobController._acquire_job(env, uuid)
    if not job:
        return None
    with mute_logger(*mute):
        RunJobController._runjob(env, job)
    env.cr.commit()
    return job


class CommittingJobCase(BaseCase):
    """A test class whose data is committed (``cls.registry.cursor()``, each
    test cleans up after itself) and whose queue jobs it runs itself."""

    join_timeout = 60  # seconds a stopped runner thread, a test thread gets

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pause_job_runner(cls, cls.join_timeout)
        cls.registry = Registry(get_db_name())

    @staticmethod
    def _env(cr):
        return api.Environment(cr, SUPERUSER_ID, {})
