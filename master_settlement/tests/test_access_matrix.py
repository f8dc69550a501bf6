# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Access sweep: for every model of the suite and each persona, read, write,
create and unlink are exactly what they should be.

The expected matrix is written out below (docs/security.md shows the same table,
printed by the repository's ``tests/access_matrix.py``). Cells: ``RWCU``,
``-`` refused, ``o`` own records only; see :mod:`.access_matrix`. Columns, in
order: portal technician, customer by token (public user), dispatcher,
warehouse user, accountant, warranty officer, a user of another company (with
every manager group of the suite) on the main company's records.
"""

from odoo.tests import TransactionCase, tagged

from . import access_matrix

EXPECTED = {
    "fsm.dispatch.batch": ("----", "----", "RWCU", "----", "----", "----", "RWCU"),
    "fsm.dispatch.batch.line": ("----", "----", "RWCU", "----", "----", "----", "RWCU"),
    "fsm.dispatch.candidate": ("----", "----", "RWCU", "----", "R---", "R---", "RWCU"),
    "fsm.day.sheet.wizard": ("----", "----", "RWC-", "----", "----", "----", "RWC-"),
    "fsm.dispatch.offer": ("o---", "----", "RWCU", "----", "----", "----", "--C-"),
    "fsm.install.line": ("----", "----", "RWCU", "R---", "R---", "R---", "RWCU"),
    "fsm.install.stock.report": (
        "----",
        "----",
        "R---",
        "R---",
        "R---",
        "R---",
        "R---",
    ),
    "fsm.milestone.log.wizard": (
        "----",
        "----",
        "RWC-",
        "----",
        "RWC-",
        "RWC-",
        "RWC-",
    ),
    "fsm.milestone.template": ("R---", "----", "R---", "----", "R---", "R---", "RWCU"),
    "fsm.order": ("o---", "----", "RWCU", "----", "RW--", "RW--", "--C-"),
    "fsm.order.milestone.log": ("R---", "----", "R-C-", "----", "R-C-", "R-C-", "R-C-"),
    "fsm.order.rating": ("----", "----", "RWC-", "----", "R---", "R---", "--C-"),
    "fsm.person.certification": (
        "----",
        "----",
        "RWCU",
        "----",
        "R---",
        "R---",
        "RWCU",
    ),
    "fsm.sla.policy": ("----", "----", "R---", "----", "R---", "R---", "--C-"),
    "product.install.skill": ("----", "----", "R---", "R---", "R---", "R---", "RWCU"),
    "sale.order.stock.point.candidate": (
        "----",
        "----",
        "R---",
        "R---",
        "----",
        "----",
        "R---",
    ),
    "stock.warehouse.service.area": (
        "----",
        "----",
        "R---",
        "R---",
        "R---",
        "R---",
        "--C-",
    ),
    "warranty.brand.billing": ("----", "----", "----", "----", "----", "----", "RWCU"),
    "warranty.claim": ("----", "----", "----", "----", "----", "RWC-", "--C-"),
    "warranty.claim.decision": ("----", "----", "----", "----", "----", "----", "RWCU"),
    "warranty.claim.decision.line": (
        "----",
        "----",
        "----",
        "----",
        "----",
        "----",
        "RWCU",
    ),
    # lines are made and deleted by the claim's verdict only
    "warranty.claim.verdict.line": (
        "----",
        "----",
        "----",
        "----",
        "----",
        "RW--",
        "RW--",
    ),
    "warranty.code": ("----", "----", "----", "----", "----", "R---", "--C-"),
    "warranty.code.batch": ("----", "----", "----", "----", "----", "R---", "--C-"),
    "warranty.code.scan": ("----", "----", "----", "----", "----", "R---", "----"),
    "warranty.exclusion": ("----", "----", "R---", "R---", "R---", "R---", "RWCU"),
    "warranty.fault": ("----", "----", "R---", "R---", "R---", "R---", "RWCU"),
    "warranty.policy": ("----", "----", "R---", "R---", "R---", "R---", "--C-"),
    "warranty.policy.line": ("----", "----", "R---", "R---", "R---", "R---", "RWCU"),
    "warranty.policy.version": ("----", "----", "R---", "R---", "R---", "R---", "--C-"),
    "warranty.registration": ("----", "----", "----", "----", "----", "RWC-", "--C-"),
    "settlement.aging.report": ("----", "----", "----", "----", "R---", "----", "R---"),
    "settlement.bonus": ("----", "----", "----", "----", "RWCU", "----", "--C-"),
    "settlement.chargeback.wizard": (
        "----",
        "----",
        "----",
        "----",
        "RWCU",
        "----",
        "RWCU",
    ),
    "settlement.job.line": ("o---", "----", "----", "----", "RWC-", "----", "--C-"),
    "settlement.job.penalty": ("R---", "----", "----", "----", "RWCU", "----", "RWCU"),
    "settlement.rate.card": ("----", "----", "----", "----", "RWCU", "----", "--C-"),
    "settlement.rate.card.line": (
        "----",
        "----",
        "----",
        "----",
        "RWCU",
        "----",
        "--C-",
    ),
    "settlement.run": ("----", "----", "----", "----", "RWCU", "----", "--C-"),
    "settlement.run.preview": ("----", "----", "----", "----", "RWCU", "----", "--C-"),
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(TransactionCase):
    def test_access_matrix(self):
        personas, matrix, sampled = access_matrix.compute(self.env)
        self.assertEqual(personas, [p for p, _groups in access_matrix.PERSONAS])
        wrong = []
        for model, cells in matrix.items():
            expected = EXPECTED[model]
            for persona, want in zip(personas, expected, strict=True):
                if cells[persona] != want:
                    wrong.append(f"{model} / {persona}: {cells[persona]}, want {want}")
        self.assertFalse(wrong, "\n".join(["access matrix differs:", *wrong]))
        # the record rules are checked on records, not only on the models
        self.assertLessEqual(
            {"fsm.order", "settlement.job.line", "settlement.bonus"}, sampled
        )

    def test_public_user_reaches_no_model(self):
        public = self.env.ref("base.public_user")
        access = self.env["ir.model.access"].with_user(public)
        for model in access_matrix.installed_models(self.env):
            for operation in access_matrix.OPERATIONS:
                self.assertFalse(
                    access.check(model, operation, raise_exception=False),
                    f"public user may {operation} {model}",
                )

    def test_every_suite_model_is_in_the_matrix(self):
        """A new model of the suite must get its row (and its access rights)."""
        addons = list(access_matrix.MODELS)
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.model"), ("module", "in", addons)]
        )
        new = {
            model.model
            for model in self.env["ir.model"].browse(data.mapped("res_id"))
            if all(module in addons for module in model.modules.split(", "))
            and not self.env[model.model]._abstract
        }
        missing = sorted(new - set(EXPECTED) - {"res.config.settings"})
        self.assertFalse(missing, f"models without an access row: {missing}")
