"""The demo and development: embedded SQLite and in-process tasks unless DATABASE_URL / REDIS_URL are set.

The demo runs with DEBUG off, as an office would see it: Chinese error pages, never Django's debug page
(issue 14). A developer who wants the debug page sets DEBUG=true in the environment or in `.env`.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
# With DEBUG off runserver serves no static files; WhiteNoise serves them straight from static/ (and the apps),
# so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True
