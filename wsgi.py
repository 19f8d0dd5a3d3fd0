"""WSGI entry point: gunicorn wsgi:app, flask --app wsgi …"""
from gstp import create_app

app = create_app()
