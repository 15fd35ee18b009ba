"""gunicorn's settings for `make serve`, read from the environment.

Workers are processes and threads serve requests inside each; a blog's
requests mostly wait on the database, so a few threads per worker serve more
readers than more workers would, in less memory.
"""

import os

from config.environment import env_int

_host = os.environ.get("HOST", "").strip() or "127.0.0.1"
_port = env_int("PORT", 8000)
# An IPv6 address needs brackets to be told from the port.
bind = [f"[{_host}]:{_port}" if ":" in _host else f"{_host}:{_port}"]

# GUNICORN_WORKERS wins; WEB_CONCURRENCY is what hosting platforms set.
workers = env_int("GUNICORN_WORKERS", env_int("WEB_CONCURRENCY", 2))
threads = env_int("GUNICORN_THREADS", 4)
worker_class = "gthread"
# A request slower than this is stuck (an upload of 10 MB on a slow link
# arrives through the proxy, which buffers it first).
timeout = env_int("GUNICORN_TIMEOUT", 30)
# Restart each worker now and then, staggered, so a slow leak never grows.
# Not often: a worker's start costs about a second of CPU, and a kept page
# under a millisecond. After 2,000 requests, a loaded server spent as long
# restarting workers as serving (README, "make serve").
max_requests = env_int("GUNICORN_MAX_REQUESTS", 100_000)
max_requests_jitter = max_requests // 10

# Both logs go to the console, for systemd's journal or the container's log:
# one line per request on stdout, start-up and errors on stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a proxy the client is in X-Forwarded-For: %({x-forwarded-for}i)s.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'

# gunicorn 24+ opens a control socket at one fixed path per user; Inkwell
# does not use it, and two servers on one machine would fight over it.
control_socket_disable = True
