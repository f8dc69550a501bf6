# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_warranty_code
from . import test_warranty_code_batch
from . import test_warranty_verify
