"""WSGI entry point for production (settings in deploy/gunicorn.conf.py):
`KRATOM_DB=... gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server`.

Each worker imports this module at boot and is fully set up (callbacks registered) before it
takes its first request.
"""

from dashboard.app import create_app, set_up_now

server = set_up_now(create_app()).server
