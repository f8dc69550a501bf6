# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_product
from . import test_install_order
from . import test_delivery
from . import test_bad_input
from . import test_security
from . import test_stock_point
from . import test_dispatch
from . import test_dispatch_concurrency
from . import test_milestones
from . import test_offer_rating_sla
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
