"""gunicorn for one app node: `gunicorn -c gunicorn.conf.py inspection.wsgi` (docs/deploy.md).

Connection budget: a sync worker serves one request at a time and keeps at most one PostgreSQL connection
(reused for DB_CONN_MAX_AGE seconds), so an app node holds at most GUNICORN_WORKERS connections. Size the
workers so that every node, every Celery worker process and beat together stay under PostgreSQL's
max_connections minus the reserve for administrators (docs/deploy.md, "连接数预算").
With a streaming replica (DATABASE_REPLICA_URL) a worker may hold one more, to the replica, counted against the
replica's own max_connections. Behind PgBouncer (DATABASE_POOLER=pgbouncer) these are connections to PgBouncer;
PostgreSQL sees at most its pool (default_pool_size + reserve_pool_size per database) however many nodes run
(docs/deploy.md, 六、多机部署, "连接数预算").
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual 2 x cores + 1, capped: beyond 9 per node the database, not the node, becomes the limit.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
# Long PDF and Excel work runs in Celery; a request that takes longer than this is stuck, not working.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front (nginx) terminates TLS and says so in X-Forwarded-Proto; trust it only from loopback
# unless the deployment names its proxies.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"


# Metrics (django-prometheus) of all workers of a node, in one answer: with PROMETHEUS_MULTIPROC_DIR set (an
# empty directory the service owns, e.g. systemd RuntimeDirectory), each worker writes its counters there and
# /metrics adds them up; a worker that exits is marked dead so its gauges go.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):

    def child_exit(server, worker):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
