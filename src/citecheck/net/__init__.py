"""The online link checker: the only async code in citecheck, and with online.py the only
code that imports httpx.

    checker.py    the run: pre-check, cache, one task per URL, network-down decision
    fetch.py      one URL: HEAD/GET, redirects by hand, retries, bounded body
    transport.py  the httpx client over a lean aiohttp transport; the safe resolver
    limits.py     global and per-host concurrency, per-host interval, 429 slow-down
    retry.py      pure: which failures are retried, and the wait
    failures.py   pure: an exception -> what failed (NXDOMAIN, refused, reset, …)
    classify.py   pure: what was fetched -> verdict (soft-404, paywall, challenge, …)
    page.py       pure: cheap facts about an HTML body
    facts.py      pure: the Fetched record and URL helpers (no httpx)
    safety.py     pure: which addresses are never fetched
    netcheck.py   is the network down, or are these links dead?
    cache.py      SQLite results with a TTL per verdict and failure history
    progress.py   the progress bar on stderr
"""
