"""Matchers: an item in, findings out (with evidence, level and explanation).

Every matcher follows :class:`~repostguard.matchers.base.Matcher`: :mod:`.fsm` (quotes, links,
audio and pages of the FSM, with :mod:`.quotes` and :mod:`.pages`), :mod:`.orgs` (organisation
names), :mod:`.statements` (wording read as a call or justification), :mod:`.identity` (what ties a
profile to the person), :mod:`.hashes` (known pictures). :mod:`.kinds` lists the kinds of
installed lists the re-check goes through. :mod:`.urls`, :mod:`.normalize`, :mod:`.morph` and
:mod:`.pieces` are the shared tools. Nothing here opens an address.
"""
