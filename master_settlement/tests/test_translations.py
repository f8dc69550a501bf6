# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every term the suite's addons would export for translation (what
``odoo i18n export`` writes into the ``.pot``) has a Simplified Chinese
translation in the addon's ``i18n/zh_CN.po``.

Demo records count too when the database has them: the ``.pot`` is exported
from a database with the demo data, so that a demo database switched to
Chinese shows its products, teams, faults and policies in Chinese.
"""

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

ADDONS = ("fieldservice_install", "warranty_claims", "master_settlement")
LANG = "zh_CN"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def _exported_terms(self, addon):
        """``{source: [where]}`` of the terms exported for ``addon``."""
        terms = {}
        reader = TranslationModuleReader(self.env.cr, modules=[addon])
        for module, kind, name, res_id, source, _value, _comments in reader:
            if module != addon or not source.strip():
                continue
            terms.setdefault(source, []).append(f"{kind}:{name}:{res_id}")
        return terms

    def _translated(self, addon):
        po = polib.pofile(file_path(f"{addon}/i18n/{LANG}.po"))
        return {
            entry.msgid
            for entry in po
            if not entry.obsolete
            and "fuzzy" not in entry.flags
            and entry.msgstr.strip()
        }

    def test_every_term_has_a_chinese_translation(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", ADDONS), ("state", "=", "installed")]
        )
        self.assertTrue(installed)
        report = []
        for addon in installed.mapped("name"):
            terms = self._exported_terms(addon)
            self.assertTrue(terms, f"{addon} exports no term")
            missing = sorted(set(terms) - self._translated(addon))
            report += [
                f"{addon}: {source!r} ({terms[source][0]})" for source in missing
            ]
        self.assertFalse(
            report,
            f"{len(report)} terms without a {LANG} translation (export the .pot, "
            f"msgmerge it into i18n/{LANG}.po and translate them):\n"
            + "\n".join(report),
        )
