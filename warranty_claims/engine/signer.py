# Copyright 2026 Installation Suite Authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Warranty codes: Crockford base32, a truncated HMAC tag, a check symbol.

No ORM here. A code is 16 Crockford base32 symbols (``0-9A-Z`` without
``I L O U``), shown grouped by four for reading: ``XXXX-XXXX-XXXX-XXXX``::

    payload (7 symbols, 35 bits) | tag (8 symbols, 40 bits) | check (1 symbol)

* ``serial``: a number ``0 <= n < 2**35`` the caller never reuses (a
  sequence). The payload is the serial through a permutation of the 35-bit
  numbers keyed by the secret (two odd multiplications and xor-shifts): codes
  of consecutive serials look unrelated and do not tell how many were made.
  It only hides the order; the security is the tag.
* ``tag``: the first 40 bits of ``HMAC-SHA256(secret, b"wc1:" + payload)``
  (payload as 5 bytes big-endian): without the secret nobody can compute it,
  so codes cannot be forged nor enumerated. A guessed code is accepted with a
  probability of 2**-40 per try.
* ``check``: one symbol of GF(32) chosen so that ``sum(alpha**i * v_i) == 0``
  over the 16 symbol values: it catches every single-symbol typo and every
  swap of two symbols, before the tag (and the database) is looked at.

In: the company secret (bytes) and serial numbers (int) to :func:`sign`,
:func:`sign_range` or :func:`sign_many`; text typed or scanned by a person to
:func:`parse` (which normalises case, spaces, dashes and Crockford's aliases
``O``→``0``, ``I``/``L``→``1``) and :func:`verify`. Out: the grouped code; the serial
number; or a :class:`CodeError` whose ``kind`` is ``"malformed"`` (not 16
symbols), ``"typo"`` (check symbol wrong) or ``"forged"`` (tag wrong). Tags
are compared in constant time.
"""

import base64
import functools
import hashlib
import hmac
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
SERIAL_SYMBOLS = 7
TAG_SYMBOLS = 8
MAX_SERIAL = 2**35 - 1
GROUP = 4
_PREFIX = b"wc1:"
_TAG_MASK = 2**40 - 1

# base64's RFC 4648 base32 alphabet, translated to Crockford's
_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET.encode())
# Crockford symbols (and aliases, any case) -> the digits of int(text, 32)
_INT_DIGITS = "0123456789abcdefghijklmnopqrstuv"
_TO_INT = {ord(c): _INT_DIGITS[i] for i, c in enumerate(ALPHABET)}
_TO_INT.update({ord(c.lower()): d for c, d in zip(ALPHABET, _INT_DIGITS, strict=True)})
for _alias, _value in (("O", 0), ("I", 1), ("L", 1)):
    _TO_INT[ord(_alias)] = _TO_INT[ord(_alias.lower())] = _INT_DIGITS[_value]
_DROP = {ord(c): None for c in " -_.\t"}
_SYMBOLS = re.compile("[0-9A-HJKMNP-TV-Za-hjkmnp-tv-zOoIiLl]{16}")

# GF(32) with the primitive polynomial x^5 + x^2 + 1, alpha = x
_EXP = [0] * 62
_x = 1
for _i in range(31):
    _EXP[_i] = _EXP[_i + 31] = _x
    _x <<= 1
    if _x & 0x20:
        _x ^= 0x25
_LOG = {v: i for i, v in enumerate(_EXP[:31])}


def _gf_mul(a, b):
    if not a or not b:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


# The syndrome sum(alpha**i * v_i) (symbol 0 = leftmost = highest bits of the
# 80-bit number) is linear over GF(2): output bit k is the parity of the code
# number masked with _MASKS[k].
_MASKS = [0] * 5
for _i in range(LENGTH):
    for _b in range(5):
        _product = _gf_mul(_EXP[_i], 1 << _b)
        for _k in range(5):
            if _product >> _k & 1:
                _MASKS[_k] |= 1 << (5 * (LENGTH - 1 - _i) + _b)
_M0, _M1, _M2, _M3, _M4 = _MASKS
# the check symbol (position 15, weight alpha**15) cancels the syndrome
_CHECK_OF = [_gf_mul(_EXP[31 - 15], s) for s in range(32)]


class CodeError(ValueError):
    """A code that is not acceptable; ``kind`` says why."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def _syndrome(number):
    return (
        ((number & _M0).bit_count() & 1)
        | ((number & _M1).bit_count() & 1) << 1
        | ((number & _M2).bit_count() & 1) << 2
        | ((number & _M3).bit_count() & 1) << 3
        | ((number & _M4).bit_count() & 1) << 4
    )


@functools.lru_cache(maxsize=64)
def _keyed(secret):
    """HMAC-SHA256 (RFC 2104) inner and outer states of ``secret``, hashed
    once (each tag then costs two SHA-256 blocks), and the keys of the
    payload permutation."""
    if not isinstance(secret, bytes) or len(secret) < 16:
        raise ValueError("the secret must be at least 16 bytes")
    if len(secret) > 64:
        secret = hashlib.sha256(secret).digest()
    padded = secret.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))
    keys = hmac.digest(secret, b"wc1:permutation", "sha256")
    mul1 = int.from_bytes(keys[0:5], "big") & MAX_SERIAL | 1
    mask = int.from_bytes(keys[5:10], "big") & MAX_SERIAL
    mul2 = int.from_bytes(keys[10:15], "big") & MAX_SERIAL | 1
    modulus = MAX_SERIAL + 1
    permutation = (mul1, mask, mul2, pow(mul1, -1, modulus), pow(mul2, -1, modulus))
    return inner, outer, permutation


def _scramble(permutation, serial):
    """The payload of ``serial``: a bijection of the 35-bit numbers."""
    mul1, mask, mul2 = permutation[:3]
    n = ((serial ^ mask) * mul1) & MAX_SERIAL
    n ^= n >> 17
    n = (n * mul2) & MAX_SERIAL
    return n ^ (n >> 13)


def _unscramble(permutation, payload):
    """The serial of ``payload`` (inverse of :func:`_scramble`)."""
    _mul1, mask, _mul2, inv1, inv2 = permutation
    # over GF(2), (1 + S)^-1 = 1 + S + S^2 + ... for a right shift S
    n = payload ^ (payload >> 13) ^ (payload >> 26)
    n = (n * inv2) & MAX_SERIAL
    n ^= (n >> 17) ^ (n >> 34)
    return ((n * inv1) & MAX_SERIAL) ^ mask


def _mac(keyed, message):
    inner, outer = keyed[0].copy(), keyed[1].copy()
    inner.update(message)
    outer.update(inner.digest())
    return outer.digest()


def _tag(secret, payload):
    digest = _mac(_keyed(secret), _PREFIX + payload.to_bytes(5, "big"))
    return int.from_bytes(digest[:5], "big")


def _number(payload, tag):
    body = payload << 45 | tag << 5
    return body | _CHECK_OF[_syndrome(body)]


def _text(number):
    raw = base64.b32encode(number.to_bytes(10, "big")).translate(_TO_CROCKFORD)
    raw = raw.decode()
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:16]}"


def group(raw):
    """``"ABCDEFGHJKMNPQRS"`` -> ``"ABCD-EFGH-JKMN-PQRS"``."""
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def sign(secret, serial):
    """The grouped code of ``serial`` (0 <= serial < 2**35) under ``secret``."""
    if not isinstance(serial, int) or not 0 <= serial <= MAX_SERIAL:
        raise ValueError(f"serial out of range: {serial!r}")
    payload = _scramble(_keyed(secret)[2], serial)
    return _text(_number(payload, _tag(secret, payload)))


def sign_range(secret, first, count):
    """The grouped codes of serials ``first .. first + count - 1``, in order."""
    if count < 0 or first < 0 or first + count - 1 > MAX_SERIAL:
        raise ValueError(f"serial range out of bounds: {first} + {count}")
    return sign_many(secret, range(first, first + count))


def sign_many(secret, serials):
    """The grouped codes of ``serials`` (an iterable of int), in order."""
    inner, outer, permutation = _keyed(secret)
    prefix, syndrome, check_of, scramble = _PREFIX, _syndrome, _CHECK_OF, _scramble
    b32, to_crock, from_bytes = base64.b32encode, _TO_CROCKFORD, int.from_bytes
    codes = []
    append = codes.append
    for serial in serials:
        if not 0 <= serial <= MAX_SERIAL:
            raise ValueError(f"serial out of range: {serial!r}")
        payload = scramble(permutation, serial)
        mac = inner.copy()
        mac.update(prefix + payload.to_bytes(5, "big"))
        mac_outer = outer.copy()
        mac_outer.update(mac.digest())
        body = payload << 45 | from_bytes(mac_outer.digest()[:5], "big") << 5
        raw = b32((body | check_of[syndrome(body)]).to_bytes(10, "big"))
        raw = raw.translate(to_crock).decode()
        append(f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:16]}")
    return codes


_MALFORMED = "A warranty code has 16 letters and digits (no I, L, O or U)."


def _decode(text):
    """The 80-bit number of ``text``, check symbol verified."""
    if not isinstance(text, str) or len(text) > 40:
        raise CodeError("malformed", _MALFORMED)
    compact = text.translate(_DROP)
    if not _SYMBOLS.fullmatch(compact):
        raise CodeError("malformed", _MALFORMED)
    number = int(compact.translate(_TO_INT), 32)
    if _syndrome(number):
        raise CodeError(
            "typo", "This warranty code contains a typing error: check each symbol."
        )
    return number


def parse(text):
    """Normalise ``text`` and check its check symbol, without the secret.

    Returns ``(code, payload)``: the grouped canonical code and its payload
    (the scrambled serial). Raises :class:`CodeError` ``"malformed"`` or ``"typo"``.
    """
    number = _decode(text)
    return _text(number), number >> 45


def tag_matches(secret, code):
    """Whether ``code`` (checked by :func:`parse`) carries the tag of
    ``secret``; the tags are compared in constant time."""
    number = _decode(code)
    expected = _tag(secret, number >> 45)
    found = number >> 5 & _TAG_MASK
    return hmac.compare_digest(expected.to_bytes(5, "big"), found.to_bytes(5, "big"))


def verify(secret, text):
    """The serial number of the code ``text`` signed with ``secret``; raises
    :class:`CodeError` (``malformed``, ``typo`` or ``forged``) otherwise."""
    number = _decode(text)
    payload = number >> 45
    found = number >> 5 & _TAG_MASK
    if not hmac.compare_digest(
        _tag(secret, payload).to_bytes(5, "big"), found.to_bytes(5, "big")
    ):
        raise CodeError("forged", "This is not a genuine warranty code.")
    return _unscramble(_keyed(secret)[2], payload)


def normalize(text):
    """The grouped canonical form of ``text`` (check symbol verified)."""
    return parse(text)[0]
