"""Encrypted model fields and the keyed-hash columns that keep them searchable.

Why a small field of our own rather than a package: the maintained packages either derive their
key from Django's SECRET_KEY (so rotating the session secret would lock the data away) or store
an empty value as NULL (our identifier columns are "" when not given). This field uses
`cryptography`'s MultiFernet directly with keys from the environment:

* ``settings.FIELD_ENCRYPTION_KEYS``: Fernet keys, newest first. New values are encrypted with the
  first; every key is tried when reading, so a new key can be added before the rows are
  re-encrypted (``manage.py rotate_field_keys``) and the old one dropped afterwards.
* ``settings.FIELD_HASH_KEY``: the HMAC-SHA256 key of the hash columns (a different secret: the
  hash must not change when the encryption keys rotate, or every lookup would miss).

An encrypted column cannot be searched (every token is different), so the field refuses every
lookup: ``Person.objects.filter(nik=...)`` raises FieldError instead of silently finding nothing.
Exact search goes through the hash column, computed by :func:`identifier_hash`.

Keeping a hash column in step with its source is done in one place, by the hash field itself:
its ``pre_save`` recomputes the hash on every ``save()`` and ``bulk_create()``;
:class:`HashedFieldsMixin` adds the hash to ``save(update_fields=...)`` when the source is listed,
and :class:`HashedQuerySet` does the same for ``update()`` and ``bulk_update()``. So
``person.nik = ""; person.save(update_fields=["nik"])`` and ``Person.objects.update(nik="")``
both clear ``nik_hash`` too.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Iterable

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from core.identifiers import normalize_phone

__all__ = [
    "EncryptedCharField",
    "EncryptedBinaryField",
    "KeyedHashField",
    "HashedFieldsMixin",
    "HashedQuerySet",
    "identifier_hash",
    "normalise_identifier",
    "encrypt_value",
    "decrypt_value",
    "fernet",
]


class UndecryptableValue(Exception):
    """A stored token that none of the configured keys opens (a key was dropped too early)."""


@functools.lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes each)."
        ) from error


def fernet() -> MultiFernet:
    """The MultiFernet of the configured keys (read from settings each call, so tests can override them)."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def primary_fernet() -> Fernet:
    """The newest key alone: what every token must open with before older keys are dropped."""
    return Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode("ascii"))


def encrypt_value(value: str) -> str:
    """A Fernet token of `value` under the newest key; "" stays "" (an empty column says nothing)."""
    if value in (None, ""):
        return ""
    return fernet().encrypt(str(value).encode("utf-8")).decode("ascii")


def decrypt_value(token: str) -> str:
    """The plaintext of a stored token; raises UndecryptableValue when no configured key opens it."""
    if token in (None, ""):
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        # Fail closed: never hand the ciphertext (or a guess) to the page as if it were the value.
        raise UndecryptableValue(
            "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS (was an old key dropped "
            "before running rotate_field_keys?)."
        ) from error


# An Indonesian number in E.164 already (what forms and imports store): parsing it again gives it back unchanged, so
# the hash of a stored phone number is computed without the parse.
_INDONESIAN_E164 = re.compile(r"\+62[1-9][0-9]{6,12}")


def normalise_identifier(value: object, *, kind: str) -> str:
    """The form an identifier is stored in, so a typed value hashes like the stored one.

    NIK (and NIP/NUPTK): whitespace removed. Phone: E.164 when it parses, else whitespace removed.
    """
    text = "" if value is None else "".join(str(value).split())
    if kind == "phone" and text and not _INDONESIAN_E164.fullmatch(text):
        result = normalize_phone(text)
        if result.ok:
            return result.value
    return text


def identifier_hash(value: object, *, kind: str = "nik") -> str:
    """HMAC-SHA256 (hex) of the normalised value with FIELD_HASH_KEY; "" for an empty value.

    `kind` is part of the message so a NIK and a phone number with the same digits never match.
    """
    normalised = normalise_identifier(value, kind=kind)
    if not normalised:
        return ""
    key = settings.FIELD_HASH_KEY.encode("utf-8")
    return hmac.new(key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.CharField):
    """A CharField stored as a Fernet token in a text column; max_length applies to the plaintext."""

    description = "Encrypted text"

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name):
        # Tokens are randomised: any comparison on the column would silently miss. Search by the hash.
        return None

    def get_transform(self, lookup_name):
        return None

    def from_db_value(self, value, expression, connection):
        return decrypt_value(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt_value(value)


def encrypt_bytes(value: bytes) -> bytes:
    """A Fernet token of `value` under the newest key; b"" stays b""."""
    if not value:
        return b""
    return fernet().encrypt(bytes(value))


def decrypt_bytes(token) -> bytes:
    """The plaintext bytes of a stored token (memoryview on PostgreSQL); raises UndecryptableValue."""
    if not token:
        return b""
    try:
        return fernet().decrypt(bytes(token))
    except InvalidToken as error:
        raise UndecryptableValue("A stored file cannot be decrypted with FIELD_ENCRYPTION_KEYS.") from error


class EncryptedBinaryField(models.BinaryField):
    """A BinaryField stored as a Fernet token: an uploaded file full of NIKs is not kept in clear."""

    description = "Encrypted binary data"

    def get_lookup(self, lookup_name):
        return None

    def get_transform(self, lookup_name):
        return None

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt_bytes(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return super().get_db_prep_value(encrypt_bytes(value), connection, prepared)


class KeyedHashField(models.CharField):
    """The keyed hash of another field of the same model, recomputed whenever the model is saved."""

    description = "Keyed hash of another field"

    def __init__(self, *args, source: str, kind: str, **kwargs):
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["kind"] = self.kind
        for key, default in (("max_length", 64), ("blank", True), ("editable", False)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        # Field.deconstruct() leaves db_index out when False (its own default), but this field's default is True.
        if self.db_index:
            kwargs.pop("db_index", None)
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = identifier_hash(getattr(model_instance, self.source), kind=self.kind)
        setattr(model_instance, self.attname, value)
        return value


def hash_fields(model) -> list[KeyedHashField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]


def _with_hashes(model, field_names: Iterable[str]) -> list[str]:
    names = list(field_names)
    for field in hash_fields(model):
        if field.source in names and field.name not in names:
            names.append(field.name)
    return names


class HashedFieldsMixin:
    """For models with KeyedHashFields: `save(update_fields=[source])` also saves the hash."""

    def save(self, *args, **kwargs):
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = _with_hashes(type(self), kwargs["update_fields"])
        super().save(*args, **kwargs)


class HashedQuerySet(models.QuerySet):
    """`update(source=...)` and `bulk_update(objs, [source])` keep the hash columns in step."""

    def update(self, **kwargs):
        for field in hash_fields(self.model):
            if field.source in kwargs and field.name not in kwargs:
                source = kwargs[field.source]
                if isinstance(source, models.expressions.Combinable):
                    raise ValueError(f"{field.source} cannot be set from an expression: its hash is computed here.")
                kwargs[field.name] = identifier_hash(source, kind=field.kind)
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        fields = _with_hashes(self.model, fields)
        for field in hash_fields(self.model):
            if field.name in fields:
                for obj in objs:
                    field.pre_save(obj, add=False)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    bulk_update.alters_data = True
