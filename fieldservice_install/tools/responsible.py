# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who gets a to-do: the first of the people in charge who can act on it."""


def responsible_user(env, company, *candidates, group=None):
    """The user who gets an activity of ``company``'s records.

    The first of ``candidates`` (users, empty ones skipped) that is an active
    internal user of the company; else the current user when he is one (not
    a technician on the portal, not a visitor); else the first internal user
    of ``group`` (an xml id) in the company; else the administrator.
    """

    def can_act(user):
        return (
            user
            and user.active
            and not user.share
            and (not company or company in user.company_ids)
        )

    for user in candidates:
        if can_act(user):
            return user
    if can_act(env.user):
        return env.user
    if group:
        users = env.ref(group).sudo().all_user_ids.filtered(can_act)
        if users:
            return users.sorted("id")[0]
    return env.ref("base.user_admin")
