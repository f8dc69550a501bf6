# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import fsm_dispatch_batch
from . import fsm_milestone_log_wizard
from . import fsm_day_sheet_wizard
