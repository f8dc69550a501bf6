# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's clickbot over the Field Service app, on a database with demo data.

Every menu of the app (the suite's Installations, Warranty and Settlement menus
included) is clicked, every view of its action switched to and every filter of
the search panel applied, as the administrator and as a user of each of the
suite's groups. Any client error (an error dialog, an error in the browser
console) or any request the server answers with an error (an access error the
web client swallowed included) fails the test, with the server's traceback.
This is what Odoo's own ``web/tests/test_click_everywhere.py`` runs for every
app.

The menus need records to show: run it on a database created with
``--with-demo`` (``tools/run_tests.sh`` makes one for it). On a database
without demo data the test is skipped with a warning. The suite's other tests
never run on that database: they make their own data.
"""

import logging
import traceback
import unittest
import warnings

from odoo.tests import HttpCase, new_test_user

_logger = logging.getLogger(__name__)

APP = "fieldservice.root"
CLICKBOT = (
    "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
    f".startClickEverywhere('{APP}');"
)
SUCCESS_SIGNAL = "clickbot test succeeded"
ADDONS = ("fieldservice_install", "warranty_claims", "master_settlement")
# a user of each of these groups clicks through the app (each has its test)
GROUPS = (
    "fieldservice_install.group_install_dispatcher",
    "fieldservice_install.group_install_manager",
    "warranty_claims.group_warranty_user",
    "warranty_claims.group_warranty_manager",
    "master_settlement.group_settlement_user",
    "master_settlement.group_settlement_manager",
)
NO_DEMO = """
###########################################################################
#  NO DEMO DATA IN THIS DATABASE: THE CLICKBOT DID NOT RUN                #
#  Its menus would open empty. Run it on a database created --with-demo   #
#  (tools/run_tests.sh does so).                                          #
###########################################################################"""


class ServerErrors(logging.Handler):
    """Collects what the server logs about the requests it answered with an
    error (``odoo.http`` logs each such request, with its traceback)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.messages.append(message)


class TestClickEverywhere(HttpCase):
    # Classes outside an addon get no Odoo test tags of their own.
    test_tags = frozenset({"post_install", "click_install_suite"})
    test_module = "fieldservice_install"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo = cls.env["ir.module.module"].search(
            [("name", "=", "fieldservice_install"), ("demo", "=", True)]
        )
        if not demo:
            # the log for Odoo's runner, the warning for pytest's summary
            _logger.warning(NO_DEMO)
            warnings.warn(NO_DEMO, stacklevel=1)
            raise unittest.SkipTest(
                "NO DEMO DATA: the clickbot did not run (create the database "
                "--with-demo)"
            )
        cls.env.ref("base.user_admin").tour_enabled = False

    def _click_field_service(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
        apps = {menus[app]["xmlid"] for app in menus["root"]["children"]}
        self.assertIn(
            APP,
            apps,
            f"{user.name} does not see the Field Service app: the menus of "
            "the group are out of reach",
        )
        errors = ServerErrors()
        http_logger = logging.getLogger("odoo.http")
        http_logger.addHandler(errors)
        try:
            self.browser_js(
                "/odoo",
                CLICKBOT,
                "odoo.isReady === true",
                login=login,
                timeout=900,
                success_signal=SUCCESS_SIGNAL,
            )
        except AssertionError as failure:
            if not errors.messages:
                raise
            # the browser's error is often a consequence: say what the server said
            raise AssertionError(
                f"{failure}\n\nThe server answered errors:\n\n"
                + "\n\n".join(errors.messages)
            ) from failure
        finally:
            http_logger.removeHandler(errors)
        if errors.messages:
            self.fail(
                f"{user.name}: the server answered errors while the clickbot "
                "clicked through the app:\n\n" + "\n\n".join(errors.messages)
            )

    def _click_as_member_of(self, group):
        login = "clickbot_" + group.split(".")[1]
        new_test_user(
            self.env,
            login=login,
            groups=f"base.group_user,{group}",
            tour_enabled=False,
        )
        self._click_field_service(login)

    def test_every_group_is_clicked(self):
        groups = self.env["ir.model.data"].search(
            [("module", "in", ADDONS), ("model", "=", "res.groups")]
        )
        self.assertEqual(
            {f"{group.module}.{group.name}" for group in groups},
            set(GROUPS),
            "a group of the suite has no clickbot test: add it to GROUPS and "
            "give it its test",
        )

    def test_admin(self):
        self._click_field_service("admin")

    def test_install_dispatcher(self):
        self._click_as_member_of(GROUPS[0])

    def test_install_manager(self):
        self._click_as_member_of(GROUPS[1])

    def test_warranty_user(self):
        self._click_as_member_of(GROUPS[2])

    def test_warranty_manager(self):
        self._click_as_member_of(GROUPS[3])

    def test_settlement_user(self):
        self._click_as_member_of(GROUPS[4])

    def test_settlement_manager(self):
        self._click_as_member_of(GROUPS[5])
