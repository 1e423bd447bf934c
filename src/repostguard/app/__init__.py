"""The local app: the review page a person opens in their browser (``repostguard review``).

:mod:`.web` is the Starlette application (findings, filters, search, decisions, charts, dossiers,
CSV export) with its security checks (strict CSP, a per-run token, CSRF guard, loopback only);
:mod:`.server` serves it on 127.0.0.1 at a random port. In: the workspace (through the view layer
and decisions). Out: pages, and the person's decisions written to the store.
"""
