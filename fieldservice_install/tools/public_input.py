# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reading what a visitor or a form sent: untrusted input as plain values.

A query or form value may be a file part, several values, a NUL character,
unicode digits (``"²".isdigit()`` is true), a huge text. These turn it into
plain text, a record id or nothing, never an exception: the public pages and
the portal forms of the three addons use them.
"""

import re

# ASCII digits only, and a size PostgreSQL's integer column takes
_ID = re.compile(r"[0-9]{1,9}")


def text_param(value, limit=None):
    """``value`` as text typed by a visitor: a string without NUL characters
    (PostgreSQL refuses them), cut to ``limit`` characters; ``None`` when it
    is not text (a file part, several values)."""
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "")
    return value[:limit] if limit else value


def clean_text(value, limit=None):
    """``value`` (text, or a number) as text to store: stripped, without NUL
    characters, cut to ``limit``; ``""`` when empty. ``None`` when it is not
    text (a file part)."""
    if value is None or value is False:
        return ""
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    text = text_param(value)
    if text is None:
        return None
    return text.strip()[:limit] if limit else text.strip()


def id_param(value):
    """``value`` as a record id (1 to 9 ASCII digits), else ``None``."""
    value = text_param(value, 10)
    if value is None or not _ID.fullmatch(value.strip()):
        return None
    return int(value.strip()) or None


def bad_form_message(env):
    """What a visitor reads when a form cannot be taken (expired, or a file
    sent where text was expected): one wording for every form of the suite."""
    return env._(
        "The form has expired or sent a file where text was expected: reload "
        "the page and send it again."
    )
