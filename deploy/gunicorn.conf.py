# kratom-watch: gunicorn settings for the dashboard (see docs/dashboard.md, "Serving under load").
# Run: KRATOM_DB=/var/lib/kratom-watch/kratom.duckdb \
#        gunicorn --config deploy/gunicorn.conf.py dashboard.wsgi:server
# bench/load_test.py serves with this file too (overriding only bind, workers and threads).

# Behind a reverse proxy (TLS, compression) on the same host.
bind = "127.0.0.1:8050"

# Processes x threads. A page update is ~10 parallel callback requests that mostly wait on
# DuckDB (which releases the GIL), so threaded workers keep a slow callback from blocking the
# rest of a browser's requests. Each worker holds its own read-only DuckDB instance.
workers = 4
worker_class = "gthread"
threads = 4

# A threaded worker heartbeats from its main loop, so a long extract (each query is capped at
# 120 s by dashboard/extracts.py) does not get it killed; this bounds a hung worker.
timeout = 180
graceful_timeout = 30
# Idle kept-alive connections are closed after this many seconds. Keep it above the proxy's
# own idle timeout (nginx upstream keepalive_timeout: 60 s) so the proxy closes first: a server
# closing an idle connection just as a request arrives on it resets that request (seen under
# load with 5 s).
keepalive = 75

# Each worker builds the Dash app and opens the database itself (lazily, on its first query).
preload_app = False
