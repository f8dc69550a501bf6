# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Warranty Claims",
    "summary": "Warranty policies, signed warranty codes per unit, claims and "
    "billing brands for covered work",
    "version": "19.0.1.0.0",
    "category": "Field Service",
    "license": "AGPL-3",
    "author": "Installation Suite Authors",
    "website": "https://github.com/install-suite/install-suite",
    "depends": ["fieldservice_install", "queue_job"],
    "data": [
        "security/warranty_claims_security.xml",
        "views/warranty_claims_menus.xml",
        "security/ir.model.access.csv",
        "security/warranty_code_security.xml",
        "data/warranty_code_data.xml",
        "data/queue_job_data.xml",
        "views/warranty_code_views.xml",
        "views/warranty_code_batch_views.xml",
        "views/warranty_code_templates.xml",
        "views/stock_lot_views.xml",
    ],
    "demo": [
        "demo/warranty_code_demo.xml",
    ],
    "external_dependencies": {"python": ["qrcode"]},
    "development_status": "Alpha",
    "maintainers": ["install-suite"],
    "installable": True,
}
