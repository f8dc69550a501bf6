# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_product
from . import test_sale_order_install
from . import test_fsm_order_install
from . import test_bad_input
from . import test_security
from . import test_sale_order_stock_point
from . import test_fsm_order_dispatch
from . import test_dispatch_concurrency
from . import test_fsm_order_milestone
from . import test_fsm_order_offer
from . import test_fsm_order_sla
from . import test_rating_controller
from . import test_tracking_controller
from . import test_customer_documents
from . import test_customer_tour
from . import test_portal_security
from . import test_portal_controller
from . import test_portal_tour
from . import test_dispatch_reliability
from . import test_server_owned
from . import test_customer_secrets
from . import test_offer_privacy
from . import test_routes_bad_input
from . import test_server_owned_jobs
from . import test_fsm_order_form
