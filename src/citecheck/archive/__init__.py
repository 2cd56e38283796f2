"""Archived snapshots: the fix for a dead citation, and the evidence of content drift.

    types.py    Capture, Lookup, Drift: plain data shared by the stage and the rules
    cited.py    pure: each citation of a URL and the date its snapshot should be nearest
    choose.py   pure: which capture is "the page as the author read it"
    drift.py    pure: does the live page still say what the snapshot says
    fix.py      pure: the brief with "archived at … on …" after each dead URL
    http.py     the door to the archives: their limits, the breaker, answers validated
    wayback.py  Wayback availability API, then CDX (status 200 only)
    memento.py  any RFC 7089 TimeGate (Accept-Datetime)
    store.py    look-ups kept in the result cache
    stage.py    look-ups and drift, in the online stage's loop (online.py)

Importing this package (or types, choose, drift, fix) does not import httpx: the rules and the
CLI's fix writer use them on the offline path.
"""
