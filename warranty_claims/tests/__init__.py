# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_policy
from . import test_registration
from . import test_claim
from . import test_outcomes
from . import test_billing
from . import test_email
from . import test_claim_controller
from . import test_security
from . import test_warranty_code
from . import test_warranty_code_batch
from . import test_warranty_verify
from . import test_claim_photos
from . import test_customer_documents
from . import test_verify_tour
from . import test_portal_registration
from . import test_bad_input_sweep
from . import test_code_batch_reliability
from . import test_server_owned_rpc
