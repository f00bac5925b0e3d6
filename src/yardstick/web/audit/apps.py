from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yardstick.web.audit"
    label = "audit"
    verbose_name = "Audit log"
