# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

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


def unit_installed_today(env, serial, classes=(("unit", 12),), **product_vals):
    """The registration of unit ``serial`` of a new serial-tracked product
    (``product_vals``: more of its values), installed today, its code issued
    and activated; the product's policy covers ``classes`` ((cost class,
    months)), none when empty. For the HTTP tests of the public pages."""
    product = env["product.product"].create(
        {
            "name": f"Heater of {serial}",
            "is_storable": True,
            "tracking": "serial",
            **product_vals,
        }
    )
    if classes:
        product.warranty_policy_id = env["warranty.policy"].create(
            {
                "name": f"Policy of {serial}",
                "version_ids": [
                    Command.create(
                        {
                            "name": "1",
                            "line_ids": [
                                Command.create({"cost_class": name, "months": months})
                                for name, months in classes
                            ],
                        }
                    )
                ],
            }
        )
    lot = env["stock.lot"].create({"name": serial, "product_id": product.id})
    with server_owned_writes():  # the installation is recorded by the server
        return env["warranty.registration"].create(
            {"lot_id": lot.id, "install_date": date.today()}
        )
