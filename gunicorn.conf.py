"""gunicorn settings for production (`make serve`, README "Drift"). Each can be set from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Two per core plus one is gunicorn's own rule of thumb for synchronous workers.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# No request should take long: the annual report's PDF is made by the task worker, not here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Restart workers now and then, so a slow leak in any library never grows without bound. Not too often: at the
# API's few hundred requests a second, 1,000 requests was a restart about every 10 s per worker (issue 19).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# The application is loaded once, before the workers are forked: a new or restarted worker serves at once instead
# of spending seconds importing Django (on a busy machine, 10 s during which its share of requests waited).
# Nothing opens a database connection at import, so no connection is shared between workers.
preload_app = True
# The portal writes one JSON line per request itself (portal.operations.RequestLogMiddleware).
accesslog = None
errorlog = "-"
# The proxy in front may say the request came over HTTPS (with DJANGO_BEHIND_PROXY=true).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
