"""Archived snapshots: the fix for a dead citation, and the evidence of content drift.

stage.py runs the look-ups (wayback.py, memento.py, through http.py, cached by store.py) in the
online stage's loop; choose.py, cited.py, drift.py and fix.py are pure, and with types.py they
import no httpx: the rules and the CLI's fix writer use them on the offline path.
"""
