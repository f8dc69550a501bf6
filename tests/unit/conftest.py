# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load the addons' plain-Python engines without importing Odoo."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_engine(addon, module, folder="engine"):
    """Import ``<addon>/<folder>/<module>.py`` on its own (no addon, no Odoo):
    the engines, and the plain helpers of ``tools/``."""
    name = f"_{folder}.{addon}.{module}"
    if name in sys.modules:
        return sys.modules[name]
    path = ROOT / addon / folder / f"{module}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def install_sync():
    return load_engine("fieldservice_install", "install_sync")


@pytest.fixture(scope="session")
def sla():
    return load_engine("fieldservice_install", "sla")
