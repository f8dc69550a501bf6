# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import warranty_exclusion
from . import warranty_fault
from . import warranty_policy
from . import warranty_policy_version
from . import warranty_policy_line
from . import warranty_registration
from . import warranty_registration_dates
from . import warranty_registration_source
from . import warranty_claim
from . import warranty_claim_lookup
from . import warranty_claim_verdict
from . import warranty_claim_workflow
from . import warranty_claim_outcome
from . import warranty_claim_mail
from . import warranty_claim_billing
from . import warranty_claim_verdict_line
from . import product_template
from . import product_category
from . import fsm_person
from . import fsm_order_type
from . import fsm_order
from . import stock_picking
from . import sale_order
from . import account_move
from . import account_move_line
from . import warranty_code
from . import warranty_code_signing
from . import warranty_code_lot
from . import warranty_code_public
from . import warranty_code_batch
from . import warranty_code_batch_export
from . import warranty_code_scan
from . import stock_lot
from . import warranty_code_coverage
