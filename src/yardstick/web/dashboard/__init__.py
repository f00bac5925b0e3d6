"""The dashboard (總覽), KPI pages, org-unit pages and reports: values as stored, never computed on a request."""
