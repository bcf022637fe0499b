"""The background worker: runs queued tasks (django-tasks-db's db_worker) and, every half minute,
starts the scheduled jobs that are due (core.schedule). `make run` starts it beside gunicorn."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from ennoshita.core.schedule import run_due_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run background tasks and scheduled jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
        parser.add_argument(
            "--schedule-every", type=float, default=30.0, help="seconds between schedule checks"
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="start what is due, run every queued task, then exit (cron, tests)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError("run_worker needs the database task backend (TASKS setting)")
        self._check_schedule()
        if not options["batch"]:
            stop = threading.Event()
            thread = threading.Thread(
                target=self._schedule_loop,
                args=(stop, options["schedule_every"]),
                name="scheduler",
                daemon=True,
            )
            thread.start()
        call_command(
            "db_worker",
            queue_name="*",
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            startup_delay=False,
            verbosity=options["verbosity"],
        )

    def _check_schedule(self) -> None:
        try:
            started = run_due_jobs()
        except Exception:
            logger.exception("the schedule check failed; it is tried again")
            return
        finally:
            connections.close_all()  # this thread's connections only
        for run in started:
            self.stdout.write(f"scheduled: {run.name} ({run.slot})")

    def _schedule_loop(self, stop: threading.Event, every: float) -> None:
        while not stop.wait(every):
            self._check_schedule()
