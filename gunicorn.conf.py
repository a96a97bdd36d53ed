"""gunicorn settings for production (`make serve`, README "Drift"). Each can be set from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Two per core plus one is gunicorn's own rule of thumb for synchronous workers.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# No request should take long: the annual report's PDF is made by the task worker, not here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Restart workers now and then, so a slow leak in any library never grows without bound.
max_requests = 1000
max_requests_jitter = 100
# The portal writes one JSON line per request itself (portal.operations.RequestLogMiddleware).
accesslog = None
errorlog = "-"
# The proxy in front may say the request came over HTTPS (with DJANGO_BEHIND_PROXY=true).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
