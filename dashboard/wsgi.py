"""WSGI entry point for production: `KRATOM_DB=... gunicorn -w 4 dashboard.wsgi:server`."""

from dashboard.app import create_app

server = create_app().server
