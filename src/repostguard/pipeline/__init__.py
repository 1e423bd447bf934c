"""The pipeline: an export in, findings out.

:mod:`.scan` imports an export into the store and matches every item against the installed banks;
:mod:`.recheck` matches again what a list update changed; :mod:`.media` is the pass over the
workspace's pictures (OCR text, hashes) that the scan feeds to the matchers; :mod:`.groups` finds
items sharing a picture. In: a path and the store. Out: findings in the store and a findings JSON.
"""
