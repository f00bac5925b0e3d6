"""The changes people make, each checked, made, audited and followed up in one transaction.

One module per kind of change (plan versions, batches, entered values, recomputes). The command
line and the site call these same functions with an :class:`~yardstick.state.accounts.Actor`; a
function checks the actor's permission, makes the change through the storage interfaces, writes
the audit entry and enqueues the recompute of what the change made stale, all inside
``storage.atomic()``. Nothing here imports Django.
"""
