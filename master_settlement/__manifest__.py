# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Technician Settlement",
    "summary": "Rate cards, job fees, held funds and vendor bills per technician "
    "per period",
    "version": "19.0.1.0.0",
    "category": "Field Service",
    "license": "AGPL-3",
    "author": "Installation Suite Authors",
    "website": "https://github.com/install-suite/install-suite",
    "depends": ["fieldservice_install", "account"],
    "data": [
        "security/master_settlement_security.xml",
        "views/master_settlement_menus.xml",
    ],
    "development_status": "Alpha",
    "maintainers": ["install-suite"],
    "installable": True,
}
