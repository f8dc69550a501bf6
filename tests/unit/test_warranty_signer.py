# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The warranty code signer and GS1 helpers, without Odoo."""

import random

import pytest

from .conftest import load_engine

signer = load_engine("warranty_claims", "signer")
gs1 = load_engine("warranty_claims", "gs1")

SECRET = bytes.fromhex("5a" * 32)
OTHER_SECRET = bytes.fromhex("a5" * 32)
ALPHABET = signer.ALPHABET


def raw(code):
    return code.replace("-", "")


def regroup(symbols):
    return signer.group("".join(symbols))


def kind_of(text, secret=SECRET):
    try:
        signer.verify(secret, text)
    except signer.CodeError as err:
        return err.kind
    return "valid"


@pytest.fixture(scope="module")
def codes():
    rng = random.Random(5)
    serials = [0, 1, 2, 31, 32, signer.MAX_SERIAL] + [
        rng.randrange(signer.MAX_SERIAL) for _ in range(200)
    ]
    return {serial: signer.sign(SECRET, serial) for serial in serials}


def test_round_trip_and_format(codes):
    for serial, code in codes.items():
        assert len(code) == 19
        assert code[4] == code[9] == code[14] == "-"
        assert set(raw(code)) <= set(ALPHABET)
        assert signer.verify(SECRET, code) == serial
        assert signer.parse(code)[0] == code


def test_payload_hides_the_serial_order():
    codes = signer.sign_range(SECRET, 1, 2000)
    payloads = [signer.parse(code)[1] for code in codes]
    assert len(set(payloads)) == 2000
    assert len({code[:4] for code in codes}) > 500  # not all "0000-..."
    assert payloads != sorted(payloads)
    assert [signer.parse(c)[1] for c in signer.sign_range(OTHER_SECRET, 1, 5)] != (
        payloads[:5]
    )


def test_payload_permutation_is_a_bijection():
    rng = random.Random(11)
    permutation = signer._keyed(SECRET)[2]
    for serial in [0, 1, signer.MAX_SERIAL] + [
        rng.randrange(signer.MAX_SERIAL) for _ in range(5000)
    ]:
        payload = signer._scramble(permutation, serial)
        assert 0 <= payload <= signer.MAX_SERIAL
        assert signer._unscramble(permutation, payload) == serial


def test_sign_range_matches_sign():
    assert signer.sign_range(SECRET, 1000, 50) == [
        signer.sign(SECRET, s) for s in range(1000, 1050)
    ]
    assert signer.sign_range(SECRET, 7, 0) == []


def test_normalisation_case_dashes_aliases():
    code = signer.sign(SECRET, 123456)
    variants = {
        code.lower(),
        raw(code),
        " ".join(code.split("-")),
        f"  {code}\t",
        code.replace("0", "O"),
        code.replace("1", "I"),
        code.lower().replace("1", "l").replace("0", "o"),
    }
    for text in variants:
        assert signer.verify(SECRET, text) == 123456, text
        assert signer.normalize(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ABCD",
        "0000-0000-0000-000",
        "0000-0000-0000-00000",
        "0000-0000-0000-000U",  # U is not a Crockford symbol
        "0000-0000-0000-000*",
        "' OR 1=1 --------",
        "<script>x</script>",
        "Ａ" * 16,  # full-width letters
        "A" * 500,
        None,
        12345,
    ],
)
def test_malformed(text):
    with pytest.raises(signer.CodeError) as err:
        signer.verify(SECRET, text)
    assert err.value.kind == "malformed"


def test_every_single_symbol_typo_is_caught(codes):
    for code in list(codes.values())[:60]:
        symbols = list(raw(code))
        for position, original in enumerate(symbols):
            for replacement in ALPHABET:
                if replacement == original:
                    continue
                typo = symbols.copy()
                typo[position] = replacement
                assert kind_of(regroup(typo)) == "typo", (code, position, replacement)


def test_every_swap_of_two_symbols_is_caught(codes):
    for code in list(codes.values())[:60]:
        symbols = list(raw(code))
        for i in range(16):
            for j in range(i + 1, 16):
                if symbols[i] == symbols[j]:
                    continue
                swapped = symbols.copy()
                swapped[i], swapped[j] = swapped[j], swapped[i]
                assert kind_of(regroup(swapped)) == "typo", (code, i, j)


def fix_check(symbols):
    """Recompute the check symbol, as a forger who knows the scheme would."""
    for check in ALPHABET:
        candidate = regroup([*symbols[:15], check])
        try:
            signer.parse(candidate)
        except signer.CodeError:
            continue
        return candidate
    raise AssertionError("no check symbol fits")


def test_random_codes_are_never_accepted():
    rng = random.Random(42)
    accepted = typos = 0
    for _ in range(20000):
        text = regroup(rng.choice(ALPHABET) for _ in range(16))
        kind = kind_of(text)
        accepted += kind == "valid"
        typos += kind == "typo"
    assert accepted == 0
    assert typos > 18000  # the check symbol alone stops ~31 in 32


def test_random_codes_with_right_check_symbol_are_forged():
    rng = random.Random(7)
    for _ in range(20000):
        text = fix_check([rng.choice(ALPHABET) for _ in range(16)])
        assert kind_of(text) == "forged", text


def test_altered_tag_is_forged(codes):
    rng = random.Random(3)
    for code in codes.values():
        symbols = list(raw(code))
        for _ in range(20):
            altered = symbols.copy()
            position = rng.randrange(signer.SERIAL_SYMBOLS, 15)
            altered[position] = rng.choice(
                [c for c in ALPHABET if c != symbols[position]]
            )
            assert kind_of(fix_check(altered)) == "forged"


def test_altered_serial_is_forged(codes):
    # another serial with the tag of the first: enumeration does not work
    for serial, code in list(codes.items())[:100]:
        other = signer.sign(SECRET, (serial + 1) % signer.MAX_SERIAL)
        spliced = raw(other)[:7] + raw(code)[7:15]
        assert kind_of(fix_check(list(spliced))) == "forged"


def test_altered_check_symbol_is_a_typo(codes):
    for code in codes.values():
        symbols = list(raw(code))
        for check in ALPHABET:
            if check != symbols[15]:
                assert kind_of(regroup([*symbols[:15], check])) == "typo"


def test_wrong_company_secret_is_forged(codes):
    for code in codes.values():
        assert kind_of(code, OTHER_SECRET) == "forged"
        assert not signer.tag_matches(OTHER_SECRET, code)
        assert signer.tag_matches(SECRET, code)


def test_codes_are_unique_per_serial():
    codes = signer.sign_range(SECRET, 1, 5000)
    assert len(set(codes)) == 5000
    assert set(codes).isdisjoint(signer.sign_range(OTHER_SECRET, 1, 5000))


def test_bad_serial_and_secret():
    with pytest.raises(ValueError):
        signer.sign(SECRET, -1)
    with pytest.raises(ValueError):
        signer.sign(SECRET, signer.MAX_SERIAL + 1)
    with pytest.raises(ValueError):
        signer.sign_range(SECRET, signer.MAX_SERIAL, 2)
    with pytest.raises(ValueError):
        signer.sign(b"short", 1)


def test_long_secret_is_hmac_compatible():
    import hashlib
    import hmac

    secret = b"k" * 100
    serial = 99
    digest = hmac.new(secret, b"wc1:" + serial.to_bytes(5, "big"), hashlib.sha256)
    tag = int.from_bytes(digest.digest()[:5], "big")
    assert signer._tag(secret, serial) == tag
    assert signer.verify(secret, signer.sign(secret, serial)) == serial


@pytest.mark.parametrize(
    "barcode, expected",
    [
        ("6901234567892", "06901234567892"),
        ("4006381333931", "04006381333931"),
        ("96385074", "00000096385074"),  # GTIN-8
        ("036000291452", "00036000291452"),  # GTIN-12 (UPC-A)
        ("10614141000415", "10614141000415"),  # GTIN-14
        ("6901234567893", None),  # wrong check digit
        ("690123456789", None),  # 12 digits, wrong check digit
        ("69012345678X", None),
        ("12345", None),
        ("", None),
        (None, None),
        ("６９０１２３４５６７８９２", None),  # full-width digits
    ],
)
def test_gtin14(barcode, expected):
    assert gs1.gtin14(barcode) == expected


def test_digital_link_and_serial():
    assert gs1.base_url("www.brand.cn/") == "https://www.brand.cn"
    assert gs1.base_url("http://x.test") == "http://x.test"
    assert gs1.base_url("") == ""
    url = gs1.digital_link("https://b.cn", "06901234567892", "SN-1", "AAAA-BBBB")
    assert url == "https://b.cn/w/01/06901234567892/21/SN-1?c=AAAA-BBBB"
    assert gs1.valid_serial("EWH2607-000001")
    assert not gs1.valid_serial("A/B")
    assert not gs1.valid_serial("x" * 21)
    assert not gs1.valid_serial("")
