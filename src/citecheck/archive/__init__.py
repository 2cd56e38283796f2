"""Archived snapshots: the fix for a dead citation, and the evidence of content drift.

stage.py runs the look-ups (wayback.py, memento.py, through http.py, cached by store.py) in the
online stage's loop; choose.py, cited.py and drift.py are pure, and with types.py they import
no httpx: the rules use them on the offline path. Writing the fix into a copy of the
publication is citecheck.fix's: it edits a document, and asks nothing of an archive.
"""
