"""Accounts: Django users and their role assignments (role, plan or all plans, org-unit subtree)."""
