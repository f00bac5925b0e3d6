"""The job table the worker drains: recomputes (and, with the site, reports) off the request path."""
