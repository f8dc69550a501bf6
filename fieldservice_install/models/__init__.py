# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import server_owned_mixin
from . import ir_http
from . import res_company
from . import res_config_settings
from . import product_install_skill
from . import product_template
from . import product_category
from . import fsm_person_certification
from . import fsm_person
from . import fsm_dispatch_candidate
from . import fsm_dispatch_offer
from . import fsm_order_rating
from . import fsm_sla_policy
from . import stock_warehouse_service_area
from . import stock_warehouse
from . import fsm_order_type
from . import fsm_install_line
from . import fsm_order
from . import sale_order_stock_point_candidate
from . import sale_order_line
from . import sale_order
from . import stock_picking
from . import fsm_milestone_template
from . import fsm_order_milestone_log
from . import fsm_equipment
