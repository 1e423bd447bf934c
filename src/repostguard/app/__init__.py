"""The local review page: findings, decisions, charts, dossiers (``repostguard review``).

Submodules: :mod:`.query` (selections over findings and full-text search), :mod:`.app` (the
Starlette application and its security checks), :mod:`.server` (127.0.0.1, random port,
random token), :mod:`.commands` (the ``review``, ``decide`` and ``dossier`` commands).
"""
