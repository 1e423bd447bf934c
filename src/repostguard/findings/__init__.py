"""Findings explained: the legal context of a finding (articles, penalties, limitation, escalation,
sources), as risk and never as a verdict. In: a finding row and the store. Out: its legal context.
"""
