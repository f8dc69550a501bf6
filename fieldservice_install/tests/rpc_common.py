# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Calls of the models through a real HTTP JSON-RPC session, as a client does
(``/web/dataset/call_kw``), for HttpCase classes."""

import json
from urllib.parse import urljoin


class RpcMixin:
    """``self.authenticate(login, password)`` first, then ``self._rpc(...)``."""

    def _rpc_raw(self, model, method, args=(), kwargs=None):
        """The decoded JSON-RPC answer (``result`` or ``error``) and its text."""
        response = self.opener.post(
            urljoin(self.base_url(), f"/web/dataset/call_kw/{model}/{method}"),
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": list(args),
                    "kwargs": kwargs or {},
                },
            },
            timeout=30,
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.json(), response.text

    def _rpc(self, model, method, *args, **kwargs):
        """The result of the call; fails the test when it answers an error."""
        answer, _text = self._rpc_raw(model, method, args, kwargs)
        self.assertNotIn("error", answer, json.dumps(answer.get("error"))[:1000])
        return answer["result"]

    def _rpc_error(self, model, method, *args, **kwargs):
        """The error (``odoo.exceptions.<name>``, message) the call answers;
        fails the test when it succeeds."""
        answer, _text = self._rpc_raw(model, method, args, kwargs)
        self.assertIn(
            "error", answer, f"{model}.{method}{args} was not refused: {answer}"
        )
        data = answer["error"]["data"]
        return data["name"], data["message"]

    def _rpc_texts(self, model, method, *args, **kwargs):
        """The raw text of the answer, whether a result or an error."""
        return self._rpc_raw(model, method, args, kwargs)[1]

    def _rpc_read_everything(self, model, ids):
        """The text of every field of ``ids`` the session may read, field by
        field when reading them all at once is refused (one relational field
        of another app the user has no access to)."""
        names = list(self._rpc(model, "fields_get", attributes=["type"]))
        answer, text = self._rpc_raw(model, "read", [ids, names])
        if "error" not in answer:
            return text
        texts = []
        for name in names:
            texts.append(self._rpc_raw(model, "read", [ids, [name]])[1])
        return "\n".join(texts)
