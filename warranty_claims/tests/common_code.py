# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import new_test_user

GTIN13 = "4006381333931"


class WarrantyCodeCommon:
    """A serial-tracked product with a GTIN barcode, lots and users; mixed
    into TransactionCase and HttpCase classes."""

    @classmethod
    def setup_code_data(cls):
        cls.company = cls.env.company
        cls.company.website = "https://brand.example.cn"
        cls.product = cls.env["product.product"].create(
            {
                "name": "Heat Pump Water Heater",
                "is_storable": True,
                "tracking": "serial",
                "barcode": GTIN13,
            }
        )
        cls.lots = cls.env["stock.lot"].create(
            [{"name": f"HP-{i:04d}", "product_id": cls.product.id} for i in range(1, 4)]
        )
        cls.officer = new_test_user(
            cls.env,
            login="code_officer",
            groups="warranty_claims.group_warranty_user,stock.group_stock_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="code_manager",
            groups="warranty_claims.group_warranty_manager,stock.group_stock_user",
        )
        cls.Code = cls.env["warranty.code"]
        cls.Scan = cls.env["warranty.code.scan"]

    @classmethod
    def secret(cls, company=None):
        return cls.Code._company_secret(company or cls.company)
