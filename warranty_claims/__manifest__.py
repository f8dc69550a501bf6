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
        "views/warranty_claims_menus.xml",
    ],
    "development_status": "Alpha",
    "maintainers": ["install-suite"],
    "installable": True,
}
