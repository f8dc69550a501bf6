# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may write a server-owned field: the server's own code, nobody else.

A field is *server-owned* when the system computes it or when it records
money or evidence (amounts, payees, states of a ledger, codes, timestamps of
what a technician logged...). The models' own actions and crons change such
fields inside ``with server_owned_writes():``; every other ``create`` or
``write`` that names one (a form, an import, ``call_kw`` through RPC, by any
user, the administrator included) is refused by the model mixin
``install.server.owned.mixin``.

The permission lives in a :class:`contextvars.ContextVar`, which is Python
state of the running thread: unlike the ORM's context (which an RPC caller
sends along with its call), no client can set it.
"""

import contextlib
import contextvars

_TRUSTED = contextvars.ContextVar("install_server_owned_writes", default=0)


@contextlib.contextmanager
def server_owned_writes():
    """Let the code inside the block write server-owned fields.

    Use it in the model method (an ``action_*``, a cron, a background job)
    that *is* the rule for these fields, around the ``create``/``write`` that
    applies the rule's result, never around values taken from a request as
    they are.
    """
    token = _TRUSTED.set(_TRUSTED.get() + 1)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


def server_owned_trusted():
    """True inside :func:`server_owned_writes`."""
    return _TRUSTED.get() > 0
