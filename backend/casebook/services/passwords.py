"""Password hashing with argon2id."""

from __future__ import annotations

import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# The test suite sets CASEBOOK_TEST_FAST_HASH=1 to use argon2's cheapest profile (it hashes hundreds
# of test users). Hashes record their own parameters, so verification works either way.
_hasher = (PasswordHasher.from_parameters(profiles.CHEAPEST) if os.environ.get("CASEBOOK_TEST_FAST_HASH") == "1"
           else PasswordHasher())
# A real hash to verify against when the user does not exist, so timing does not reveal accounts.
_DUMMY = _hasher.hash("casebook-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
