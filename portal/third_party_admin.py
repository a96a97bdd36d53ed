"""The admin pages third-party apps bring, in bokmål.

django-axes' models and django-tasks' database backend mark most of their texts for translation, and our
catalogue (locale/nb) translates them; what they do not mark is put right here: the apps' names, the
task results' columns that are plain strings or property names, and how the rows name themselves (their
``__str__``, in English, is what the admin's titles, breadcrumbs and checkboxes show)."""

from django.apps import apps
from django.contrib import admin
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "axes": _("Login attempts"),
    "django_tasks_database": _("Background tasks"),
}


def _task_results_admin(base):
    class TaskResultAdmin(base):
        list_display = [
            "id",
            "task",
            "status",
            "enqueued_at",
            "started_at",
            "finished_at",
            "priority",
            "queue_name",
        ]

        @admin.display(description=_("task"))
        def task(self, obj):
            return obj.task_name

        @admin.display(description=_("traceback"))
        def formatted_traceback(self, obj):
            return super().formatted_traceback(obj)

        @admin.display(description=_("run after"))
        def display_run_after(self, obj):
            return super().display_run_after(obj)

    return TaskResultAdmin


def _when(moment) -> str:
    return formats.localize(timezone.localtime(moment)) if moment else "–"


def _access_failure_str(self) -> str:
    return gettext("Failed login by %(username)s at %(time)s from %(address)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
        "address": self.ip_address,
    }


def _access_attempt_str(self) -> str:
    return gettext("Login attempts by %(username)s from %(address)s") % {
        "username": self.username,
        "address": self.ip_address,
    }


def _access_log_str(self) -> str:
    return gettext("Login by %(username)s at %(time)s") % {"username": self.username, "time": _when(self.attempt_time)}


def _task_result_str(self) -> str:
    return gettext("Background task %(task)s (%(id)s)") % {"task": self.task_path.rsplit(".", 1)[-1], "id": self.pk}


def install(site) -> None:
    """Name the apps in bokmål and replace the task results' admin (called once the admin has autodiscovered)."""
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    AccessFailureLog.__str__ = _access_failure_str
    AccessAttempt.__str__ = _access_attempt_str
    AccessLog.__str__ = _access_log_str
    DBTaskResult.__str__ = _task_result_str

    if site.is_registered(DBTaskResult):
        base = type(site.get_model_admin(DBTaskResult))
        site.unregister(DBTaskResult)
        site.register(DBTaskResult, _task_results_admin(base))
