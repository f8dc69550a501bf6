# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access matrix of the suite: model x persona x operation.

Used by ``test_access_matrix`` (which compares it with the expected matrix)
and by the repository's ``tests/access_matrix.py`` script (which prints it as
Markdown for docs/security.md). Everything here writes in the caller's transaction:
the caller rolls it back.

A cell reads ``RWCU``: each letter is an operation the persona may do (read,
write, create, unlink), ``-`` one it may not, and a lower-case ``o`` one it may
do on its own records only (a technician's job payables). Read, write and
unlink are checked on sample records of the main company (ACL and record
rules); create on the model (ACL). Models without sample records are checked
on the model (ACL) only.
"""

from datetime import date, timedelta

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.fieldservice_install.tools.server_owned import server_owned_writes

OPERATIONS = ("read", "write", "create", "unlink")

# the models the suite adds, then the field-service order it extends
MODELS = {
    "fieldservice_install": [
        "fsm.dispatch.batch",
        "fsm.dispatch.batch.line",
        "fsm.dispatch.candidate",
        "fsm.day.sheet.wizard",
        "fsm.dispatch.offer",
        "fsm.install.line",
        "fsm.install.stock.report",
        "fsm.milestone.log.wizard",
        "fsm.milestone.template",
        "fsm.order",
        "fsm.order.milestone.log",
        "fsm.order.rating",
        "fsm.person.certification",
        "fsm.sla.policy",
        "product.install.skill",
        "sale.order.stock.point.candidate",
        "stock.warehouse.service.area",
    ],
    "warranty_claims": [
        "warranty.brand.billing",
        "warranty.claim",
        "warranty.claim.decision",
        "warranty.claim.decision.line",
        "warranty.claim.verdict.line",
        "warranty.code",
        "warranty.code.batch",
        "warranty.code.scan",
        "warranty.exclusion",
        "warranty.fault",
        "warranty.policy",
        "warranty.policy.line",
        "warranty.policy.version",
        "warranty.registration",
    ],
    "master_settlement": [
        "settlement.aging.report",
        "settlement.bonus",
        "settlement.chargeback.wizard",
        "settlement.job.line",
        "settlement.job.penalty",
        "settlement.rate.card",
        "settlement.rate.card.line",
        "settlement.run",
        "settlement.run.preview",
    ],
}

# (column title, group xml ids); "public" is Odoo's public user
PERSONAS = [
    ("Portal technician", ("base.group_portal",)),
    ("Customer by token (public user)", ("public",)),
    ("Dispatcher", ("fieldservice_install.group_install_dispatcher",)),
    ("Warehouse user", ("stock.group_stock_user",)),
    ("Accountant", ("master_settlement.group_settlement_manager",)),
    ("Warranty officer", ("warranty_claims.group_warranty_user",)),
    (
        "Another company",
        (
            "fieldservice_install.group_install_manager",
            "master_settlement.group_settlement_manager",
            "warranty_claims.group_warranty_manager",
            "stock.group_stock_manager",
        ),
    ),
]


def installed_models(env):
    return [
        model
        for addon, models in MODELS.items()
        if env["ir.module.module"]._get(addon).state == "installed"
        for model in models
    ]


def make_users(env):
    """``{persona: user}``, the technician linked to the portal user, and the
    other company (created)."""
    vals = {"name": "Access Matrix Other Co"}
    if "iap_enrich_auto_done" in env["res.company"]._fields:
        vals["iap_enrich_auto_done"] = True  # no call to the enrichment service
    other = env["res.company"].create(vals)
    installed = {
        m.name for m in env["ir.module.module"].search([("state", "=", "installed")])
    }
    users = {}
    for index, (persona, groups) in enumerate(PERSONAS):
        if groups == ("public",):
            users[persona] = env.ref("base.public_user")
            continue
        groups = ",".join(g for g in groups if g.split(".")[0] in installed)
        if not groups:
            continue
        company = other if persona == "Another company" else env.company
        users[persona] = new_test_user(
            env,
            login=f"access_matrix_{index}",
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
    technician = env["fsm.person"].create({"name": "Matrix Technician"})
    technician.partner_id = users["Portal technician"].partner_id
    return users, technician, other


def make_samples(env, technician):
    """Sample records of the main company: ``{model: (others, own)}`` where
    ``own`` are records of the portal technician."""
    company = env.company
    today = date.today()
    owner = env["res.partner"].create({"name": "Matrix Customer"})
    location = env["fsm.location"].create(
        {"name": "Matrix Site", "owner_id": owner.id, "company_id": company.id}
    )
    stranger = env["fsm.person"].create({"name": "Matrix Stranger"})
    # the technician's job, a stranger's, and one offered to both (portal
    # technicians read the orders offered to them: not a sample of "others")
    orders = env["fsm.order"].create(
        [
            {"location_id": location.id, "person_id": technician.id},
            {"location_id": location.id, "person_id": stranger.id},
            {"location_id": location.id},
        ]
    )
    samples = {"fsm.order": (orders[1], orders[0])}
    # offers and ratings are made by the server's actions only
    with server_owned_writes():
        offers = env["fsm.dispatch.offer"].create(
            [
                {
                    "order_id": orders[2].id,
                    "person_id": person.id,
                    "deadline": today + timedelta(days=1),
                }
                for person in (stranger, technician)
            ]
        )
        rating = env["fsm.order.rating"].create({"order_id": orders[1].id})
    samples["fsm.dispatch.offer"] = (offers[0], offers[1])
    samples["fsm.order.rating"] = (rating, None)
    samples["fsm.sla.policy"] = (
        env["fsm.sla.policy"].create(
            {
                "name": "Matrix SLA",
                "company_id": company.id,
                "order_type_id": env["fsm.order.type"].create({"name": "Matrix"}).id,
            }
        ),
        None,
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    samples["stock.warehouse.service.area"] = (
        env["stock.warehouse.service.area"].create(
            {"warehouse_id": warehouse.id, "zip_prefix": "979"}
        ),
        None,
    )
    lines = env["settlement.job.line"].create(
        [
            {
                "name": f"MATRIX-{person.id}",
                "person_id": person.id,
                "partner_id": person.partner_id.id,
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "gross_amount": 10.0,
                "amount": 10.0,
                "breakdown": {"base": 10.0},
                "ledger_state": "releasable",
                "releasable_date": today,
            }
            for person in (stranger, technician)
        ]
    )
    samples["settlement.job.line"] = (lines[0], lines[1])
    card = env["settlement.rate.card"].create(
        {
            "name": "Matrix card",
            "company_id": company.id,
            "active": False,
            "date_from": today,
            "line_ids": [Command.create({"base_fee": 1.0})],
            "bonus_ids": [
                Command.create(
                    {
                        "name": "Matrix bonus",
                        "date_from": today,
                        "date_to": today,
                        "amount": 1.0,
                    }
                )
            ],
        }
    )
    samples["settlement.rate.card"] = (card, None)
    samples["settlement.rate.card.line"] = (card.line_ids, None)
    samples["settlement.bonus"] = (card.bonus_ids, None)
    run = env["settlement.run"].create({"date_from": today, "date_to": today})
    run.action_preview()
    samples["settlement.run"] = (run, None)
    samples["settlement.run.preview"] = (run.preview_ids, None)
    if "warranty.claim" in env:
        _warranty_samples(env, samples, today)
    return samples


def _warranty_samples(env, samples, today):
    company = env.company
    product = env["product.product"].create(
        {"name": "Matrix Heater", "is_storable": True, "tracking": "serial"}
    )
    policy = env["warranty.policy"].create(
        {
            "name": "Matrix policy",
            "company_id": company.id,
            "version_ids": [
                Command.create(
                    {
                        "name": "1",
                        "line_ids": [
                            Command.create({"cost_class": "unit", "months": 12})
                        ],
                    }
                )
            ],
        }
    )
    product.warranty_policy_id = policy
    lot = env["stock.lot"].create({"name": "MATRIX-SN1", "product_id": product.id})
    # an installed unit (the installation date is owned by the server)
    with server_owned_writes():
        registration = env["warranty.registration"].create(
            {"lot_id": lot.id, "install_date": today}
        )
    fault = env["warranty.fault"].create({"name": "Matrix", "code": "matrix"})
    claim = env["warranty.claim"].create(
        {
            "lot_id": lot.id,
            "code_id": registration.code_id.id,
            "company_id": company.id,
            "fault_id": fault.id,
            "reporter_name": "Matrix",
            "reporter_phone": "1",
            "report_date": today,
        }
    )
    samples["warranty.policy"] = (policy, None)
    samples["warranty.policy.version"] = (policy.version_ids, None)
    samples["warranty.registration"] = (registration, None)
    samples["warranty.code"] = (registration.code_id, None)
    samples["warranty.claim"] = (claim, None)
    samples["warranty.code.batch"] = (
        env["warranty.code.batch"].create(
            {"product_id": product.id, "quantity": 1, "lot_prefix": "MATRIX-"}
        ),
        None,
    )
    env["warranty.code.scan"]._log(
        registration.code_id.code, "valid", code=registration.code_id
    )
    samples["warranty.code.scan"] = (
        env["warranty.code.scan"].search([], order="id desc", limit=1),
        None,
    )


def _allowed(records, user, operation):
    """Whether ``user`` may do ``operation`` on ``records`` (access rights and
    record rules), or on the model when ``records`` is empty (access rights)."""
    records = records.with_user(user).with_context(
        allowed_company_ids=user.company_ids.ids
    )
    if not records:
        return records.env["ir.model.access"].check(
            records._name, operation, raise_exception=False
        )
    return all(record.has_access(operation) for record in records)


def cell(env, model, user, samples):
    others, own = samples.get(model, (None, None))
    letters = ""
    for operation in OPERATIONS:
        letter = operation[0].upper()
        if operation == "create" or others is None:
            allowed = _allowed(env[model], user, operation)
        elif _allowed(others, user, operation):
            allowed = own is None or _allowed(own, user, operation)
        elif own is not None and _allowed(own, user, operation):
            letter, allowed = "o", True
        else:
            allowed = False
        letters += letter if allowed else "-"
    return letters


def compute(env):
    """``(personas, {model: {persona: cell}})`` of this database (writes
    sample records: roll back afterwards)."""
    env = env(context=dict(env.context, tracking_disable=True))
    users, technician, _other = make_users(env)
    with server_owned_writes():  # samples as the addons' own code makes them
        samples = make_samples(env, technician)
    personas = [p for p, _groups in PERSONAS if p in users]
    matrix = {
        model: {p: cell(env, model, users[p], samples) for p in personas}
        for model in installed_models(env)
    }
    return personas, matrix, set(samples)


def markdown(personas, matrix, sampled):
    head = "| Model | " + " | ".join(personas) + " |"
    rule = "|---|" + "---|" * len(personas)
    rows = [
        f"| `{model}`{'' if model in sampled else ' ¹'} | "
        + " | ".join(f"`{cells[p]}`" for p in personas)
        + " |"
        for model, cells in matrix.items()
    ]
    legend = (
        "\n`R` read, `W` write, `C` create, `U` unlink, `-` refused, `o` own "
        "records only. Read, write and unlink are checked on records of the main "
        "company (access rights and record rules); create on the model. ¹ checked "
        "on the model only (access rights). The customer reaches the token pages "
        "(verification, claim, rating) as the public user, through the pages "
        "only: the public user has no access to any model."
    )
    return "\n".join([head, rule, *rows]) + "\n" + legend
