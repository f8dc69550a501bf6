# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addons' README generator (tools/gen_addon_readme.py), without Odoo."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location(
        "gen_addon_readme", REPO / "tools" / "gen_addon_readme.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_inline_markup(gen):
    rst = gen.md_to_rst(
        "Run `queue_job`s with **care**, see [the docs](https://example.org) and "
        "*Field Service > Settings*; a_name_ stays text, so do | and `a|b`."
    )
    assert rst == (
        "Run ``queue_job``\\ s with **care**, see `the docs <https://example.org>`__ "
        "and *Field Service > Settings*; a_name\\_ stays text, so do \\| and "
        "``a|b``.\n"
    )


def test_nested_lists_and_images(gen):
    rst = gen.md_to_rst(
        "1. First step:\n"
        "   - a detail\n"
        "     on two lines;\n"
        "   - another.\n"
        "2. Second step.\n"
        "\n"
        "![Shot](../docs/shot.png)\n"
    )
    assert rst == (
        "1. First step:\n"
        "\n"
        "   - a detail\n"
        "     on two lines;\n"
        "   - another.\n"
        "\n"
        "2. Second step.\n"
        "\n"
        ".. image:: ../docs/shot.png\n"
        "   :alt: Shot\n"
    )


def test_table_and_heading(gen):
    rst = gen.md_to_rst("## Rates\n\n| a | b |\n|---|---|\n| 1 | `x` |\n")
    assert rst == (
        "Rates\n~~~~~\n\n"
        ".. list-table::\n   :header-rows: 1\n\n"
        "   * - a\n     - b\n   * - 1\n     - ``x``\n"
    )


def test_addon_readme_and_check(gen, tmp_path, capsys):
    """An addon's README.rst and index.html are written from its fragments, in
    the OCA layout, and --check fails once a fragment changes."""
    addon = tmp_path / "my_addon"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        '{"name": "My Addon", "summary": "Does things", "version": "19.0.1.0.0",'
        ' "license": "AGPL-3", "author": "A, B", "development_status": "Beta",'
        ' "website": "https://github.com/org/repo", "maintainers": ["someone"]}'
    )
    (addon / "readme" / "DESCRIPTION.md").write_text("What it does.\n")
    (addon / "readme" / "USAGE.md").write_text("- Click *Go*.\n")
    assert gen.main(["--check", str(addon)]) == 1
    assert gen.main([str(addon)]) == 0
    readme = (addon / "README.rst").read_text()
    titles = [
        line
        for line, under in zip(readme.split("\n"), readme.split("\n")[1:], strict=False)
        if under and set(under) in ({"="}, {"-"}) and len(under) == len(line)
    ]
    assert titles == [
        "My Addon",
        "Usage",
        "Bug Tracker",
        "Credits",
        "Authors",
        "Maintainers",
    ]
    assert "maturity-Beta-yellow" in readme and "license-AGPL--3-blue" in readme
    assert "*Does things*\n\nWhat it does." in readme
    assert ".. contents::" in readme and "* A\n* B" in readme
    html = (addon / "static" / "description" / "index.html").read_text()
    assert "<h1>Usage</h1>" in html or 'id="usage"' in html
    assert gen.main(["--check", str(addon)]) == 0
    (addon / "readme" / "USAGE.md").write_text("- Click *Go* twice.\n")
    assert gen.main(["--check", str(addon)]) == 1
    assert "out of date" in capsys.readouterr().err
