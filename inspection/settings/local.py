"""The demo and development: embedded SQLite and in-process tasks unless DATABASE_URL / REDIS_URL are set.

The demo runs with DEBUG off, as an office would see it: Chinese error pages, never Django's debug page
(issue 14). A developer who wants the debug page sets DEBUG=true in the environment or in `.env`.
"""

from inspection.core.crypto import DEVELOPMENT_FIELD_KEY

from .base import *  # noqa: F403
from .base import DATABASES, FIELD_KEY, IS_POSTGRES, env

DEBUG = env.bool("DEBUG", default=False)
# With DEBUG off runserver serves no static files; WhiteNoise serves them straight from static/ (and the apps),
# so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True

# The demo serves with runserver, which starts a thread per connection; a thread that kept its database
# connection for a minute (the production default) let an integrating client hold 77 of PostgreSQL's 100
# connections and logins failed (issue 14). In the demo, a request closes its connection when it ends.
if IS_POSTGRES:
    for _db in DATABASES.values():
        _db["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)

# !!! The demo and the tests encrypt personal data under the fixed, published development key when
# XUNCHA_FIELD_KEY is not set: anyone with the source code decrypts such a database. Never for real data. !!!
FIELD_KEY = FIELD_KEY or DEVELOPMENT_FIELD_KEY
