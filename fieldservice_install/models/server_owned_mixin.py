# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError

from ..tools.server_owned import server_owned_trusted, server_owned_writes


class InstallServerOwnedMixin(models.AbstractModel):
    """Fields that only the model's own actions and crons change.

    A model lists this mixin in its ``_inherit`` (before the model it extends)
    and marks its fields::

        amount = fields.Monetary(server_owned=True)
        partner_id = fields.Many2one(
            "res.partner", server_owned=_lt("Change the technician's partner"))

    ``server_owned`` is ``True`` or the action to use instead, shown in the
    error. With ``_server_owned_computed`` (the default), the model's stored
    computed and related fields that have no inverse and are read-only are
    server-owned as well.

    A ``create``, ``write`` or context default (``default_<field>``) that
    names such a field is refused with a :class:`UserError` naming the field
    and the action to use, for every user (administrators and superuser
    included), unless it runs inside
    :func:`~odoo.addons.fieldservice_install.tools.server_owned_writes`, which
    only Python code can enter, or while modules are being loaded (their data
    and demo files). Nothing is written when a call is refused.
    """

    _name = "install.server.owned.mixin"
    _description = "Fields Owned by the Server"

    # also protect the stored computed/related fields (read-only, no inverse)
    _server_owned_computed = True
    # server-owned fields a caller may give when creating a record (the model
    # checks them in _server_owned_prepare_create): never changed afterwards
    _server_owned_create_inputs = frozenset()

    def _valid_field_parameter(self, field, name):
        return name == "server_owned" or super()._valid_field_parameter(field, name)

    @api.model
    def _server_owned_fields(self):
        """``{name: action hint or None}`` of the server-owned fields."""
        cls = type(self)
        owned = cls.__dict__.get("_server_owned_cache")
        if owned is None:
            owned = {}
            for name, field in self._fields.items():
                mark = getattr(field, "server_owned", False)
                if mark:
                    owned[name] = None if mark is True else mark
                elif (
                    self._server_owned_computed
                    and field.store
                    and field.readonly
                    and (field.related or (field.compute and not field.inverse))
                ):
                    owned[name] = None
            cls._server_owned_cache = owned
        return owned

    @api.model
    def _server_owned_check(self, names, default_keys=()):
        """Refuse (``UserError``) when ``names`` or the context defaults
        ``default_keys`` hold a server-owned field outside the server's own
        code."""
        if server_owned_trusted() or not self.env.registry.ready:
            return
        owned = self._server_owned_fields()
        bad = [name for name in names if name in owned]
        bad += [
            key[len("default_") :]
            for key in default_keys
            if key.startswith("default_") and key[len("default_") :] in owned
        ]
        if not bad:
            return
        lines = []
        for name in dict.fromkeys(bad):
            label = self._fields[name]._description_string(self.env)
            hint = owned[name]
            if hint:
                lines.append(
                    self.env._("%(field)s: %(hint)s", field=label, hint=str(hint))
                )
            else:
                lines.append(
                    self.env._(
                        "%(field)s: it is computed or recorded by the system from "
                        "the record's actions",
                        field=label,
                    )
                )
        raise UserError(
            self.env._(
                "%(model)s: these fields are owned by the server and change only "
                "through the record's own actions. Nothing was saved.\n%(fields)s",
                model=self._description,
                fields="\n".join(lines),
            )
        )

    @api.model
    def _server_owned_prepare_create(self, vals_list):
        """Hook: complete the values of new records with what the server owns
        (a number from a sequence, the dates it finds...) and check the
        ``_server_owned_create_inputs``. Runs once the caller's values passed
        the check, allowed to set server-owned fields; returns the list.

        Only the values of these records: the records created from them
        (x2many commands) are checked by their own model."""
        return vals_list

    def _server_owned_check_write(self, vals):
        """Hook: the rules that depend on the records (a field frozen once a
        state is reached...), checked on every write outside the server's own
        code, after the fields were. Raise a ``UserError`` saying what to do."""

    @api.model_create_multi
    def create(self, vals_list):
        self._server_owned_check(
            {name for vals in vals_list for name in vals}
            - self._server_owned_create_inputs,
            self.env.context,
        )
        with server_owned_writes():
            vals_list = self._server_owned_prepare_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if not server_owned_trusted() and self.env.registry.ready:
            self._server_owned_check(vals)
            self._server_owned_check_write(vals)
        return super().write(vals)

    @api.model
    def default_get(self, fields):
        self._server_owned_check((), self.env.context)
        return super().default_get(fields)
