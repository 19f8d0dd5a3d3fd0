"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (see docs/deploy.md)."""
import faulthandler
import multiprocessing
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Threads let one worker keep idle keep-alive connections open while serving others. But on
# Python 3.11 the garbage collector, run from one thread, may walk another thread's frame
# while its stack is being changed (CPython issues 101975 and 111363): under load the
# worker dies of a segmentation fault. Python 3.12 runs the collector only between
# bytecodes, so threads are safe there; 3.11 gets single-threaded "sync" workers, which are
# safe behind nginx since nginx buffers slow clients.
THREADS_ARE_SAFE = sys.version_info >= (3, 12)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS",
                              "gthread" if THREADS_ARE_SAFE else "sync")
# gunicorn turns "sync" into "gthread" when threads > 1: one thread unless threaded.
threads = int(os.environ.get("GUNICORN_THREADS", "4" if worker_class == "gthread" else "1"))
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then, staggered, so a slow leak never grows for weeks. Rarely:
# a new worker starts with empty page and feed caches and builds each page again (up to
# a second for a whole-edition feed); every 5,000 requests, that was every half minute
# under load, and its queued requests made the slowest 5 % of answers.
max_requests = 200_000
max_requests_jitter = 20_000
# Load the app once in the master: a configuration error (e.g. no SECRET_KEY) stops the
# start at once instead of looping over dying workers; workers share the loaded code.
preload_app = True
accesslog = None  # nginx keeps the access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# X-Forwarded-* from the local nginx only; the app trusts them with TRUSTED_PROXIES=1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    """Each worker opens its own database connections, never the master's."""
    # A crash in a C extension then leaves every thread's Python stack in the error log.
    faulthandler.enable()
    from gstp.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
