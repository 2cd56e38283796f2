"""The online link checker: the only async code in citecheck; with online.py and archive/
the only code that imports httpx.

    checker.py    the links of a run: pre-check, cache, one task per URL, network down?
    http.py       the one request path: limits, retries, redirects, deadline, bounded body
    transport.py  the run's httpx client over an aiohttp transport; the safe resolver
    limits.py     global and per-host concurrency, per-host interval, 429 slow-down
    retry.py      pure: which failures are retried, the wait, Retry-After
    failures.py   pure: an exception -> what failed (NXDOMAIN, refused, reset, …)
    doi.py        DOIs through the DOI handle API
    classify.py   pure: what was fetched -> verdict (soft-404, paywall, challenge, …)
    page.py       pure: facts about an HTML body, in linear time
    facts.py      pure: the Fetched record and URL helpers (no httpx)
    safety.py     pure: which addresses are never fetched
    netcheck.py   is the network down, or are these links dead?
    cache.py      SQLite results with a TTL per verdict and failure history
    progress.py   the progress bar on stderr
"""
