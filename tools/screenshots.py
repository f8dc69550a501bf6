#!/usr/bin/env python3
# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Take the back-office screenshots of the README and docs/features.md again.

In: a running Odoo serving a demo database (``bash tools/demo.sh``; login
admin / admin), Debian's ``chromium``. Out: ``docs/screenshots/`` files
``dispatcher_order.png`` (an unassigned installation order, its *Dispatch*
tab ranked), ``dispatcher_batch_dispatch.png`` (*Batch Dispatch* over the
orders to dispatch, planned, not applied), ``warehouse_stock.png`` (*Stock
for Installations* by warehouse) and ``accountant_settlement_run.png`` (the
demo's settlement run), at 1280 px wide, as a user clicks them in headless
Chromium (its DevTools protocol, as Odoo's browser tests drive it).

Ranking and planning write dispatch candidates and a plan (nothing is
assigned): use a demo database only.

    python3 tools/screenshots.py [--url http://127.0.0.1:8069]
        [--database install_suite_demo] [--only NAME ...]
"""

import argparse
import base64
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"


class Rpc:
    """JSON-RPC as the administrator, to prepare the data."""

    def __init__(self, url, database):
        self.url, self.session = url, requests.Session()
        self.post(
            "/web/session/authenticate",
            db=database,
            login="admin",
            password="admin",
        )

    def post(self, path, **params):
        answer = self.session.post(self.url + path, json={"params": params}).json()
        if answer.get("error"):
            raise SystemExit(f"{path}: {answer['error']['data']['message']}")
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.post(
            "/web/dataset/call_kw", model=model, method=method, args=args, kwargs=kwargs
        )


def prepare(rpc):
    """The demo's installation orders to dispatch."""
    orders = rpc.call(
        "fsm.order",
        "search",
        [("is_installation", "=", True), ("person_id", "=", False)],
        order="id",
    )
    return orders


class Browser:
    """Headless Chromium driven through its DevTools protocol."""

    def __init__(self, width=1280, height=800):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if not chromium:
            raise SystemExit("chromium not found (Debian: apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="screenshots-")
        port = 9222 + random.randrange(500)
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--lang=en-US",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self.socket = websocket.create_connection(
                self._page(port), timeout=60, suppress_origin=True
            )
            self.ids = 0
            self.call("Page.enable")
            self.resize(width, height)
        except Exception:
            self.close()
            raise

    def _page(self, port):
        for _ in range(100):
            try:
                tabs = requests.get(f"http://127.0.0.1:{port}/json", timeout=1).json()
                return next(t for t in tabs if t["type"] == "page")[
                    "webSocketDebuggerUrl"
                ]
            except (requests.RequestException, StopIteration, ValueError):
                time.sleep(0.2)
        raise SystemExit("chromium did not start")

    def close(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def call(self, method, **params):
        self.ids += 1
        self.socket.send(
            json.dumps({"id": self.ids, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")

    def resize(self, width, height):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def js(self, expression):
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if result.get("exceptionDetails"):
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def goto(self, url, selector):
        self.call("Page.navigate", url=url)
        time.sleep(1)
        self.wait(selector)

    def wait(self, selector, timeout=90):
        end = time.time() + timeout
        while time.time() < end:
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.3)
        raise SystemExit(f"timed out waiting for {selector}")

    def click(self, selector, text=None):
        """Click the first element matching ``selector`` (and showing ``text``)."""
        self.wait(selector)
        found = self.js(
            f"""(() => {{
                const all = [...document.querySelectorAll({json.dumps(selector)})];
                const el = all.find(e => {json.dumps(text)} === null
                    || e.innerText.trim() === {json.dumps(text)});
                if (el) {{ el.click(); }}
                return !!el;
            }})()"""
        )
        if not found:
            raise SystemExit(f"nothing to click: {selector} {text or ''}")
        time.sleep(1.5)

    def login(self, url):
        self.goto(f"{url}/web/login", "input[name=login]")
        self.js(
            """document.querySelector('input[name=login]').value = 'admin';
            document.querySelector('input[name=password]').value = 'admin';
            document.querySelector('form').submit(); true"""
        )
        time.sleep(3)

    def shot(self, name, height):
        """Save the viewport's top ``height`` pixels as docs/screenshots/name."""
        time.sleep(1.5)
        data = base64.b64decode(
            self.call("Page.captureScreenshot", format="png")["data"]
        )
        with tempfile.NamedTemporaryFile(suffix=".png") as raw:
            raw.write(data)
            raw.flush()
            image = Image.open(raw.name).convert("RGB")
            image = image.crop((0, 0, image.width, min(height, image.height)))
            image = image.quantize(
                256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
            image.save(OUT / name, optimize=True)
        print(f"written: {(OUT / name).relative_to(REPO)}")


def dispatcher_order(browser, url, orders):
    browser.resize(1280, 1180)
    browser.goto(
        f"{url}/odoo/action-fieldservice_install.fsm_order_install_action/{orders[0]}",
        ".o_form_view .o_notebook",
    )
    browser.click(".o_notebook .nav-link", "Dispatch")
    browser.click(".tab-pane.active button[name=action_compute_dispatch]")
    browser.click(".o_notebook .nav-link", "Dispatch")
    browser.shot("dispatcher_order.png", 1110)


def dispatcher_batch_dispatch(browser, url, orders):
    browser.resize(1280, 800)
    browser.goto(
        f"{url}/odoo/action-fieldservice_install.fsm_order_install_dispatch_action",
        ".o_list_view .o_data_row",
    )
    browser.click("thead .o_list_record_selector input")
    browser.click(".o_control_panel button.dropdown-toggle", "Actions")
    browser.click(".o-dropdown--menu .dropdown-item", "Batch Dispatch")
    browser.click(".modal button[name=action_plan]")
    browser.wait(".modal button[name=action_apply]")
    browser.shot("dispatcher_batch_dispatch.png", 720)


def warehouse_stock(browser, url, orders):
    browser.resize(1280, 800)
    browser.goto(
        f"{url}/odoo/action-fieldservice_install.fsm_install_stock_report_action",
        ".o_group_header",
    )
    groups = browser.js("document.querySelectorAll('.o_group_header').length")
    for index in range(groups):
        browser.js(f"document.querySelectorAll('.o_group_header')[{index}].click(); 1")
        time.sleep(1.5)
    browser.shot("warehouse_stock.png", 600)


def accountant_settlement_run(browser, url, orders):
    browser.resize(1280, 800)
    browser.goto(
        f"{url}/odoo/action-master_settlement.settlement_run_action",
        ".o_data_row, .o_kanban_record",
    )
    browser.click(".o_data_row td.o_data_cell, .o_kanban_record")
    browser.wait(".o_form_view")
    browser.shot("accountant_settlement_run.png", 800)


SHOTS = {
    f.__name__: f
    for f in (
        dispatcher_order,
        dispatcher_batch_dispatch,
        warehouse_stock,
        accountant_settlement_run,
    )
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--database", default="install_suite_demo")
    parser.add_argument("--only", nargs="+", choices=list(SHOTS), default=list(SHOTS))
    args = parser.parse_args()
    url = args.url.rstrip("/")
    orders = prepare(Rpc(url, args.database))
    if not orders:
        raise SystemExit("no unassigned installation order in the database")
    browser = Browser()
    try:
        browser.login(url)
        for name in args.only:
            SHOTS[name](browser, url, orders)
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
