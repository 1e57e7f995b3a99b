"""Encrypted model fields (字段级加密) and their blind index for exact-match search.

`EncryptedCharField` / `EncryptedTextField` hold, in the database, the text the crypto provider returns
(`inspection.core.crypto`): never the value. In Python the attribute is the plain `str`; the empty string stays
empty in the column (a blank optional field or an anonymous petitioner has nothing to hide, and CHECK constraints
on "" keep working). `max_length` is the length of the value (form and serializer validation); the column itself
is `text`, since the ciphertext is longer.

An encrypted column cannot be searched, ordered or compared: every lookup but `isnull` and `= ''` raises, so a
filter that would silently match nothing fails loudly instead. Exact-match search goes through a companion
`BlindIndexField(source="phone")`, the keyed SM3 HMAC of the normalised value, computed on every save
(`pre_save`, so `save()`, `create()` and `bulk_create()` fill it; `QuerySet.update()` of an encrypted field does
not — write through the model). `matches(Model, "phone", value)` is the Q filter.

Each encrypted field names its `kind` (`inspection.core.masking`) and adds `<name>_masked` to its model: what
lists, API list answers and ledgers show. django-simple-history copies the field into the historical model, so
historical tables hold ciphertext too.
"""

from django.core.exceptions import FieldError
from django.db import models, transaction
from django.db.models.lookups import Exact, IsNull

from . import crypto, masking


def normalize(kind: str, value: str) -> str:
    """What two spellings of one value share, so the blind index finds "138 1234 5678" as "13812345678"."""
    value = (value or "").strip()
    if kind in (masking.PHONE, masking.CONTACT):
        return "".join(ch for ch in value if ch not in " -")
    if kind == masking.ID_NUMBER:
        return value.replace(" ", "").upper()
    return "".join(value.split())


def blind_index(kind: str, value: str) -> str:
    value = normalize(kind, value)
    return crypto.provider().blind_index(f"{kind}:{value}") if value else ""


def encrypt_text(value: str) -> str:
    return crypto.provider().encrypt(value.encode("utf-8")).decode("ascii") if value else value


def decrypt_text(stored: str) -> str:
    return crypto.provider().decrypt(stored.encode("ascii")).decode("utf-8") if stored else stored


def is_ciphertext(stored: str) -> bool:
    return bool(stored) and stored.startswith(crypto.VERSION.decode() + "$")


class EmptyOnlyExact(Exact):
    """`= ''` only: the one comparison a column of random-IV ciphertext can answer."""

    def get_prep_lookup(self):
        if not hasattr(self.rhs, "resolve_expression") and self.rhs not in ("", None):
            raise FieldError(
                f"加密字段 {self.lhs.output_field.name} 不能按值查询：请用 inspection.core.fields.matches() 经盲索引精确查找"
            )
        return super().get_prep_lookup()


class _Encrypted:
    def __init__(self, *args, kind=masking.NAME, **kwargs):
        if kind not in masking.KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        self.kind = kind
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def from_db_value(self, value, expression, connection):
        return decrypt_text(value) if value else value

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return encrypt_text(value) if value else value

    def value_to_string(self, obj):
        # Serialized (manage.py backup, dumpdata) as ciphertext: a backup file holds no plain personal data.
        return encrypt_text(self.value_from_object(obj) or "")

    def to_python(self, value):
        # A backup being restored gives ciphertext; typed input that merely looks like it stays as typed.
        value = super().to_python(value)
        if is_ciphertext(value):
            try:
                return decrypt_text(value)
            except crypto.DecryptionError:
                return value
        return value

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        kind = self.kind
        setattr(cls, f"{name}_masked", property(lambda obj: masking.mask(kind, getattr(obj, name))))


class EncryptedCharField(_Encrypted, models.CharField):
    pass


class EncryptedTextField(_Encrypted, models.TextField):
    pass


class BlindIndexField(models.CharField):
    """The keyed SM3 HMAC of the encrypted field `source`, recomputed at every save."""

    def __init__(self, *args, source, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        kind = model_instance._meta.get_field(self.source).kind
        digest = blind_index(kind, getattr(model_instance, self.source))
        setattr(model_instance, self.attname, digest)
        return digest


def is_encrypted(field) -> bool:
    return isinstance(field, _Encrypted)


def encrypted_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, _Encrypted)]


def index_field(model, name: str) -> BlindIndexField:
    for field in model._meta.concrete_fields:
        if isinstance(field, BlindIndexField) and field.source == name:
            return field
    raise FieldError(f"{model._meta.label}.{name} 没有盲索引字段")


def matches(model, name: str, value: str) -> models.Q:
    """Exact match of the encrypted field `name` against `value`, through its blind index. An empty value
    matches nothing (the index of an empty field is empty)."""
    field = index_field(model, name)
    digest = blind_index(model._meta.get_field(name).kind, value)
    return models.Q(**{field.name: digest}) if digest else models.Q(pk__in=[])


# Rewriting stored values in place: the data migrations that encrypt existing rows (and decrypt them when
# migrated back) and the key rotation. Raw SQL in keyset batches of BATCH rows, so memory stays bounded and a run
# that stops half-way is simply run again: a value already in the wanted form is left as it is.

BATCH = 1000


def _columns(model, names=None):
    """(column, kind, blind-index column or None) of the encrypted fields of `model` (a migration-state model)."""
    indexes = {f.source: f.column for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)}
    return [
        (f.column, f.kind, indexes.get(f.name))
        for f in model._meta.concrete_fields
        if isinstance(f, _Encrypted) and (names is None or f.name in names)
    ]


def rewrite(connection, model, transform, names=None) -> int:
    """Apply `transform(stored) -> (new stored or None to keep, plain)` to every non-empty encrypted value of
    `model`'s table, and set each blind index from the plain value. Returns the number of rows changed."""
    columns = _columns(model, names)
    if not columns:
        return 0
    qn = connection.ops.quote_name
    table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
    select = ", ".join(qn(column) for column, _, _ in columns)
    changed, last = 0, None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            where = f"WHERE {pk} > %s " if last is not None else ""
            cursor.execute(
                f"SELECT {pk}, {select} FROM {table} {where}ORDER BY {pk} LIMIT {BATCH}",
                [last] if last is not None else [],
            )
            rows = cursor.fetchall()
            for row in rows:
                sets, params = [], []
                for (column, kind, index_column), stored in zip(columns, row[1:], strict=True):
                    if not stored:
                        continue
                    new, plain = transform(stored)
                    if new is not None:
                        sets.append(f"{qn(column)} = %s")
                        params.append(new)
                    if index_column:
                        sets.append(f"{qn(index_column)} = %s")
                        params.append(blind_index(kind, plain) if new is None or is_ciphertext(new) else "")
                if sets:
                    cursor.execute(f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} = %s", [*params, row[0]])
                    changed += 1
        if len(rows) < BATCH:
            return changed
        last = rows[-1][0]


def encrypt_stored(stored):
    """Plain text -> ciphertext; a value already encrypted is kept (a migration run twice)."""
    if is_ciphertext(stored):
        return None, decrypt_text(stored)
    return encrypt_text(stored), stored


def decrypt_stored(stored):
    """Ciphertext -> plain text (the backward migration)."""
    if not is_ciphertext(stored):
        return None, stored
    return decrypt_text(stored), None


def reencrypt_stored(stored):
    """Under the current key (rotation); a value already under it keeps its ciphertext and gets its index."""
    plain = decrypt_text(stored)
    if crypto.provider().is_current(stored.encode("ascii")):
        return None, plain
    return encrypt_text(plain), plain


def encrypt_existing(app_label, *model_names):
    """The RunPython operation of a migration that turned fields of these models (and their historical models)
    into encrypted fields: forward encrypts the rows, backward decrypts them."""
    from django.db import migrations

    def models_of(apps):
        for name in model_names:
            yield apps.get_model(app_label, name)
            try:
                yield apps.get_model(app_label, f"Historical{name}")
            except LookupError:
                pass

    def forward(apps, schema_editor):
        for model in models_of(apps):
            rewrite(schema_editor.connection, model, encrypt_stored)

    def backward(apps, schema_editor):
        for model in models_of(apps):
            rewrite(schema_editor.connection, model, decrypt_stored)

    return migrations.RunPython(forward, backward, elidable=False)
