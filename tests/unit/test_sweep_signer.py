# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Bad-input sweep of the warranty code signer and the GS1 helpers (no Odoo).

Whatever a person types or a scanner reads, the signer answers a serial number
or a :class:`CodeError` of a known kind: never another exception.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import load_engine

signer = load_engine("warranty_claims", "signer")
gs1 = load_engine("warranty_claims", "gs1")

SWEEP = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
KINDS = {"malformed", "typo", "forged"}
SECRET = b"sweep-secret-0123456789abcdef"

secrets = st.binary(min_size=16, max_size=100)
serials = st.integers(min_value=0, max_value=signer.MAX_SERIAL)
symbols = st.sampled_from(signer.ALPHABET)
# text that looks like a code more often than random text would
code_like = st.text(
    alphabet=st.sampled_from(signer.ALPHABET + "oilOIL- _.\tUu"),
    min_size=0,
    max_size=45,
)
anything = st.one_of(
    st.text(max_size=60),
    code_like,
    st.none(),
    st.integers(),
    st.binary(max_size=20),
    st.floats(allow_nan=True),
    st.lists(st.integers(), max_size=3),
)


def _outcome(secret, text):
    try:
        serial = signer.verify(secret, text)
    except signer.CodeError as err:
        assert err.kind in KINDS
        assert str(err)
        return err.kind
    assert 0 <= serial <= signer.MAX_SERIAL
    return serial


@SWEEP
@given(secrets, serials)
def test_every_signed_code_verifies_to_its_serial(secret, serial):
    code = signer.sign(secret, serial)
    assert len(code) == 19 and code.count("-") == 3
    assert signer.verify(secret, code) == serial
    # what people do to a code on the way: lower case, no dashes, spaces
    assert signer.verify(secret, code.lower()) == serial
    assert signer.verify(secret, code.replace("-", "")) == serial
    assert signer.verify(secret, f" {code.replace('-', ' ')} ") == serial
    assert signer.normalize(code.lower().replace("0", "o")) == code


@SWEEP
@given(anything)
def test_any_input_gives_a_serial_or_a_code_error(text):
    _outcome(SECRET, text)
    if isinstance(text, str):
        try:
            code, payload = signer.parse(text)
        except signer.CodeError as err:
            assert err.kind in {"malformed", "typo"}
        else:
            assert signer.normalize(code) == code
            assert 0 <= payload <= signer.MAX_SERIAL


@SWEEP
@given(serials, st.integers(0, 15), symbols)
def test_one_wrong_symbol_is_a_typo(serial, position, symbol):
    code = signer.sign(SECRET, serial).replace("-", "")
    if code[position] == symbol:
        symbol = signer.ALPHABET[(signer.ALPHABET.index(symbol) + 1) % 32]
    typed = code[:position] + symbol + code[position + 1 :]
    assert _outcome(SECRET, typed) == "typo"


@SWEEP
@given(serials, st.integers(0, 15), st.integers(0, 15))
def test_two_symbols_swapped_is_a_typo(serial, i, j):
    code = list(signer.sign(SECRET, serial).replace("-", ""))
    if i == j or code[i] == code[j]:
        return
    code[i], code[j] = code[j], code[i]
    assert _outcome(SECRET, "".join(code)) == "typo"


@SWEEP
@given(serials, secrets)
def test_code_of_another_secret_is_forged(serial, other):
    code = signer.sign(SECRET, serial)
    if other == SECRET:
        return
    assert _outcome(other, code) == "forged"


@SWEEP
@given(
    st.one_of(
        st.binary(max_size=15),
        st.text(max_size=30),
        st.none(),
        st.integers(),
    )
)
def test_bad_secret_is_a_clear_value_error(secret):
    try:
        signer.sign(secret, 1)
    except ValueError as err:
        assert "secret" in str(err)
    else:
        raise AssertionError(f"secret {secret!r} accepted")


@SWEEP
@given(
    st.one_of(
        st.integers(max_value=-1),
        st.integers(min_value=signer.MAX_SERIAL + 1),
        st.floats(),
        st.text(max_size=5),
        st.none(),
    )
)
def test_bad_serial_is_a_clear_value_error(serial):
    try:
        signer.sign(SECRET, serial)
    except ValueError as err:
        assert "serial" in str(err)
    else:
        raise AssertionError(f"serial {serial!r} accepted")


@SWEEP
@given(serials, st.integers(0, 50))
def test_sign_range_and_sign_many_agree_with_sign(first, count):
    count = min(count, signer.MAX_SERIAL + 1 - first)
    codes = signer.sign_range(SECRET, first, count)
    assert len(codes) == count == len(set(codes))
    assert codes == signer.sign_many(SECRET, range(first, first + count))
    if codes:
        assert codes[0] == signer.sign(SECRET, first)


@SWEEP
@given(
    st.one_of(
        st.text(max_size=20), st.none(), st.from_regex(r"[0-9]{8,14}", fullmatch=True)
    )
)
def test_gtin14_is_fourteen_digits_with_check_digit_or_none(barcode):
    gtin = gs1.gtin14(barcode)
    if gtin is None:
        return
    assert len(gtin) == 14 and gtin.isdigit() and gtin.isascii()
    assert gs1.check_digit(gtin[:-1]) == gtin[-1]
    assert gtin.lstrip("0") == barcode.strip().lstrip("0")


@SWEEP
@given(st.from_regex(r"[0-9]{7}|[0-9]{11,13}", fullmatch=True))
def test_gtin_with_its_check_digit_is_accepted(body):
    barcode = body + gs1.check_digit(body)
    assert gs1.gtin14(barcode) == barcode.zfill(14)
    wrong = body + str((int(gs1.check_digit(body)) + 1) % 10)
    assert gs1.gtin14(wrong) is None


@SWEEP
@given(st.one_of(st.text(max_size=30), st.none()))
def test_valid_serial_only_url_safe(serial):
    if gs1.valid_serial(serial):
        assert 1 <= len(serial) <= 20
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in serial)
