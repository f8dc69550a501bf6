# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install the three addons into the ``odoo.addons`` namespace.

``pip install .`` (or ``pip install -e .``) makes
``odoo.addons.fieldservice_install``, ``odoo.addons.warranty_claims`` and
``odoo.addons.master_settlement`` importable next to an installed Odoo 19.0.
Odoo itself is not on PyPI: install Odoo 19.0 first (it is the ``odoo``
requirement below), the OCA 19.0 addon wheels come from PyPI.
"""

from pathlib import Path

from setuptools import setup

HERE = Path(__file__).parent
ADDONS = ("fieldservice_install", "warranty_claims", "master_settlement")
DATA_PATTERNS = [
    "*.xml",
    "*.csv",
    "*.rst",
    "*.md",
    "**/*.xml",
    "**/*.csv",
    "**/*.po",
    "**/*.pot",
    "**/*.md",
    "**/*.rst",
    "static/**/*",
]


def addon_packages(addon):
    """Python packages of an addon, mapped into the odoo.addons namespace."""
    root = HERE / addon
    for init in sorted(root.rglob("__init__.py")):
        rel = init.parent.relative_to(HERE)
        yield "odoo.addons." + ".".join(rel.parts)


def requirements(name):
    lines = (HERE / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and line[0] != "#"]


setup(
    name="odoo-addons-install-suite",
    version="19.0.1.0.0",
    description="Installation and after-sales service on Odoo 19 field service",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=[pkg for addon in ADDONS for pkg in addon_packages(addon)],
    package_dir={f"odoo.addons.{addon}": addon for addon in ADDONS},
    package_data={f"odoo.addons.{addon}": DATA_PATTERNS for addon in ADDONS},
    include_package_data=True,
    install_requires=["odoo>=19.0,<19.1", *requirements("requirements.txt")],
    extras_require={"test": requirements("requirements-test.txt")},
    classifiers=[
        "Framework :: Odoo",
        "Framework :: Odoo :: 19.0",
        "License :: OSI Approved :: GNU Affero General Public License v3",
        "Programming Language :: Python :: 3",
    ],
    zip_safe=False,
)
