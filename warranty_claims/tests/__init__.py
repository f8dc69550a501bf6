# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_warranty_policy
from . import test_warranty_registration
from . import test_warranty_claim_verdict
from . import test_warranty_claim_workflow
from . import test_warranty_claim_outcome
from . import test_warranty_claim_billing
from . import test_warranty_claim_mail
from . import test_controller_claim
from . import test_security
from . import test_warranty_code
from . import test_warranty_code_batch
from . import test_controller_warranty_verify
from . import test_controller_claim_photos
from . import test_customer_documents
from . import test_verify_tour
from . import test_portal_registration
from . import test_bad_input_sweep
from . import test_code_batch_reliability
from . import test_server_owned_rpc
