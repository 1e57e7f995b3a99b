import gc

from django.core.wsgi import get_wsgi_application

from inspection.environment import choose_settings

choose_settings()
application = get_wsgi_application()
# Everything loaded at start-up (settings, URL patterns, models, templates) lives as long as the process: moved
# out of the collector's generations, a full collection no longer walks it and stalls a request (bench/RESULTS.md).
gc.freeze()
