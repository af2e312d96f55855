"""Re-encrypt every encrypted column under the newest FIELD_ENCRYPTION_KEYS key (step 2 of a key rotation).

Rotation (README "Encryption keys"): put the new key first in FIELD_ENCRYPTION_KEYS and restart, run this
command, check with `--check` that nothing is left under an old key, then drop the old key and restart.
`--rehash` also recomputes the keyed-hash search columns (after a FIELD_HASH_KEY change).

It works on the raw column values (MultiFernet.rotate), so a row is rewritten without its plaintext ever
leaving this process, and the tokens under the newest key already are left alone.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.fields import (
    EncryptedBinaryField,
    EncryptedCharField,
    KeyedHashField,
    fernet,
    identifier_hash,
    primary_fernet,
)

BATCH = 500


def encrypted_models():
    """(model, [encrypted fields]) of every installed model holding an encrypted field."""
    for model in apps.get_models():
        columns = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField | EncryptedBinaryField)]
        if columns:
            yield model, columns


def _as_bytes(token) -> bytes:
    return token.encode("ascii") if isinstance(token, str) else bytes(token)  # text, bytes or memoryview


def _under_primary(token) -> bool:
    try:
        primary_fernet().decrypt(_as_bytes(token))
    except Exception:  # noqa: BLE001 - InvalidToken or a malformed value: not under the newest key
        return False
    return True


class Command(BaseCommand):
    help = "Re-encrypt NIK/phone (every encrypted column) with the newest FIELD_ENCRYPTION_KEYS key."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only count values not under the newest key.")
        parser.add_argument("--rehash", action="store_true", help="Also recompute the keyed-hash columns.")

    def handle(self, *args, check=False, rehash=False, **options):
        quote = connection.ops.quote_name
        multi = fernet()
        left = rotated = 0
        for model, fields in encrypted_models():
            table = quote(model._meta.db_table)
            pk = quote(model._meta.pk.column)
            columns = ", ".join(quote(f.column) for f in fields)
            # Raw SQL: the model would hand back plaintext; rotation needs the stored tokens.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {columns} FROM {table} ORDER BY {pk}")  # noqa: S608 - quoted names
                rows = cursor.fetchall()
            changes = []
            for pk_value, *tokens in rows:
                new = {}
                for field, token in zip(fields, tokens, strict=True):
                    if token and not _under_primary(token):
                        rotated_token = multi.rotate(_as_bytes(token))
                        binary = isinstance(field, EncryptedBinaryField)
                        new[field.column] = rotated_token if binary else rotated_token.decode("ascii")
                if new:
                    changes.append((pk_value, new))
            left += sum(len(new) for _pk, new in changes)
            if check:
                continue
            for start in range(0, len(changes), BATCH):
                with transaction.atomic(), connection.cursor() as cursor:
                    for pk_value, new in changes[start : start + BATCH]:
                        assignments = ", ".join(f"{quote(column)} = %s" for column in new)
                        cursor.execute(
                            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608 - quoted names
                            [*new.values(), pk_value],
                        )
            rotated += sum(len(new) for _pk, new in changes)
            if rehash:
                self._rehash(model)
        if check:
            self.stdout.write(f"{left} value(s) not under the newest key.")
            if left:
                raise CommandError("Run rotate_field_keys before dropping the old key.")
            return
        self.stdout.write(self.style.SUCCESS(f"{rotated} value(s) re-encrypted under the newest key."))

    def _rehash(self, model):
        hashes = [f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField)]
        if not hashes:
            return
        objs = list(model._default_manager.only("pk", *[h.source for h in hashes]))
        for obj in objs:
            for field in hashes:
                setattr(obj, field.attname, identifier_hash(getattr(obj, field.source), kind=field.kind))
        model._default_manager.bulk_update(objs, [h.name for h in hashes], batch_size=BATCH)
        self.stdout.write(f"{len(objs)} row(s) of {model._meta.label} re-hashed.")
