# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a visitor sends, read as plain values (fieldservice_install/tools)."""

import pytest

from .conftest import load_engine

public_input = load_engine("fieldservice_install", "public_input", folder="tools")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("²", None),  # "²".isdigit() is true; int("²") raises
        ("１２３", None),  # full-width digits
        ("١٢", None),  # Arabic-Indic digits
        ("0", None),
        ("-3", None),
        ("9" * 10, None),  # over an integer column
        ("12\x00", 12),
        (b"12", None),  # a file part
        (["1", "2"], None),  # several values
        (None, None),
    ],
)
def test_id_param(value, expected):
    assert public_input.id_param(value) == expected


def test_text_param_drops_nul_and_cuts():
    assert public_input.text_param("a\x00b", 1) == "a"
    assert public_input.text_param("é" * 10, 3) == "ééé"
    assert public_input.text_param(object()) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (False, ""),
        ("  note\x00 ", "note"),
        (42, "42"),
        (b"caf\xc3\xa9", "café"),
        ({"file": 1}, None),
    ],
)
def test_clean_text(value, expected):
    assert public_input.clean_text(value) == expected


def test_clean_text_limit():
    assert public_input.clean_text("x" * 100, 5) == "xxxxx"
