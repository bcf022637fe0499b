"""``python manage.py export_beancount --company CODE FILE``: the whole book as a beancount file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ennoshita.core.models import Company
from ennoshita.ledger.interchange import export_beancount


def find_company(code: str) -> Company:
    """A 13-digit code is a 法人番号; any other number is the company's id (the pk)."""
    code = code.strip()
    if len(code) == 13 and code.isdigit():
        found = Company.objects.filter(corporate_number=code).first()
    elif code.isdigit():
        found = Company.objects.filter(pk=int(code)).first()
    else:
        found = None
    if found is None:
        raise CommandError(f"company not found: {code} (give its id or its 13-digit 法人番号)")
    return found


class Command(BaseCommand):
    help = (
        "Write a company's whole book (every account, every posted entry) as a beancount file, "
        "UTF-8. Check it with `bean-check FILE`."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--company",
            required=True,
            metavar="CODE",
            help="the company: its id (pk, as in the admin and the URLs) or its 13-digit 法人番号",
        )
        parser.add_argument("file", metavar="FILE", help="the file to write; - for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        company = find_company(options["company"])
        text = export_beancount(company=company)
        if options["file"] == "-":
            sys.stdout.write(text)
            return
        Path(options["file"]).write_text(text, encoding="utf-8")
        self.stderr.write(f"{company.name}: {options['file']}")
