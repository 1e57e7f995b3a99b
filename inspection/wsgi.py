import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings.production")
application = get_wsgi_application()
# Everything loaded at start-up (settings, URL patterns, models, templates) lives as long as the process: moved
# out of the collector's generations, a full collection no longer walks it and stalls a request (bench/RESULTS.md).
gc.freeze()
