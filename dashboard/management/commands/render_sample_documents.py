"""Render the first page of each dashboard document as PNG (docs/documents/), from the data in the database.

Run it on the demo county: `python manage.py seed_demo && python manage.py render_sample_documents`.
Needs poppler's pdftoppm. The records are the richest of their kind, so the pictures show a full page.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, F, Q

from dashboard import documents
from dashboard.selectors import COUNTED_FINDING_EXCLUDED
from inspection.accounts.models import Jurisdiction
from rectification.models import Feedback
from rounds.models import Plan, TeamUnit

DEMO_JURISDICTION = "清河县"


class Command(BaseCommand):
    help = "将巡察报告、反馈意见、整改台账、统计报告的第一页渲染为 PNG（默认 docs/documents/）"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.BASE_DIR / "docs" / "documents"))
        parser.add_argument("--jurisdiction", default=DEMO_JURISDICTION, help="管辖范围名称（默认演示县）")
        parser.add_argument("--resolution", type=int, default=60)

    def handle(self, *args, output, jurisdiction, resolution, **options):
        if shutil.which("pdftoppm") is None:
            raise CommandError("需要 pdftoppm（poppler-utils）")
        place = Jurisdiction.objects.filter(name=jurisdiction).first()
        if place is None:
            raise CommandError(f"没有名为“{jurisdiction}”的管辖范围：请先运行 python manage.py seed_demo")
        records = self._records(place)
        target = Path(output)
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            for code, _title, _model, render in documents.DOCUMENTS:
                record = records.get(code)
                if record is None:
                    self.stdout.write(self.style.WARNING(f"跳过 {code}：数据库中没有可用的记录"))
                    continue
                content, filename, _ = render(record, lambda percent: None)
                pdf = Path(tmp) / "document.pdf"
                pdf.write_bytes(content)
                name = code.split(".", 1)[1]
                subprocess.run(
                    ["pdftoppm", "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile", str(pdf),
                     str(target / name)],
                    check=True,
                )
                self.stdout.write(f"  {filename} → {target / name}.png")
        self.stdout.write(self.style.SUCCESS("完成。"))

    def _records(self, place) -> dict:
        # Findings of the team unit's own round that a report counts.
        counted = ~Q(unit__findings__status__in=COUNTED_FINDING_EXCLUDED) & Q(unit__findings__round=F("round"))
        team_unit = (
            TeamUnit.objects.filter(round__jurisdiction=place)
            .annotate(n=Count("unit__findings", filter=counted))
            .order_by("-n", "id")
            .first()
        )
        feedback = (
            Feedback.objects.filter(jurisdiction=place).annotate(n=Count("plan__tasks")).order_by("-n", "id").first()
        )
        plan = Plan.objects.filter(jurisdiction=place).annotate(n=Count("rounds")).order_by("-n", "-start_year").first()
        return {
            "dashboard.inspection_report": team_unit,
            "dashboard.feedback_letter": feedback,
            "dashboard.rectification_ledger": feedback,
            "dashboard.term_statistics": plan,
        }

