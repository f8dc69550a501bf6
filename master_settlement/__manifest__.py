# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Technician Settlement",
    "summary": "Rate cards, job fees, held funds and vendor bills per technician "
    "per period",
    "version": "19.0.1.1.0",
    "category": "Field Service",
    "license": "AGPL-3",
    "author": "Installation Suite Authors",
    "website": "https://github.com/install-suite/install-suite",
    "depends": ["fieldservice_install", "account", "queue_job", "portal"],
    "data": [
        "security/master_settlement_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/settlement_chargeback_wizard_views.xml",
        "views/settlement_rate_card_views.xml",
        "views/settlement_job_line_templates.xml",
        "views/settlement_job_line_views.xml",
        "views/settlement_run_views.xml",
        "views/settlement_aging_report_views.xml",
        "views/fsm_order_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "views/master_settlement_menus.xml",
        "report/settlement_statement_report.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/settlement_demo.xml",
        "demo/portal_demo.xml",
    ],
    "development_status": "Alpha",
    "maintainers": ["install-suite"],
    "installable": True,
}
