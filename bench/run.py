"""Measure the operations of issue 9 on the data `bench.generate` loaded.

    DJANGO_SETTINGS_MODULE=inspection.settings.local \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xuncha_bench \\
    .venv/bin/python -m bench.run [--runs 30] [--only findings,leads] [--write] [--explain]

In-process with Django's test Client: server time (middleware, view, queries, serialization, templates; no network),
median and 95th percentile over `--runs` requests after warm-up, and the number of SQL queries of one request
(CaptureQueriesContext). Each list endpoint is also timed as one hand-written SQL query through psycopg2 plus
json.dumps of the same rows: the floor. `--write` puts the table into bench/RESULTS.md between the markers.
Operations that do not exist (yet) are reported as such, never estimated.
"""

import argparse
import base64
import json
import multiprocessing
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
SLOW_SECONDS = 0.5  # an operation slower than this in warm-up is timed fewer times
SLOW_RUNS = 5
VERY_SLOW_SECONDS = 5.0
VERY_SLOW_RUNS = 2


@dataclass
class Result:
    group: str
    name: str
    target: str = ""
    p50_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    floor_ms: float | None = None
    ratio: float | None = None
    met: str = ""
    note: str = ""
    runs: int = 0
    extra: dict = field(default_factory=dict)
    slowest_sql: str = ""
    slowest_sql_ms: float | None = None


def _percentile(values, q):
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    k = (len(values) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def time_calls(fn, runs: int, warmup: int = 2) -> tuple[list[float], object]:
    """Warm up, then time `runs` calls (seconds). Fewer runs for slow operations: SLOW_RUNS above SLOW_SECONDS,
    VERY_SLOW_RUNS (and one warm-up) above VERY_SLOW_SECONDS."""
    last = None
    per_call = 0.0
    for i in range(max(1, warmup)):
        t0 = time.perf_counter()
        last = fn()
        per_call = time.perf_counter() - t0
        if per_call > VERY_SLOW_SECONDS and i == 0:
            break
    if per_call > VERY_SLOW_SECONDS:
        runs = min(runs, VERY_SLOW_RUNS)
    elif per_call > SLOW_SECONDS:
        runs = min(runs, SLOW_RUNS)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        last = fn()
        times.append(time.perf_counter() - t0)
    return times, last


def count_queries(fn):
    """Run fn once, counting its SQL statements and keeping the slowest. An execute wrapper, not Django's
    CaptureQueriesContext: that reads a query log capped at 9,000 entries, so a long job reads as 9,000 queries
    and the request after it as none."""
    from django.db import connection

    captured = {"count": 0, "slowest": None}

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            captured["count"] += 1
            if captured["slowest"] is None or elapsed > float(captured["slowest"]["time"]):
                captured["slowest"] = {"sql": sql if params is None else _interpolate(sql, params), "time": elapsed}

    with connection.execute_wrapper(wrapper):
        value = fn()
    return captured["count"], value, captured["slowest"]


def _interpolate(sql, params):
    """The statement with its parameters, for EXPLAIN (`--explain`) and the JSON report."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            return cursor.mogrify(sql, params).decode() if hasattr(cursor, "mogrify") else sql
    except Exception:  # a statement that cannot be rendered is still reported, without its parameters
        return sql


class Bench:
    def __init__(self, runs: int = 30, warmup: int = 2, log=print, only: set | None = None, in_test: bool = False):
        # in_test: inside a test's transaction the floor must use Django's own connection (a second one would not
        # see the uncommitted rows) and the Excel export cannot run in a forked process.
        self.in_test = in_test
        self.runs = runs
        self.warmup = warmup
        self.log = log
        self.only = only
        self.results: list[Result] = []
        self._raw = None

    # --- setup --------------------------------------------------------------------------------------------
    def setup(self):
        from django.db.models import Count

        from bench.generate import BENCH_USERNAMES, REPORT_UNIT_NAME
        from findings.models import Finding
        from inspection.accounts.models import User
        from inspection.units.models import Unit

        self.county_user = User.objects.get(username=BENCH_USERNAMES["county_office"])
        self.province_user = User.objects.get(username=BENCH_USERNAMES["province"])
        self.superuser = User.objects.get(username=BENCH_USERNAMES["superuser"])
        self.county_id = self.county_user.jurisdiction_id
        # The generator numbers rows office by office (as after an office-by-office migration), so the bench county
        # holds low ids; the last county holds the newest ids: the best case for lists ordered by -id.
        self.newest_county_user = (
            User.objects.filter(role="office", jurisdiction__level="county").order_by("-jurisdiction_id", "id").first()
        )
        self.report_unit = Unit.objects.get(name=REPORT_UNIT_NAME)
        self.report_round_id = (
            Finding.objects.filter(unit=self.report_unit).values_list("round_id", flat=True).order_by().first()
        )
        # A unit of the county's latest (on-site) round: where a member writes a new finding.
        latest = (
            Finding.objects.filter(round__jurisdiction_id=self.county_id)
            .values("unit_id", "round_id").annotate(n=Count("id")).order_by("-round_id", "unit_id").first()
        )
        self.dup_unit_id = latest["unit_id"]
        sample = Finding.objects.filter(unit_id=self.dup_unit_id).order_by("id").first()
        self.dup_title = sample.title[:12] + "的问题"
        self.dup_facts = sample.facts[:40]
        self.detail_finding = (
            Finding.objects.filter(round__jurisdiction_id=self.county_id, status="approved").order_by("id").first()
        )

    def client_for(self, user):
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        client.force_login(user, backend="inspection.accounts.backends.AccountBackend")
        # Production enforces a second factor for these roles: log in as a verified session, as a browser would be.
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    def raw(self):
        """A psycopg2 connection of its own for the floor (no Django in the way)."""
        from django.db import connection

        if self.in_test:
            connection.ensure_connection()
            return connection.connection
        if self._raw is None:
            import psycopg2

            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            self._raw = psycopg2.connect(**params)
            self._raw.autocommit = True
        return self._raw

    def wanted(self, group: str) -> bool:
        return not self.only or group in self.only

    def add(self, result: Result):
        self.results.append(result)
        shown = f"p50 {result.p50_ms} ms  p95 {result.p95_ms} ms  q {result.queries}" if result.p50_ms is not None else ""
        ratio = f"  floor {result.floor_ms} ms ×{result.ratio}" if result.ratio is not None else ""
        self.log(f"[{result.group}] {result.name}: {shown}{ratio} {result.met} {result.note}".rstrip())

    # --- measuring ----------------------------------------------------------------------------------------
    def measure(self, group, name, fn, *, target="", limit_ms=None, floor_sql=None, check=None, note=""):
        result = Result(group=group, name=name, target=target, note=note)
        try:
            queries, value, slowest = count_queries(fn)
            problem = check(value) if check else None
            if problem:
                result.note = (result.note + " " + problem).strip()
                result.met = "error"
                self.add(result)
                return result
            times, _ = time_calls(fn, self.runs, self.warmup)
        except Exception as exc:  # a broken endpoint is a result too
            result.met = "error"
            result.note = (result.note + f" {type(exc).__name__}: {exc}").strip()[:300]
            self.add(result)
            return result
        result.runs = len(times)
        result.queries = queries
        result.p50_ms = round(statistics.median(times) * 1000, 1)
        result.p95_ms = round(_percentile(times, 0.95) * 1000, 1)
        if slowest is not None:
            result.slowest_sql = slowest["sql"]
            result.slowest_sql_ms = round(float(slowest["time"]) * 1000, 1)
        if floor_sql is not None:
            sql, params = floor_sql
            floor_times, _ = time_calls(lambda: self.floor(sql, params), self.runs, self.warmup)
            result.floor_ms = round(statistics.median(floor_times) * 1000, 2)
            result.ratio = round(result.p50_ms / result.floor_ms, 1) if result.floor_ms else None
        if limit_ms is not None:
            ok = result.p95_ms < limit_ms and (result.ratio is None or result.ratio <= 2.0)
            result.met = "yes" if ok else "NO"
        self.add(result)
        return result

    def floor(self, sql, params):
        with self.raw().cursor() as cursor:
            cursor.execute(sql, params)
            columns = [c.name for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return json.dumps({"results": rows}, default=str, ensure_ascii=False)

    def get(self, client, url):
        def call():
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                for _ in response.streaming_content:
                    pass
            else:
                _ = response.content
            return response

        return call

    @staticmethod
    def ok(response):
        if response.status_code != 200:
            return f"HTTP {response.status_code}"
        return None

    def missing(self, group, name, target, why):
        self.add(Result(group=group, name=name, target=target, met="n/a", note=why))

    # --- list endpoints and pages --------------------------------------------------------------------------
    def lists(self):
        county = self.client_for(self.county_user)
        admin = self.client_for(self.superuser)
        cid = self.county_id
        target = "p95 < 50 ms, ≤ 2× floor, constant queries"
        specs = [
            ("findings", ["finding-list"], ["findings:finding_list"], FINDING_FLOOR, "status=approved"),
            ("tasks", ["task-list", "rectification-task-list", "rectification:task-list"],
             ["rectification:task_list", "rectification:tasks"], TASK_FLOOR, "status=in_progress"),
            ("leads", ["referral-lead-list", "lead-list"], ["referrals:lead_list"], LEAD_FLOOR, "status=received"),
        ]
        if any(self.wanted(group) for group, *_ in specs):
            # What any authenticated API request costs before it reads a row: middleware, the session (cache), the
            # user and second-factor device lookups, throttling, DRF dispatch and rendering of a small JSON body.
            self.measure("fixed", "API root, no rows (county office): the per-request cost every list pays",
                         self.get(county, _url(["api-root"]) or "/api/"), target="(reference)", check=self.ok)
        notes = {"leads": "leads are secret: the request also writes and commits one read-log row per lead listed "
                          "(a durable INSERT the floor does not do)"}
        for group, api_names, page_names, floor, usual_filter in specs:
            if not self.wanted(group):
                continue
            note = notes.get(group, "")
            api = _url(api_names)
            status_value = usual_filter.split("=")[1]
            if api is None:
                self.missing(group, "API list", target, f"no list endpoint yet (looked for {', '.join(api_names)})")
            else:
                self.measure(group, "API first page (county office)", self.get(county, api), target=target,
                             limit_ms=50, floor_sql=(floor["first"], {"j": cid, "s": None}), check=self.ok, note=note)
                self.measure(group, f"API first page, {usual_filter} (county office)",
                             self.get(county, f"{api}?{usual_filter}"), target=target, limit_ms=50,
                             floor_sql=(floor["first"], {"j": cid, "s": status_value}), check=self.ok, note=note)
                newest = self.newest_county_user
                if newest is not None and newest.jurisdiction_id != cid:
                    self.measure(group, "API first page (office of the county with the newest ids)",
                                 self.get(self.client_for(newest), api), target=target, limit_ms=50,
                                 floor_sql=(floor["first"], {"j": newest.jurisdiction_id, "s": None}),
                                 check=self.ok, note=note)
                deep = self.deep_cursor(county, api, floor["model_scope"](cid))
                if deep is None:
                    self.missing(group, "API deep page (county office)", target, "cursor not ordered by id")
                else:
                    url, position = deep
                    self.measure(group, "API deep page (county office)", self.get(county, url), target=target,
                                 limit_ms=50, floor_sql=(floor["deep"], {"j": cid, "s": None, "p": position}),
                                 check=self.ok, note=note)
                self.measure(group, "API first page (province superuser)", self.get(admin, api), target=target,
                             limit_ms=50, floor_sql=(floor["first_all"], {}), check=self.ok, note=note)
                deep = self.deep_cursor(admin, api, floor["model_scope"](None))
                if deep is not None:
                    url, position = deep
                    self.measure(group, "API deep page (province superuser)", self.get(admin, url), target=target,
                                 limit_ms=50, floor_sql=(floor["deep_all"], {"p": position}), check=self.ok, note=note)
            page = _url(page_names)
            if page is None:
                self.missing(group, "page", target, f"no list page yet (looked for {', '.join(page_names)})")
                continue
            self.measure(group, "page 1 (county office)", self.get(county, page), target=target, limit_ms=50,
                         check=self.ok, note=note)
            self.measure(group, f"page 1, {usual_filter} (county office)", self.get(county, f"{page}?{usual_filter}"),
                         target=target, limit_ms=50, check=self.ok, note=note)
            self.measure(group, "last page (county office)", self.get(county, f"{page}?page=last"), target=target,
                         limit_ms=50, check=self.ok, note=note)
            self.measure(group, "page 1 (province superuser)", self.get(admin, page), target=target, limit_ms=50,
                         check=self.ok, note=note)
            self.measure(group, "last page (province superuser)", self.get(admin, f"{page}?page=last"),
                         target=target, limit_ms=50, check=self.ok, note=note)

    def deep_cursor(self, client, api, scope_ids):
        """A cursor near the end of the scope, if the endpoint's cursor is positioned on the id."""
        response = client.get(api)
        if response.status_code != 200:
            return None
        body = response.json()
        nxt, rows = body.get("next"), body.get("results") or []
        if not nxt or not rows:
            return None
        token = parse_qs(urlparse(nxt).query).get("cursor", [""])[0]
        decoded = parse_qs(base64.b64decode(token.encode()).decode())
        if decoded.get("p", [None])[0] != str(rows[-1].get("id")):
            return None
        position = scope_ids.order_by("id").values_list("id", flat=True)[60:61]
        position = list(position)
        if not position:
            return None
        cursor = base64.b64encode(urlencode({"p": position[0]}).encode()).decode()
        return f"{api}?{urlencode({'cursor': cursor})}", position[0]

    # --- detail, dashboard, duplicates ------------------------------------------------------------------------
    def detail(self):
        if not self.wanted("detail"):
            return
        county = self.client_for(self.county_user)
        pk = self.detail_finding.pk
        for name, url in (("finding detail page", _url(["findings:finding_detail"], pk=pk)),
                          ("finding detail API", _url(["finding-detail"], pk=pk))):
            if url is None:
                self.missing("detail", name, "", "no such URL")
                continue
            self.measure("detail", f"{name} (county office)", self.get(county, url), target="constant queries",
                         check=self.ok)

    def dashboard(self):
        if not self.wanted("dashboard"):
            return
        county = self.client_for(self.county_user)
        province = self.client_for(self.province_user)
        for name, names in (("home page", ["home"]), ("figures page", ["dashboard:figures"]),
                            ("figures API", ["api-dashboard-figures"])):
            url = _url(names)
            if url is None:
                self.missing("dashboard", name, "", "no such URL")
                continue
            self.measure("dashboard", f"{name} (county office)", self.get(county, url), target="< 150 ms",
                         limit_ms=150, check=self.ok)
        try:
            from dashboard import rollup
        except ImportError:
            self.missing("dashboard", "province roll-up", "< 1 s", "no dashboard.rollup")
            return
        # The roll-up reads per-office counters that a Celery task refreshes hourly: time that task's body once
        # (it stays: the pages below read what it wrote), then the pages.
        offices = self.province_user.jurisdiction.__class__.objects.count()
        saved, self.runs = self.runs, 1
        try:
            written = {}
            result = self.measure("jobs", f"roll-up refresh over {offices} offices (hourly Celery task body)",
                                  lambda: written.setdefault("rows", rollup.refresh()), target="(background)")
            result.note = f"{written.get('rows', 0):,d} counter rows (whole term and each year per office)"
        finally:
            self.runs = saved
        for name, names in (("home page", ["home"]), ("roll-up page", ["dashboard:rollup"]),
                            ("roll-up API", ["api-dashboard-rollup"])):
            url = _url(names)
            if url is None:
                self.missing("dashboard", f"{name} (province office)", "< 1 s", "no such URL")
                continue
            self.measure("dashboard", f"{name} (province office: roll-up of every city and county)",
                         self.get(province, url), target="< 1 s", limit_ms=1000, check=self.ok)
            year = timezone_year()
            self.measure("dashboard", f"{name}, year={year} (province office)",
                         self.get(province, f"{url}?year={year}"), target="< 1 s", limit_ms=1000, check=self.ok)

    def duplicates(self):
        if not self.wanted("duplicates"):
            return
        county = self.client_for(self.county_user)
        api = _url(["finding-duplicates"])
        if api is None:
            self.missing("duplicates", "duplicate check", "< 50 ms", "no duplicates endpoint")
            return
        query = urlencode({"unit": self.dup_unit_id, "title": self.dup_title, "facts": self.dup_facts})
        self.measure("duplicates", "duplicate check API, unit of the on-site round (county office)",
                     self.get(county, f"{api}?{query}"), target="< 50 ms", limit_ms=50, check=self.ok)
        query = urlencode({"unit": self.report_unit.pk, "title": self.dup_title, "facts": self.dup_facts})
        self.measure("duplicates", "duplicate check API, unit with 300 findings (county office)",
                     self.get(county, f"{api}?{query}"), target="< 50 ms", limit_ms=50, check=self.ok)

    # --- jobs and documents -------------------------------------------------------------------------------
    def reminders(self):
        if not self.wanted("reminders"):
            return
        try:
            from rectification import reminders
        except ImportError:
            self.missing("jobs", "daily reminder job", "< 10 s", "rectification.reminders not present")
            return
        from django.db import transaction
        from django.utils import timezone

        from rectification.models import Task

        class Rollback(Exception):
            pass

        def daily(today=None, clear=False):
            def call():
                out = {}
                try:
                    with transaction.atomic():
                        if clear:
                            from rectification.models import PlanReminder, ReportReminder, TaskReminder

                            TaskReminder.objects.all().delete()
                            PlanReminder.objects.all().delete()
                            ReportReminder.objects.all().delete()
                        out.update(reminders.send_reminders(today=today))
                        raise Rollback
                except Rollback:
                    pass
                return out

            return call

        tasks = Task.objects.count()
        saved, self.runs = self.runs, min(self.runs, 3)
        try:
            result = self.measure("jobs", f"daily reminder job over {tasks:,d} tasks (rolled back)", daily(),
                                  target="< 10 s", limit_ms=10_000)
            if result.met != "error":
                _, summary, _ = count_queries(daily())
                result.extra["summary"] = summary
                result.note = f"sent {summary}"
            today = timezone.localdate() + timedelta(days=1)
            result = self.measure("jobs", "reminder job, first run ever (no reminder sent before; rolled back)",
                                  daily(today, clear=True), target="(worst case)")
            if not self.in_test and result.met != "error":
                peak, summary = _peak_memory_in_child(daily(today, clear=True))
                result.note = f"sent {summary}; peak memory {peak} MB above the process before the run"
        finally:
            self.runs = saved

    def report_pdf(self):
        if not self.wanted("pdf"):
            return
        from rounds.models import TeamUnit

        team_unit = TeamUnit.objects.get(round_id=self.report_round_id, unit=self.report_unit)
        saved, self.runs = self.runs, min(self.runs, 5)
        try:
            try:
                from inspection.exports import registry

                spec = registry.get("dashboard.inspection_report")
            except (ImportError, LookupError):
                spec = None
            if spec is None:
                self.missing("documents", "unit inspection report PDF (300 findings)", "< 5 s",
                             "no renderer registered as dashboard.inspection_report")
            else:
                def render():
                    content, _, _ = spec.render(team_unit, lambda percent: None)
                    if not content.startswith(b"%PDF"):
                        raise ValueError("not a PDF")
                    return len(content)

                result = self.measure(
                    "documents", "unit inspection report PDF, 300 findings (renderer the Celery task calls)", render,
                    target="< 5 s", limit_ms=5000,
                )
                if result.met != "error":
                    result.note = f"{render() / 1e6:.2f} MB PDF; WeasyPrint, in-process (no queue wait)"
            html = _url(["findings:unit_report"], round_id=self.report_round_id, unit_id=self.report_unit.pk)
            if html is not None:
                county = self.client_for(self.county_user)
                self.measure("documents", "unit report HTML page, 300 findings (county office)",
                             self.get(county, html), target="", check=self.ok)
        finally:
            self.runs = saved

    def excel(self):
        if not self.wanted("excel"):
            return
        ledger = _url(["dashboard:ledger"], kind="tasks")
        rows = None
        if ledger is not None:
            query, rows = _ledger_filter_near(100_000)
            ledger = f"{ledger}?{query}" if query else ledger
        if self.in_test:
            out = _excel_export(ledger, self.superuser.pk)
        else:
            superuser_id = self.superuser.pk
            out = _in_child(lambda: _excel_export(ledger, superuser_id))
        name = "Excel export of ~100,000 tasks" + (f" (ledger view, {ledger.split('?')[-1]}, province superuser)"
                                                   if ledger else " (proxy: core.excel helper)")
        result = Result(group="documents", name=name, target="< 200 MB peak")
        if "error" in out:
            result.met, result.note = "error", out["error"]
        else:
            result.p50_ms = result.p95_ms = round(out["seconds"] * 1000)
            result.queries = out["queries"]
            result.runs = 1
            result.extra = out
            result.met = "yes" if out["rss_growth_mb"] < 200 else "NO"
            out["rows"] = rows if out["rows"] < 0 and rows is not None else out["rows"]
            result.note = (
                f"{out['rows']:,d} rows, {out['bytes'] / 1e6:.1f} MB file; peak memory {out['rss_growth_mb']} MB "
                f"above the process's {out['base_rss_mb']} MB before the export (VmHWM of a forked process)"
            )
            if not ledger:
                result.note += ("; no task ledger view yet, so the rows go through inspection.core.excel."
                                "export_response as a ledger would")
        self.add(result)

    # --- 待办 (issue 16) ----------------------------------------------------------------------------------
    def todo_users(self) -> list[tuple[str, object]]:
        """One user of each role that has a to-do, in the benchmarked county: the office, the leading group, a team
        leader and a member on an active place, the liaison of a unit that was fed back, the discipline receiver."""
        from inspection.accounts.models import User
        from rectification.models import Feedback
        from rounds.models import Membership

        county = User.objects.filter(jurisdiction_id=self.county_id, is_active=True)
        users = [("county office", self.county_user),
                 ("leading group", county.filter(role="leading_group").order_by("id").first())]
        for role, label in (("team_leader", "team leader"), ("team_member", "team member")):
            place = (Membership.objects.filter(is_active=True, cadre__user__role=role,
                                               team__round__jurisdiction_id=self.county_id)
                     .select_related("cadre__user").order_by("-team__round__start_date", "id").first())
            users.append((label, place.cadre.user if place else None))
        feedback = Feedback.objects.filter(jurisdiction_id=self.county_id).order_by("-held_on", "id").first()
        liaison = county.filter(role="unit_liaison", unit_id=feedback.unit_id).first() if feedback else None
        users.append(("unit liaison", liaison))
        users.append(("discipline", county.filter(role="discipline").order_by("id").first()))
        return users

    def todo(self):
        if not self.wanted("todo"):
            return
        target = "< 50 ms, constant queries"
        pages = (("to-do page", "dashboard:todo"), ("navigation count", "dashboard:todo_count"),
                 ("to-do API", "api-todo"))
        for label, user in self.todo_users():
            if user is None:
                self.missing("todo", f"to-do ({label})", target, "no such user in the generated data")
                continue
            client = self.client_for(user)
            for name, url_name in pages:
                url = _url([url_name])
                if url is None:
                    self.missing("todo", f"{name} ({label})", target, "no such URL")
                    continue
                self.measure("todo", f"{name} ({label})", self.get(client, url), target=target, limit_ms=50,
                             check=self.ok)

    def run(self):
        self.setup()
        self.lists()
        self.detail()
        self.dashboard()
        self.todo()
        self.duplicates()
        self.reminders()
        self.report_pdf()
        self.excel()
        return self.results


def _in_child(fn):
    """fn() in a forked process, so that its peak resident memory (VmHWM, reset at fork) is the operation's own."""
    from django.db import connections

    def child(queue):
        queue.put(fn())

    ctx = multiprocessing.get_context("fork")
    connections.close_all()  # the child opens its own; a shared socket would break both
    queue = ctx.Queue()
    process = ctx.Process(target=child, args=(queue,))
    process.start()
    out = queue.get(timeout=3600)
    process.join()
    return out


def _peak_memory_in_child(fn) -> tuple[float, object]:
    """(MB of peak memory fn() used above the process at the fork, fn's value)."""

    def measured():
        base = _status_mb("VmRSS")
        value = fn()
        return round(max(0.0, _status_mb("VmHWM") - base), 1), value

    return _in_child(measured)


def _status_mb(key: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _excel_export(ledger, superuser_id) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        base_rss = _status_mb("VmRSS")
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            if ledger:
                from inspection.accounts.models import User

                client = Bench(in_test=True).client_for(User.objects.get(pk=superuser_id))
                response = client.get(ledger)
                rows = -1
            else:
                from inspection.core.excel import export_response
                from rectification.models import Task

                queryset = (
                    Task.objects.order_by("id")
                    .values_list("id", "finding__title", "plan__feedback__unit__name", "responsible_leader",
                                 "responsible_department", "deadline", "kind", "status", "measures")[:100_000]
                )
                headers = ["编号", "问题", "单位", "责任领导", "责任部门", "整改时限", "整改类型", "状态", "整改措施"]
                response = export_response(filename="整改任务.xlsx", title="整改任务", headers=headers,
                                           rows=queryset.iterator(chunk_size=2000))
                rows = queryset.count()
            size = sum(len(chunk) for chunk in response.streaming_content) if hasattr(
                response, "streaming_content") else len(response.content)
        seconds = time.perf_counter() - started
        return {
            "seconds": round(seconds, 2), "rows": rows, "bytes": size, "queries": len(ctx.captured_queries),
            "rss_growth_mb": round(max(0.0, _status_mb("VmHWM") - base_rss), 1), "base_rss_mb": round(base_rss, 1),
            "status": getattr(response, "status_code", 200),
        }
    except Exception as exc:  # reported, not raised: the parent writes it into the table
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def _ledger_filter_near(target: int) -> tuple[str, int]:
    """The task-list filter (status, kind) whose province-wide row count is nearest `target`."""
    from django.db.models import Count

    from rectification.models import Task

    best = ("", Task.objects.count())
    groups = Task.objects.order_by().values("status", "kind").annotate(n=Count("id"))
    by_status: dict = {}
    for row in groups:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        if abs(row["n"] - target) < abs(best[1] - target):
            best = (urlencode({"status": row["status"], "kind": row["kind"]}), row["n"])
    for status, n in by_status.items():
        if abs(n - target) < abs(best[1] - target):
            best = (urlencode({"status": status}), n)
    return best


def _url(names, **kwargs):
    from django.urls import NoReverseMatch, reverse

    for name in names:
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return None


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


# --- floors: the same rows as the endpoint, one hand-written query, encoded as JSON ---------------------------

def _floor(select: str, joins: str, scope: str, status_column: str, model_scope):
    where_county = f"{scope} = %(j)s AND (%(s)s::text IS NULL OR {status_column} = %(s)s)"
    return {
        "first": f"SELECT {select} FROM {joins} WHERE {where_county} ORDER BY 1 DESC LIMIT 51",
        "deep": f"SELECT {select} FROM {joins} WHERE {where_county} AND {select.split(',')[0]} < %(p)s "
                f"ORDER BY 1 DESC LIMIT 51",
        "first_all": f"SELECT {select} FROM {joins} ORDER BY 1 DESC LIMIT 51",
        "deep_all": f"SELECT {select} FROM {joins} WHERE {select.split(',')[0]} < %(p)s ORDER BY 1 DESC LIMIT 51",
        "model_scope": model_scope,
    }


def _finding_scope(jurisdiction_id):
    from findings.models import Finding

    queryset = Finding.objects.all()
    return queryset.filter(jurisdiction_id=jurisdiction_id) if jurisdiction_id else queryset


def _task_scope(jurisdiction_id):
    from rectification.models import Task

    queryset = Task.objects.all()
    return queryset.filter(jurisdiction_id=jurisdiction_id) if jurisdiction_id else queryset


def _lead_scope(jurisdiction_id):
    from referrals.models import Lead

    queryset = Lead.objects.all()
    return queryset.filter(jurisdiction_id=jurisdiction_id) if jurisdiction_id else queryset


# The floors are the best single query we know for the rows: the scope column of the row's own table with its
# (jurisdiction, -id) index, and the names of related rows as scalar subqueries. Written as seven joins the same
# query spends 3–8 ms in the planner's join search for 0.5 ms of execution; a floor must not flatter the app.
FINDING_FLOOR = _floor(
    "f.id, f.title, f.status, f.round_id, r.number AS round_number, r.kind AS round_kind, r.topic, f.team_id, "
    "(SELECT t.name FROM rounds_team t WHERE t.id = f.team_id) AS team_name, f.unit_id, "
    "(SELECT u.name FROM units_unit u WHERE u.id = f.unit_id) AS unit_name, f.category_id, c.code AS category_code, "
    "c.name AS category_name, (SELECT a.name FROM findings_category p JOIN findings_category a ON a.id = p.parent_id "
    "WHERE p.id = c.parent_id) AS area_name, f.money_involved, f.fixed_on_site, f.created_by_id, f.created_at, "
    "f.approved_at",
    "findings_finding f JOIN rounds_round r ON r.id = f.round_id JOIN findings_category c ON c.id = f.category_id",
    "f.jurisdiction_id", "f.status", _finding_scope,
)
TASK_FLOOR = _floor(
    "k.id, k.status, k.kind, k.deadline, k.measures, k.responsible_leader, k.responsible_department, k.finding_id, "
    "(SELECT f.title FROM findings_finding f WHERE f.id = k.finding_id) AS finding_title, fb.unit_id, "
    "(SELECT u.name FROM units_unit u WHERE u.id = fb.unit_id) AS unit_name, fb.round_id, k.plan_id, "
    "k.submitted_at, k.closed_at, k.return_reason",
    "rectification_task k JOIN rectification_rectificationplan pl ON pl.id = k.plan_id "
    "JOIN rectification_feedback fb ON fb.id = pl.feedback_id",
    "k.jurisdiction_id", "k.status", _task_scope,
)
LEAD_FLOOR = _floor(
    "l.id, l.round_id, l.team_id, l.unit_id, l.source, l.finding_id, l.petition_id, l.source_detail, "
    "l.subject_name, l.subject_post, l.subject_unit, l.subject_rank, l.summary, l.petition_conclusion, "
    "l.petition_conclusion_text, l.status, l.referral_id, "
    "(SELECT rf.receiving_body_id FROM referrals_referral rf WHERE rf.id = l.referral_id) AS receiving_body, "
    "l.referred_at, l.received_at, l.disposition_due_on, l.disposed_at, l.concluded_at, "
    "(SELECT d.kind FROM referrals_disposition d WHERE d.lead_id = l.id) AS disposition_kind, l.created_at",
    "referrals_lead l",
    "l.jurisdiction_id", "l.status", _lead_scope,
)


# --- report ---------------------------------------------------------------------------------------------------

def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        counts = {}
        for label, table in (("units", "units_unit"), ("findings", "findings_finding"),
                             ("tasks", "rectification_task"), ("leads", "referrals_lead")):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[label] = cursor.fetchone()[0]
    with open("/proc/meminfo") as meminfo:
        ram_kb = int(meminfo.readline().split()[1])
    cpu = ""
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    import django

    return {
        "nproc": os.cpu_count(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "cpu": cpu,
        "ram_gb": round(ram_kb / 1024 / 1024, 1),
        "postgresql": pg,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database_size": size,
        "rows": counts,
        "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent).stdout.strip(),
    }


def markdown(results: list[Result], info: dict, runs: int) -> str:
    from django.utils import timezone

    rows = info["rows"]
    lines = [
        START,
        f"Run: {timezone.now():%Y-%m-%d %H:%M} UTC, commit {info['git']}. Machine: {info['nproc']} cores ({info['cpu']}), "
        f"{info['ram_gb']} GB RAM (load average {info['load']} at the end, shared machine), PostgreSQL {info['postgresql']}, Python {info['python']}, Django {info['django']}. "
        f"Data: {rows['units']:,d} units, {rows['findings']:,d} findings, {rows['tasks']:,d} tasks, "
        f"{rows['leads']:,d} leads ({info['database_size']}). Each timing: up to {runs} requests after warm-up "
        f"({SLOW_RUNS} when one takes over {SLOW_SECONDS} s, {VERY_SLOW_RUNS} over {VERY_SLOW_SECONDS} s), in-process "
        "server time.",
        "",
        "| operation | p50 ms | p95 ms | queries | floor ms | ×floor | target | met? | notes |",
        "|---|---:|---:|---:|---:|---:|---|---|---|",
    ]

    def cell(value):
        return "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

    for r in results:
        note = r.note.replace("|", "/")
        lines.append(
            f"| {r.group}: {r.name} | {cell(r.p50_ms)} | {cell(r.p95_ms)} | {cell(r.queries)} | {cell(r.floor_ms)} | "
            f"{cell(r.ratio)} | {r.target} | {r.met} | {note} |"
        )
    lines.append(END)
    return "\n".join(lines)


def write_results(block: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else f"# Benchmark results\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    RESULTS.write_text(head + block + tail)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Benchmark the operations of issue 9 on the generated data")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", default="", help="comma-separated groups: findings,tasks,leads,detail,dashboard,"
                                                   "duplicates,reminders,pdf,excel,todo")
    parser.add_argument("--write", action="store_true", help="write the table into bench/RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write every result (with the slowest SQL) as JSON here")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of each miss")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection.settings.local")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.test.utils import override_settings

    override_settings(ALLOWED_HOSTS=["testserver", "localhost"], DEBUG=False).enable()
    bench = Bench(runs=args.runs, only={g for g in args.only.split(",") if g} or None)
    results = bench.run()
    info = machine()
    block = markdown(results, info, args.runs)
    print(block)
    if args.write:
        write_results(block)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": [asdict(r) for r in results]},
                                        ensure_ascii=False, indent=1, default=str))
    if args.explain:
        from django.db import connection

        for r in results:
            if r.met in ("NO",) and r.slowest_sql.lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + r.slowest_sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                print(f"\n### {r.group}: {r.name} — slowest query {r.slowest_sql_ms} ms\n{r.slowest_sql}\n{plan}",
                      file=sys.stderr)


if __name__ == "__main__":
    main()
