"""Banks: the official lists and the tables the matchers read.

Every list goes through one lifecycle (:mod:`.lifecycle`): fetch from the official address, then
mirrors (an explicit network action); verify; install as the current version, keeping the
previous; refuse a much shorter list unless forced; diff; load. :mod:`.fsm` is the Federal List of
Extremist Materials, :mod:`.orgs` the organisation lists (one declaration each in ``ORG_LISTS``),
:mod:`.hashes` the banks of picture hashes, :mod:`.registry` every list ``lists update`` knows.
In: downloaded or given files. Out: parsed lists with their version and provenance.
"""
