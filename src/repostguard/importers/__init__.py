"""Importers: an export as the platform gave it in, unified items out.

One module per platform and format (VK archive and API JSON, Telegram, X, Facebook, Instagram,
Mastodon, the generic items format), each an :class:`~repostguard.importers._base.Importer` that
detects, verifies and streams items, keeping each raw record; :mod:`._archive` is the one rule for
ZIPs, folders and wrapper folders; :mod:`.registry` lists the importers, one line each. A bad
record is a counted warning, never a refused export.
"""
