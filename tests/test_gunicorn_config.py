"""gunicorn settings: threaded workers only where the interpreter's collector is thread-safe."""
import runpy
import sys
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def _settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_WORKER_CLASS", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_threads_only_on_python_312_and_later(monkeypatch):
    settings = _settings(monkeypatch)
    if sys.version_info >= (3, 12):
        assert (settings["worker_class"], settings["threads"]) == ("gthread", 4)
    else:
        # gunicorn silently turns "sync" with threads > 1 into gthread: one thread it must be.
        assert (settings["worker_class"], settings["threads"]) == ("sync", 1)


def test_worker_class_and_threads_can_be_chosen(monkeypatch):
    settings = _settings(monkeypatch, GUNICORN_WORKER_CLASS="gthread", GUNICORN_THREADS="8")
    assert (settings["worker_class"], settings["threads"]) == ("gthread", 8)
    settings = _settings(monkeypatch, GUNICORN_WORKER_CLASS="sync")
    assert (settings["worker_class"], settings["threads"]) == ("sync", 1)
