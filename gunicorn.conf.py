"""gunicorn's settings for this site (``make run``, the benches): ``gunicorn -c gunicorn.conf.py``.

Sync workers: a request is Django's ORM and templates, CPU and short PostgreSQL and
Redis round trips, nothing that waits long on the network; a sync worker per request
is the simplest model that keeps both cores busy. Three per core cover the time a
worker waits on PostgreSQL or Redis: a flash sale's answers before Django
(``flashsales.fastpath``) are mostly such a wait (a Redis round trip, then a few
tenths of a millisecond of Python), and on 2 cores six workers answered a crowd's
sold-out claims faster than four or eight (``bench/flash_sale.py`` and wrk,
2026-12-03); a storefront page waits on more round trips than that, so it is no
worse off. Past eight on one machine they only contend for memory and the
database's connections. ``WEB_CONCURRENCY`` (the usual variable of hosts) or
``--workers`` on the command line overrides the count.
"""

import multiprocessing
import os

wsgi_app = "marketplace.wsgi:application"
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(3 * multiprocessing.cpu_count(), 8))
# A loaded 2-core machine can take a while to answer a cold page; never kill a worker for it early.
timeout = 60
graceful_timeout = 20

# The cyclic garbage collector, tuned for a web worker. A request makes thousands of short-lived
# objects (querysets, model instances, form fields) that reference counting frees; with
# CPython's default first-generation threshold (700 allocations) the collector still ran about
# once per request (0.6 ms of a flash order's accepting POST), each time walking the request's
# live objects and promoting them, and now and then a full collection walked every object of the
# loaded site (Django, Oscar, the URLconf, the templates). Once the worker has loaded the
# application, its objects are frozen out of the collector's sight (they live as long as the
# worker) and the first generation waits for more allocations: the accepting POST took about 6 %
# less CPU in one process (requests interleaved, one threshold then the other). Cycles are still
# collected.
GC_FIRST_GENERATION = int(os.environ.get("GC_FIRST_GENERATION", "20000"))


def post_worker_init(worker):
    import gc

    gc.collect()
    gc.freeze()
    _first, second, third = gc.get_threshold()
    gc.set_threshold(GC_FIRST_GENERATION, second, third)
