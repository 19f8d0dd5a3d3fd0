"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (see docs/deploy.md)."""
import faulthandler
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let one worker keep idle keep-alive connections open while serving others.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then, staggered, so a slow leak never grows for weeks.
max_requests = 5000
max_requests_jitter = 500
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
