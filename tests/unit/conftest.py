# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Load the addons' plain-Python engines without importing Odoo."""

import importlib
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_engine(addon, module, folder="engine"):
    """Import ``<addon>/<folder>/<module>.py`` without the addon nor Odoo:
    the engines, and the plain helpers of ``tools/``. The folder is a package
    of its own (``_<folder>.<addon>``, its ``__init__`` not run), so that an
    engine may import its sibling modules relatively."""
    package = f"_{folder}.{addon}"
    for name, path in ((f"_{folder}", None), (package, ROOT / addon / folder)):
        if name not in sys.modules:
            namespace = types.ModuleType(name)
            namespace.__path__ = [str(path)] if path else []
            sys.modules[name] = namespace
    return importlib.import_module(f"{package}.{module}")


@pytest.fixture(scope="session")
def install_sync():
    return load_engine("fieldservice_install", "install_sync")


@pytest.fixture(scope="session")
def sla():
    return load_engine("fieldservice_install", "sla")
