# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_settlement_rate_card
from . import test_settlement_job_line_pricing
from . import test_settlement_job_line_hold
from . import test_settlement_job_line_accounting
from . import test_settlement_job_line_chargeback
from . import test_settlement_aging_report
from . import test_settlement_run
from . import test_settlement_run_chunk
from . import test_settlement_run_bill
from . import test_settlement_run_preview
from . import test_concurrency
from . import test_security
from . import test_portal_earnings
from . import test_reliability
from . import test_access_matrix
from . import test_server_owned
from . import test_translations
from . import test_demo_data
