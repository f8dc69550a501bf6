# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small helpers shared by the suite's three addons (no models here)."""

from .public_input import clean_text, id_param, text_param
from .responsible import responsible_user
from .selection import selection_label, selection_labels
from .server_owned import server_owned_trusted, server_owned_writes
