"""Password hashes for staff accounts: scrypt from the standard library, self-describing strings."""

import base64
import hashlib
import hmac
import secrets
from functools import cache

# n=2**14, r=8 costs ~16 MiB and a few tens of milliseconds: cheap for a login, dear for a guesser.
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
PREFIX = "scrypt"


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES, maxmem=64 * 1024 * 1024
    )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    # The parameters travel with the hash, so raising them later keeps old hashes valid.
    return f"{PREFIX}${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        prefix, n, r, p, salt, key = stored.split("$")
        if prefix != PREFIX:
            return False
        derived = _derive(password, _unb64(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(derived, _unb64(key))


@cache
def dummy_hash() -> str:
    """Checked against when the username is unknown, so a login takes as long either way."""
    return hash_password(secrets.token_urlsafe(16))
