# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may call a public method of the warranty models."""

from odoo.exceptions import AccessError

OFFICER = "warranty_claims.group_warranty_user"
MANAGER = "warranty_claims.group_warranty_manager"


def check_group(records, group, action):
    """Raise an :class:`~odoo.exceptions.AccessError` unless the current user
    belongs to ``group`` (an xml id), before the method ``action`` (its label
    for the message) does anything. Code running in superuser mode (the
    server's own jobs, crons and data files) passes: no RPC call can be in it.
    """
    env = records.env
    if env.su or env.user.has_group(group):
        return
    raise AccessError(
        env._(
            "%(action)s is for the group %(group)s: ask a user of that group.",
            action=action,
            group=env.ref(group).sudo().full_name,
        )
    )
