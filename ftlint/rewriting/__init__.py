"""Rewriting datasets: `fix`, `convert` and `split`.

Every command here reads records (``records``), decides each one's fate, and writes
through one ``Transaction`` that refuses paths colliding with an input or with each
other (``paths``) and renames its outputs into place only when all of them are
complete. Each record is counted once in the ``Ledger``; a repaired row is re-written
with ``exact`` serialisation and compared with its source before it is kept.
"""
