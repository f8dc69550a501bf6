# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from .conftest import load_engine

photo_upload = load_engine("fieldservice_install", "photo_upload")

JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 20
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
WEBP = b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 10
HEIC = b"\0\0\0\x18ftypheic" + b"\0" * 12


def test_sniff_types_from_content():
    assert photo_upload.sniff_image_type(JPEG) == photo_upload.JPEG
    assert photo_upload.sniff_image_type(PNG) == photo_upload.PNG
    assert photo_upload.sniff_image_type(WEBP) == photo_upload.WEBP
    assert photo_upload.sniff_image_type(HEIC) == photo_upload.HEIC
    assert photo_upload.sniff_image_type(b"%PDF-1.7 ...") is None
    assert photo_upload.sniff_image_type(b"GIF89a....") is None
    assert photo_upload.sniff_image_type(b"") is None


def test_name_does_not_decide_the_type():
    accepted, problems = photo_upload.check_photos(
        [("evil.png", b"<script>alert(1)</script>"), ("real.txt", PNG)]
    )
    assert [p.code for p in problems] == ["type"]
    assert problems[0].name == "evil.png"
    assert [(p.name, p.mimetype) for p in accepted] == [("real.png", "image/png")]


def test_size_limit_and_empty_files():
    big = JPEG + b"\0" * 100
    accepted, problems = photo_upload.check_photos(
        [("big.jpg", big), ("empty.jpg", b""), ("ok.jpg", JPEG)], max_bytes=50
    )
    assert [(p.code, p.name) for p in problems] == [
        ("size", "big.jpg"),
        ("empty", "empty.jpg"),
    ]
    assert [p.name for p in accepted] == ["ok.jpg"]


def test_at_most_max_count_photos():
    files = [(f"p{i}.webp", WEBP) for i in range(4)]
    accepted, problems = photo_upload.check_photos(files, max_count=3)
    assert len(accepted) == 3
    assert [(p.code, p.name) for p in problems] == [("count", "p3.webp")]


def test_safe_name_strips_paths():
    assert photo_upload.safe_name("C:\\Users\\x\\IMG_1.HEIC", "image/heic") == (
        "IMG_1.heic"
    )
    assert photo_upload.safe_name("../../etc/passwd", "image/png") == "passwd.png"
    assert photo_upload.safe_name("", "image/jpeg") == "photo.jpg"
