"""The Django site and the database every part's state lives in.

``yardstick.web`` is the only package that imports Django. The core's stores are interfaces
(:mod:`yardstick.storage`); the apps here implement them over the ORM (``<app>/stores.py``), and
Django migrations are the only owner of the schema.
"""
