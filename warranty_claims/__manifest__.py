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
    "depends": ["fieldservice_install"],
    "data": [
        "security/warranty_claims_security.xml",
        "security/ir.model.access.csv",
        "security/warranty_claims_rules.xml",
        "data/warranty_exclusion_data.xml",
        "data/ir_sequence_data.xml",
        "data/fsm_order_type_data.xml",
        "data/product_data.xml",
        "data/mail_alias_data.xml",
        "data/ir_cron_data.xml",
        "views/warranty_claim_views.xml",
        "views/warranty_policy_views.xml",
        "views/warranty_registration_views.xml",
        "views/warranty_wizard_views.xml",
        "views/inherited_views.xml",
        "views/warranty_claims_menus.xml",
    ],
    "demo": [
        "demo/warranty_policy_demo.xml",
        "demo/warranty_claim_demo.xml",
    ],
    "development_status": "Alpha",
    "maintainers": ["install-suite"],
    "installable": True,
}
