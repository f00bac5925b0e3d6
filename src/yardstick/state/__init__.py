"""The deployment's state behind small interfaces: accounts and roles, plan versions, org units,
the audit log and the job queue (the batch registry, element store and result store sit with the
parts they serve). The core depends only on these protocols; ``yardstick.web`` implements them over
the Django ORM, ``tests/fakes.py`` in memory.
"""
