# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may call the settlement actions.

Every public method of the addon (an ``action_*``, callable through RPC by
any user who can read the record) checks its caller's group first, before it
reads or writes anything: the buttons' ``groups`` only hide them.
"""

from odoo.exceptions import AccessError

USER = "master_settlement.group_settlement_user"
MANAGER = "master_settlement.group_settlement_manager"


def check_group(env, group, message=None):
    """Raise an :class:`~odoo.exceptions.AccessError` unless the user of
    ``env`` is in ``group`` (an xml id) or the code runs as superuser (the
    server's own flows, e.g. completing an order, call with ``sudo``)."""
    if env.su or env.user.has_group(group):
        return
    if message is None:
        name = env.ref(group).sudo().name
        message = env._(
            "This action is for the %(group)s group of Technician Settlement: "
            "ask an administrator for this access.",
            group=name,
        )
    raise AccessError(message)
