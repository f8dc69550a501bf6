# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user

from ..tools.server_owned import server_owned_writes
from .common import InstallCommon

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
SITE = (30.2741, 120.1551)  # Hangzhou
NEAR = (30.2745, 120.1552)


class PortalTechCommon(InstallCommon):
    """Two portal technicians, a customer portal user, an installation order
    offered to the first technician and one assigned to the second."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech_user = new_test_user(
            cls.env,
            login="portal_tech",
            name="Zhou Min",
            groups="base.group_portal",
        )
        cls.tech = cls.env["fsm.person"].create(
            {"partner_id": cls.tech_user.partner_id.id}
        )
        cls.other_user = new_test_user(
            cls.env,
            login="portal_tech_other",
            name="Sun Li",
            groups="base.group_portal",
        )
        cls.other_tech = cls.env["fsm.person"].create(
            {"partner_id": cls.other_user.partner_id.id}
        )
        cls.customer_user = new_test_user(
            cls.env, login="portal_customer", groups="base.group_portal"
        )
        cls.ms = {
            code: cls.env.ref(f"fieldservice_install.fsm_milestone_template_{code}")
            for code in ("picked_up", "arrived", "inspected", "installed", "confirmed")
        }
        cls.serials = cls._stock(cls.heater, serials=["TOUR-SN-0001"])
        cls.sale = cls._sale([(cls.heater, 1)])
        cls.install = cls.sale.install_order_ids
        cls.install.location_id.write(
            {"partner_latitude": SITE[0], "partner_longitude": SITE[1]}
        )
        cls._deliver(cls, cls.sale)
        # offers are the server's (made by action_offer): test data
        with server_owned_writes():
            cls.offer = cls.env["fsm.dispatch.offer"].create(
                {
                    "order_id": cls.install.id,
                    "person_id": cls.tech.id,
                    "rank": 1,
                    "deadline": fields.Datetime.now() + timedelta(days=1),
                }
            )
        cls.other_sale = cls._sale([(cls.lock, 1)])
        cls.other_install = cls.other_sale.install_order_ids
        cls.other_install.write(
            {
                "person_id": cls.other_tech.id,
                "scheduled_date_start": fields.Datetime.now(),
                "scheduled_duration": 1.0,
            }
        )
        with server_owned_writes():
            cls.other_offer = cls.env["fsm.dispatch.offer"].create(
                {
                    "order_id": cls.other_install.id,
                    "person_id": cls.other_tech.id,
                    "state": "accepted",
                    "deadline": fields.Datetime.now() + timedelta(days=1),
                }
            )

    @classmethod
    def _assign(cls, order=None, person=None):
        (order or cls.install).write(
            {
                "person_id": (person or cls.tech).id,
                "scheduled_date_start": fields.Datetime.now(),
                "scheduled_duration": 1.5,
            }
        )
