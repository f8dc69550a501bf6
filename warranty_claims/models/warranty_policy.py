# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..engine import verdict


class WarrantyPolicy(models.Model):
    """A warranty policy: its versions (effective-dated) and what it covers.

    Assigned to products or product categories; a product's own policy wins
    over its category's, a category without policy inherits its parent's.
    """

    _name = "warranty.policy"
    _description = "Warranty Policy"
    _inherit = ("mail.thread",)
    _order = "name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    version_ids = fields.One2many(
        "warranty.policy.version", "policy_id", string="Versions", copy=True
    )
    current_version_id = fields.Many2one(
        "warranty.policy.version",
        compute="_compute_current_version_id",
        string="Version in Force",
    )
    product_tmpl_ids = fields.One2many(
        "product.template", "warranty_policy_id", string="Products"
    )
    categ_ids = fields.One2many(
        "product.category", "warranty_policy_id", string="Product Categories"
    )
    sanbao = fields.Boolean(
        compute="_compute_current_version_id", string="三包 Rules in Force"
    )
    note = fields.Html()

    def _compute_current_version_id(self):
        today = fields.Date.context_today(self)
        for policy in self:
            version = policy._version_for(today)
            policy.current_version_id = version
            policy.sanbao = version.sanbao

    def _version_for(self, day):
        """The version in force on ``day`` (empty when none is)."""
        self.ensure_one()
        found = verdict.select_version(self.version_ids._engine_versions(), day)
        return self.env["warranty.policy.version"].browse(
            found.version_id if found else []
        )

    @api.model
    def _for_products(self, products):
        """``{product id: policy}``: the product's policy, else the nearest
        category's up the category tree."""
        result = {}
        categ_ids = set()
        for product in products:
            categ_ids.update(
                int(c) for c in (product.categ_id.parent_path or "").split("/") if c
            )
        policy_by_categ = {
            categ.id: categ.warranty_policy_id
            for categ in self.env["product.category"].browse(categ_ids)
        }
        for product in products:
            policy = product.product_tmpl_id.warranty_policy_id
            if not policy:
                chain = [
                    int(c) for c in (product.categ_id.parent_path or "").split("/") if c
                ]
                for categ_id in reversed(chain):
                    if policy_by_categ.get(categ_id):
                        policy = policy_by_categ[categ_id]
                        break
            result[product.id] = policy or self.browse()
        return result
