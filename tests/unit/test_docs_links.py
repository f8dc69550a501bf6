# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The README and docs/ link to files and headings that exist."""

import itertools
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")
FENCED = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)


def _anchor(title):
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces
    to dashes."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _anchors(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = FENCED.sub("", text)
        return {
            _anchor(m.group(1)) for m in re.finditer(r"^#+\s+(.*)$", text, re.MULTILINE)
        }
    if path.suffix == ".rst":
        lines = text.split("\n")
        return {
            re.sub(r"\W+", "-", title.strip().lower()).strip("-")
            for title, under in itertools.pairwise(lines)
            if title.strip()
            and under
            and len(set(under)) == 1
            and under[0] in "=-~^"
            and len(under) >= len(title.strip())
        }
    return set()


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_links_resolve(page):
    text = FENCED.sub("", page.read_text(encoding="utf-8"))
    broken = []
    for match in LINK.finditer(text):
        url = match.group(1) or match.group(2)
        if re.match(r"^[a-z]+:", url):
            continue
        path, _, anchor = url.partition("#")
        target = (page.parent / path).resolve() if path else page
        if not target.exists():
            broken.append(f"{url}: no such file")
        elif anchor and anchor not in _anchors(target):
            broken.append(f"{url}: no such heading")
    assert not broken, broken


def test_readme_is_short():
    """A newcomer reads the README in five minutes: the rest is in docs/."""
    assert len((REPO / "README.md").read_text(encoding="utf-8").splitlines()) <= 250
