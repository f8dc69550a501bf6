# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Photos a technician uploads from the portal: which are acceptable.

No ORM here. The portal controller reads the uploaded files and calls
:func:`check_photos` with ``[(file name, content bytes), ...]``; it gets back
``(accepted, problems)``: the accepted photos as :class:`Photo` values (name,
content and the image type found in the content) and one :class:`Problem` per
refused file, the controller turning them into a message.

Rules:

* The type is read from the content (its magic bytes), never from the file
  name nor from what the browser claims: JPEG, PNG, WebP and HEIC/HEIF (what
  phones take) are accepted; anything else is refused (``type``).
* Each photo is at most ``max_bytes`` (``size``); an empty file is refused
  (``empty``).
* At most ``max_count`` photos per entry (``count``: the extra ones are
  refused, the first ones kept).
"""

from dataclasses import dataclass

JPEG, PNG, WEBP, HEIC = "image/jpeg", "image/png", "image/webp", "image/heic"
MIMETYPES = (JPEG, PNG, WEBP, HEIC)
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", HEIC: "heic"}
HEIC_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_COUNT = 5


@dataclass(frozen=True)
class Photo:
    name: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Problem:
    code: str  # "type", "size", "empty", "count"
    name: str


def sniff_image_type(content):
    """The image type of ``content`` from its first bytes, or ``None``."""
    head = bytes(content[:32])
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return HEIC
    return None


def safe_name(name, mimetype):
    """A file name without path, ending with the extension of ``mimetype``."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(c for c in stem if c.isprintable())[:80] or "photo"
    return f"{stem}.{EXTENSIONS[mimetype]}"


def check_photos(files, max_bytes=DEFAULT_MAX_BYTES, max_count=DEFAULT_MAX_COUNT):
    """``(accepted photos, problems)`` for ``[(name, content), ...]``."""
    accepted, problems = [], []
    for name, content in files:
        if not content:
            problems.append(Problem("empty", name or ""))
            continue
        if len(content) > max_bytes:
            problems.append(Problem("size", name or ""))
            continue
        mimetype = sniff_image_type(content)
        if mimetype is None:
            problems.append(Problem("type", name or ""))
            continue
        if len(accepted) >= max_count:
            problems.append(Problem("count", name or ""))
            continue
        accepted.append(Photo(safe_name(name, mimetype), content, mimetype))
    return accepted, problems
