# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import fsm_install_stock_report
from . import fsm_order_day_sheet
