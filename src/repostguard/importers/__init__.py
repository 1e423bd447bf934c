"""Importers: one per export format, registered explicitly in :mod:`repostguard.importers.registry`."""
