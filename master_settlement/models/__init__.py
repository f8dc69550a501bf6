# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import res_company
from . import res_config_settings
from . import fsm_order_type
from . import fsm_order
from . import settlement_rate_card
from . import settlement_rate_card_line
from . import settlement_bonus
from . import settlement_job_line
from . import settlement_job_line_pricing
from . import settlement_job_line_hold
from . import settlement_job_line_accounting
from . import settlement_job_line_chargeback
from . import settlement_job_penalty
from . import settlement_run
from . import settlement_run_chunk
from . import settlement_run_bill
from . import settlement_run_preview
from . import account_move
from . import account_move_line
