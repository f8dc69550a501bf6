# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import warranty_code
from . import warranty_code_batch
from . import warranty_code_scan
from . import stock_lot
from . import stock_picking
