# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import Command, models

# set, per model, while its tracking messages are collected to be created in
# one batch
LOG_BATCH = "fieldservice_install.tracking_log_batch.%s"
LOG_KEYS = frozenset({"body", "author_id", "tracking_value_ids"})


class InstallMailTrackingBatch(models.AbstractModel):
    """Tracking messages of many records created in one batch.

    Odoo logs the tracking message of each changed record with a
    ``mail.message`` create, and a ``mail.tracking.value`` create, of its own:
    2,000 orders dispatched at once make 4,000 creates at commit time. Here
    Odoo's own tracking still decides every message (body, author, subtype,
    what changed); the messages it logs are collected while it runs, then
    created in one batch per author, and their tracking values in one create.
    Changes with a subtype are still posted one record at a time.

    For models that inherit ``mail.thread``: list this mixin before it (or,
    extending such a model, before the model), so that its methods come first.
    It has no field of its own.
    """

    _name = "install.mail.tracking.batch"
    _description = "Tracking Messages in Batch"

    def _message_track(self, fields_iter, initial_values_dict):
        data, key = self.env.cr.precommit.data, LOG_BATCH % self._name
        if len(self) < 2 or key in data:
            return super()._message_track(fields_iter, initial_values_dict)
        data[key] = pending = []
        try:
            tracking = super()._message_track(fields_iter, initial_values_dict)
        finally:
            del data[key]
        self._message_log_tracking_batch(pending)
        return tracking

    def _message_log(self, **kwargs):
        pending = self.env.cr.precommit.data.get(LOG_BATCH % self._name)
        if (
            pending is None
            or not set(kwargs) <= LOG_KEYS
            or not all(
                len(command) == 3 and command[0] == Command.CREATE
                for command in kwargs.get("tracking_value_ids") or []
            )
        ):
            return super()._message_log(**kwargs)
        pending.append((self, kwargs))
        return self.env["mail.message"]

    def _message_log_tracking_batch(self, pending):
        """Create the messages collected by ``_message_track``: what
        ``_message_log`` makes record by record, made in batches."""
        groups = defaultdict(list)
        for record, kwargs in pending:
            groups[kwargs.get("author_id")].append((record, kwargs))
        tracking_vals = []
        for author_id, items in groups.items():
            records = self.browse([record.id for record, _kwargs in items])
            messages = records._message_log_batch(
                bodies={record.id: kwargs.get("body", "") for record, kwargs in items},
                author_id=author_id,
            )
            for message, (_record, kwargs) in zip(messages, items, strict=True):
                commands = kwargs.get("tracking_value_ids") or []
                tracking_vals += [
                    dict(command[2], mail_message_id=message.id) for command in commands
                ]
        if tracking_vals:
            self.env["mail.tracking.value"].sudo().create(tracking_vals)
