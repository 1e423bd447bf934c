"""Clean-up: plan, encrypted backup, journal and deletion through the platforms' APIs.

Flow: decisions (``decisions`` table) -> :mod:`.planner` (an editable JSON plan) ->
:mod:`.backup` (every item to delete saved encrypted first) -> :mod:`.runner` (journal written
before and after each request, resumable) -> platform clients (:mod:`.vk`, :mod:`.telegram`,
:mod:`.x`) or the manual :mod:`.checklist` for platforms without a deletion API (:mod:`.manual`).
Each platform declares itself once (routes, owner detection, credentials, checklist wording) and
:mod:`.registry` lists the declarations, one line each.
In: the person's decisions and the workspace. Out: deletions on the platforms, the backup, the
journal and the checklist of what to remove by hand.
"""
