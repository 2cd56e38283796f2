"""The online link checker: the only async code in citecheck, and with online.py and archive/
the only code that imports httpx. The run of links is checker.py; every request goes through
http.py (limits.py, retry.py, transport.py); what came back is judged by classify.py (page.py,
facts.py); doi.py, netcheck.py, cache.py and progress.py do what their names say.
"""
