"""gunicorn settings of `make serve` and of benchmarks/pages_bench.py, so both run the same."""

import os

# Threaded workers, cores + 1 processes: measured on this 2-core machine with 10,000 documents
# (document page, wrk with 16 connections), 4 sync workers served 127 requests/s and 3 gthread
# workers of 2 threads 224. Sync workers close the connection after every response, so each
# request paid a new TCP connection, and 16 clients queued behind 4 single-request processes.
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "3"))
threads = int(os.environ.get("WEB_THREADS", "2"))
keepalive = 5
timeout = 30
