# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Field Service - Installation Orders",
    "summary": "Installation orders from confirmed sale orders, linked to deliveries",
    "version": "19.0.1.0.0",
    "category": "Field Service",
    "license": "AGPL-3",
    "author": "Installation Suite Authors",
    "website": "https://github.com/install-suite/install-suite",
    "depends": [
        "sale_stock",
        "fieldservice_sale",
        "fieldservice_stock",
        "fieldservice_skill",
        "fieldservice_equipment_stock",
    ],
    "data": [
        "security/fieldservice_install_security.xml",
        "security/ir.model.access.csv",
        "data/fsm_order_type_data.xml",
        "data/fsm_stage_data.xml",
        "views/fsm_order_views.xml",
        "views/fsm_install_line_views.xml",
        "views/product_template_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/fieldservice_install_menus.xml",
    ],
    "demo": [
        "demo/fieldservice_install_demo.xml",
    ],
    "development_status": "Alpha",
    "maintainers": ["install-suite"],
    "installable": True,
    "application": False,
}
