"""Field encryption of personal data at rest (GB/T 39786-2021: SM4 for confidentiality, SM3 for the index).

One interface, `FieldCryptoProvider`: `encrypt(bytes) -> bytes`, `decrypt(bytes) -> bytes`, `blind_index(str) -> str`.
The software provider below runs on the `cryptography` package (OpenSSL's SM4 and SM3). A certified hardware
cryptographic machine (密码机) implements the same three methods instead and is named by the setting
`FIELD_CRYPTO_PROVIDER`; nothing else in the code knows which one runs.

Stored form of one value: `b"<version>$<key id>$" + base64(iv ‖ ciphertext ‖ tag)`, ASCII. The version says the
mode (`s4g1`: SM4-GCM, 12-byte random IV per value, 16-byte tag; the header is authenticated data, so a value cannot
be moved to another key id or version unnoticed). The key id is a fingerprint of the key (not the key), so a
rotation (`manage.py rotate_field_key`) can tell values under the old key from values under the new one and a
process holding both (`XUNCHA_FIELD_KEY_OLD` beside `XUNCHA_FIELD_KEY`) reads both during the rotation.

The master key (16 or 32 bytes, hex or base64) comes from the environment or a key file (read in
`inspection/settings/base.py`), never from a settings file. Two working keys are derived from it with HMAC-SM3,
one for SM4, one for the blind index, so the index key never encrypts and the encryption key never indexes.
"""

import base64
import binascii
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

# !!! DEVELOPMENT KEY — PUBLISHED IN THE SOURCE, NOT SECRET !!!
# The demo (local settings) and the tests use it when XUNCHA_FIELD_KEY is not set, so a demo database can be
# reopened. Production refuses it. Never encrypt real personal data under it.
DEVELOPMENT_FIELD_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

VERSION = b"s4g1"
IV_BYTES = 12
TAG_BYTES = 16


class DecryptionError(ValueError):
    """A stored value that does not decrypt: modified, truncated, or under a key this process does not hold.
    Never answered with a wrong value: the read fails."""


class FieldCryptoProvider:
    """What a provider implements. Values are bytes in and out; the model field does the text encoding."""

    def encrypt(self, plaintext: bytes) -> bytes:
        raise NotImplementedError

    def decrypt(self, stored: bytes) -> bytes:
        raise NotImplementedError

    def blind_index(self, value: str) -> str:
        """A keyed, deterministic digest of a (normalised) value, for exact-match search; hex text."""
        raise NotImplementedError

    def is_current(self, stored: bytes) -> bool:
        """True if the stored value is under the current key (the rotation skips it)."""
        raise NotImplementedError


def parse_key(text: str) -> bytes:
    """A master key written as hex (32 or 64 digits) or base64 (16 or 32 bytes); ImproperlyConfigured otherwise."""
    text = (text or "").strip()
    key = None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        try:
            key = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            key = None
    if key is None or len(key) not in (16, 32):
        raise ImproperlyConfigured("字段加密主密钥格式不正确：须为 16 或 32 字节的随机数，以十六进制或 Base64 书写")
    return key


def _sm3_hmac(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


class _Key:
    def __init__(self, master: bytes):
        self.enc = _sm3_hmac(master, b"xuncha field encryption SM4")[:16]
        self.index = _sm3_hmac(master, b"xuncha field blind index SM3")
        self.id = _sm3_hmac(master, b"xuncha field key id").hex()[:8].encode()


class SoftwareSM4Provider(FieldCryptoProvider):
    """SM4-GCM and HMAC-SM3 in software (OpenSSL through `cryptography`)."""

    def __init__(self, key: bytes, old_keys: tuple[bytes, ...] = ()):
        self.current = _Key(key)
        self.keys = {k.id: k for k in (_Key(old) for old in old_keys)}
        self.keys[self.current.id] = self.current

    def encrypt(self, plaintext: bytes) -> bytes:
        iv = os.urandom(IV_BYTES)
        header = VERSION + b"$" + self.current.id + b"$"
        encryptor = Cipher(algorithms.SM4(self.current.enc), modes.GCM(iv)).encryptor()
        encryptor.authenticate_additional_data(header)
        body = encryptor.update(plaintext) + encryptor.finalize()
        return header + base64.b64encode(iv + body + encryptor.tag)

    def _split(self, stored: bytes):
        parts = stored.split(b"$", 2)
        if len(parts) != 3 or parts[0] != VERSION:
            raise DecryptionError("加密字段的存储格式无法识别（可能被篡改或不是密文）")
        return parts

    def decrypt(self, stored: bytes) -> bytes:
        version, key_id, payload = self._split(stored)
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(f"加密字段所用密钥（密钥标识 {key_id.decode(errors='replace')}）不在当前配置中")
        try:
            raw = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise DecryptionError("加密字段的密文已损坏（可能被篡改）") from exc
        if len(raw) < IV_BYTES + TAG_BYTES:
            raise DecryptionError("加密字段的密文已损坏（可能被篡改）")
        iv, body, tag = raw[:IV_BYTES], raw[IV_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(key.enc), modes.GCM(iv, tag)).decryptor()
        decryptor.authenticate_additional_data(version + b"$" + key_id + b"$")
        try:
            return decryptor.update(body) + decryptor.finalize()
        except InvalidTag as exc:
            raise DecryptionError("加密字段的密文校验失败（已被篡改或密钥不符），拒绝读取") from exc

    def blind_index(self, value: str) -> str:
        return _sm3_hmac(self.current.index, value.encode("utf-8")).hex()

    def is_current(self, stored: bytes) -> bool:
        return self._split(stored)[1] == self.current.id


@cache
def provider() -> FieldCryptoProvider:
    """The configured provider, built once per process (settings `FIELD_CRYPTO_PROVIDER`, `FIELD_KEY`,
    `FIELD_KEY_OLD`)."""
    cls = import_string(settings.FIELD_CRYPTO_PROVIDER)
    if not settings.FIELD_KEY:
        raise ImproperlyConfigured("未配置字段加密主密钥：请设置环境变量 XUNCHA_FIELD_KEY 或 XUNCHA_FIELD_KEY_FILE")
    old = (parse_key(settings.FIELD_KEY_OLD),) if settings.FIELD_KEY_OLD else ()
    return cls(parse_key(settings.FIELD_KEY), old)


def reset() -> None:
    """Forget the built provider (tests and the rotation command change the keys)."""
    provider.cache_clear()
