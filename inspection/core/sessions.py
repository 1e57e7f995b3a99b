"""The session store: Django's cached database store, refusing a cookie that is not a key Django could have made.

Django makes session keys of 32 characters from [a-z0-9] (`VALID_KEY_CHARS`) but accepts any string of 8 or more
from the cookie and puts it in a query; a forged cookie carrying a NUL byte then fails inside PostgreSQL
("A string literal cannot contain NUL") and the request answers 500 instead of being anonymous."""

import re

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS

_KEY = re.compile(rf"[{re.escape(VALID_KEY_CHARS)}]{{8,40}}")


class SessionStore(cached_db.SessionStore):
    def _validate_session_key(self, key):
        return isinstance(key, str) and _KEY.fullmatch(key) is not None
