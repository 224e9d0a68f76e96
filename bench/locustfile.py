"""The deadline-rush workload: OPD staff, Kominfo reviewers and the Bupati's office, as locust users.

Each simulated person logs in once through the login form (with the page's CSRF token, loading its
static files as a browser with an empty cache does), then clicks: one task is one click (a page, or
a form sent and the page it redirects to), followed by 2-8 s of reading or typing. Mix by head count:
80% OPD staff, 15% Kominfo, 5% the Bupati's office.

Run by bench/load.py (as a library, stepping the number of users) with BENCH_WORKLOAD naming the
JSON written by `python -m bench.measure prepare`; by hand:
    BENCH_WORKLOAD=workload.json locust -f bench/locustfile.py --host http://127.0.0.1:57511
Only ever against 127.0.0.1.

A request fails (counts as an error) on a connection error, a timeout or any status the click does
not expect (5xx, but also a 403 or 404, which would mean the workload is broken). A transition the
service refuses (two reviewers deciding the same submission) is an expected outcome: the page
redirects with an error message, counted in OUTCOMES as "refused", not as a failure.
"""

import itertools
import json
import os
import random
from collections import Counter
from urllib.parse import urlsplit

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

from bench import pages

THINK_TIME = (2, 8)  # seconds between two clicks of one person
WEIGHTS = {"staff": 80, "kominfo": 15, "executive": 5}

# What happened, beyond HTTP: drafts sent, decisions made, refusals. bench/load.py reads and resets it.
OUTCOMES: Counter = Counter()
LOGINS = {"done": 0, "failed": 0}
_NEXT_ACCOUNT = {role: itertools.count() for role in WEIGHTS}
_WORKLOAD: dict = {}


def workload() -> dict:
    """Return the workload description (accounts, ids, choices), read once from BENCH_WORKLOAD."""
    if not _WORKLOAD:
        with open(os.environ["BENCH_WORKLOAD"]) as handle:
            _WORKLOAD.update(json.load(handle))
    return _WORKLOAD


class PortalUser(FastHttpUser):
    """One person of a role, logged in once; helpers for one click each."""

    abstract = True
    wait_time = between(*THINK_TIME)
    connection_timeout = 60.0
    network_timeout = 60.0
    role = ""
    dashboard_name = ""

    def on_start(self) -> None:
        if urlsplit(self.host).hostname != "127.0.0.1":
            raise RuntimeError("the benchmark only ever sends traffic to 127.0.0.1")
        self.rng = random.Random()
        self.work = workload()
        accounts = self.work["accounts"][self.role]
        self.username = accounts[next(_NEXT_ACCOUNT[self.role]) % len(accounts)]
        self.logged_in = False
        self.log_in()

    def log_in(self) -> None:
        """Open the login page (and its static files), send the form, land on the dashboard."""
        html = self.page("/akun/masuk/", "login page")
        token = pages.csrf_token(html or "")
        if html and token:
            for asset in pages.static_assets(html):
                self.page(asset, "static file", text=False)
            form = {"csrfmiddlewaretoken": token, "username": self.username, "password": self.work["password"]}
            landed = self.send("/akun/masuk/", "log in (POST)", form, follow=self.dashboard_name)
            self.logged_in = landed is not None
        LOGINS["done" if self.logged_in else "failed"] += 1

    def ensure_logged_in(self) -> bool:
        if not self.logged_in:
            self.log_in()
        return self.logged_in

    def page(self, path: str, name: str, *, text: bool = True) -> str | None:
        """GET a page that must answer 200; return its HTML (None when it failed)."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: status {response.status_code}")
                return None
            return response.text if text else ""

    def send(self, path: str, name: str, data, *, follow: str, headers: dict | None = None) -> str | None:
        """POST a form that must redirect; open the page it redirects to (named `follow`); return its HTML."""
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location") if response.headers else None
            if response.status_code != 302 or not location:
                response.failure(f"{name}: status {response.status_code}")
                return None
        self.last_location = location
        html = self.page(pages.local_path(location), follow)
        if html is not None and pages.refused(html):
            OUTCOMES["refused"] += 1
        return html


class OpdStaff(PortalUser):
    """An OPD's staff member before the deadline: reads the dashboard and the OPD's list, writes drafts."""

    weight = WEIGHTS["staff"]
    role = "staff"
    dashboard_name = "dashboard (OPD staff)"

    def on_start(self) -> None:
        self.seen: list[int] = []
        self.draft: int | None = None
        self.draft_title = ""
        self.step = 0
        self.token: str | None = None
        self.version: int | None = None
        super().on_start()

    @task(2)
    def dashboard(self) -> None:
        if self.ensure_logged_in():
            self.page("/", self.dashboard_name)

    @task(3)
    def own_list(self) -> None:
        if self.ensure_logged_in():
            path = (
                "/usulan/"
                if self.rng.random() < 0.7
                else f"/usulan/?ordering=-updated_at&page={self.rng.randint(2, 4)}"
            )
            html = self.page(path, "submission list (OPD staff)")
            if html:
                self.seen = pages.submission_ids(html) or self.seen

    @task(3)
    def open_submission(self) -> None:
        if not self.ensure_logged_in():
            return
        if not self.seen:
            self.own_list()
        if self.seen:
            self.page(f"/usulan/{self.rng.choice(self.seen)}/", "submission (OPD staff)")

    @task(4)
    def work_on_draft(self) -> None:
        """One click on the way from a new draft to "Check and send": 8 clicks per submission sent."""
        if self.ensure_logged_in():
            ok = [self._form_new, self._create, self._form_edit, self._fill_in, self._open_draft, self._upload,
                  self._check, self._send][self.step]()  # fmt: skip
            self.step = (self.step + 1) % 8 if ok else 0

    def _form_new(self) -> bool:
        html = self.page("/usulan/baru/", "draft form (new)")
        self.token = pages.csrf_token(html or "")
        return bool(self.token)

    def _create(self) -> bool:
        form = pages.new_draft_form(self.rng, self.work) | {"csrfmiddlewaretoken": self.token}
        self.draft_title = form["title"]
        html = self.send("/usulan/baru/", "draft create (POST)", form, follow="submission (OPD staff)")
        self.draft = pages.submission_id_of(self.last_location) if html is not None else None
        OUTCOMES["drafts created"] += self.draft is not None
        return self.draft is not None

    def _form_edit(self) -> bool:
        html = self.page(f"/usulan/{self.draft}/ubah/", "draft form (edit)")
        self.token, self.version = pages.csrf_token(html or ""), pages.form_version(html or "")
        return bool(self.token) and self.version is not None

    def _fill_in(self) -> bool:
        form = pages.full_draft_form(self.rng, self.work, title=self.draft_title, version=self.version)
        form["csrfmiddlewaretoken"] = self.token
        return (
            self.send(f"/usulan/{self.draft}/ubah/", "draft save (POST)", form, follow="check-and-send page")
            is not None
        )

    def _open_draft(self) -> bool:
        html = self.page(f"/usulan/{self.draft}/", "submission (OPD staff)")
        self.token = pages.csrf_token(html or "")
        return bool(self.token)

    def _upload(self) -> bool:
        body, content_type = pages.multipart(
            {"csrfmiddlewaretoken": self.token, "description": "Data dukung"},
            {"file": ("data-dukung.pdf", pages.SMALL_PDF, "application/pdf")},
        )
        html = self.send(f"/usulan/{self.draft}/lampiran/", "evidence upload (POST)", body,
                         follow="submission (OPD staff)", headers={"Content-Type": content_type})  # fmt: skip
        OUTCOMES["evidence uploaded"] += html is not None
        return html is not None

    def _check(self) -> bool:
        html = self.page(f"/usulan/{self.draft}/kirim/", "check-and-send page")
        self.token, self.version = pages.csrf_token(html or ""), pages.form_version(html or "")
        return bool(self.token) and self.version is not None

    def _send(self) -> bool:
        form = {"csrfmiddlewaretoken": self.token, "version": str(self.version)}
        html = self.send(f"/usulan/{self.draft}/kirim/", "send (POST)", form, follow="submission (OPD staff)")
        if html is not None and not pages.refused(html):
            OUTCOMES["submissions sent"] += 1
        return html is not None


class KominfoReviewer(PortalUser):
    """A Kominfo reviewer: the queue with filters and search, submissions, comments, decisions."""

    weight = WEIGHTS["kominfo"]
    role = "kominfo"
    dashboard_name = "dashboard (Kominfo)"

    def on_start(self) -> None:
        self.seen: list[int] = []
        self.current: int | None = None
        self.token: str | None = None
        self.reviewing: int | None = None
        self.version: int | None = None
        self.step = 0
        super().on_start()

    @task(1)
    def dashboard(self) -> None:
        if self.ensure_logged_in():
            self.page("/", self.dashboard_name)

    @task(3)
    def queue(self) -> None:
        if self.ensure_logged_in():
            html = self.page("/usulan/", "review queue")
            self.seen = pages.submission_ids(html or "") or self.seen

    @task(2)
    def queue_filtered(self) -> None:
        if self.ensure_logged_in():
            html = self.page(f"/usulan/?{pages.queue_filters(self.rng, self.work)}", "review queue (filtered)")
            self.seen = pages.submission_ids(html or "") or self.seen

    @task(2)
    def search(self) -> None:
        if self.ensure_logged_in():
            word = self.rng.choice(self.work["search_words"])
            html = self.page(f"/usulan/?status=&q={word}&ordering=-updated_at", "review queue (search)")
            self.seen = pages.submission_ids(html or "") or self.seen

    @task(3)
    def open_submission(self) -> None:
        if not self.ensure_logged_in():
            return
        if not self.seen:
            self.queue()
        if self.seen:
            self.current = self.rng.choice(self.seen)
            html = self.page(f"/usulan/{self.current}/", "submission (Kominfo)")
            self.token = pages.csrf_token(html or "")

    @task(1)
    def comment(self) -> None:
        if not self.ensure_logged_in() or not (self.current and self.token):
            return
        form = {
            "csrfmiddlewaretoken": self.token,
            "body": pages.sentence(self.rng, 12),
            "visibility": "opd" if self.rng.random() < 0.8 else "internal",
        }
        self.send(f"/usulan/{self.current}/komentar/", "comment (POST)", form, follow="submission (Kominfo)")
        OUTCOMES["comments"] += 1

    @task(2)
    def review(self) -> None:
        """One click of a review: pick one sent, open it, start the review, then approve or return it."""
        if self.ensure_logged_in():
            ok = [self._pick, self._open, self._start, self._decide][self.step]()
            self.step = (self.step + 1) % 4 if ok else 0

    def _pick(self) -> bool:
        path = f"/usulan/?status=submitted&ordering=last_submitted_at&page={self.rng.randint(1, 4)}"
        candidates = pages.submission_ids(self.page(path, "review queue (filtered)") or "")
        self.reviewing = self.rng.choice(candidates) if candidates else None
        return self.reviewing is not None

    def _open(self) -> bool:
        html = self.page(f"/usulan/{self.reviewing}/", "submission (Kominfo)")
        self.token = pages.csrf_token(html or "")
        return bool(self.token)

    def _start(self) -> bool:
        html = self.send(f"/usulan/{self.reviewing}/telaah/", "start review (POST)",
                         {"csrfmiddlewaretoken": self.token}, follow="submission (Kominfo)")  # fmt: skip
        if html is None or pages.refused(html):
            return False  # someone else took it first: pick another
        self.token, self.version = pages.csrf_token(html), pages.form_version(html)
        return bool(self.token) and self.version is not None

    def _decide(self) -> bool:
        decision = "approve" if self.rng.random() < 0.7 else "request_revision"
        form = {"csrfmiddlewaretoken": self.token, "version": str(self.version), "reason": ""}
        if decision == "request_revision":
            form["reason"] = pages.sentence(self.rng, 10)
        html = self.send(f"/usulan/{self.reviewing}/keputusan/{decision}/", "decide (POST)", form,
                         follow="submission (Kominfo)")  # fmt: skip
        if html is not None and not pages.refused(html):
            OUTCOMES["approved" if decision == "approve" else "revisions requested"] += 1
        return html is not None


class BupatiOffice(PortalUser):
    """The Bupati's office: the regency's dashboard and the masterplan's roadmap."""

    weight = WEIGHTS["executive"]
    role = "executive"
    dashboard_name = "dashboard (Bupati)"

    @task(1)
    def dashboard(self) -> None:
        if self.ensure_logged_in():
            self.page("/", self.dashboard_name)

    @task(1)
    def roadmap(self) -> None:
        if self.ensure_logged_in():
            self.page(f"/masterplan/{self.work['masterplan']}/", "masterplan roadmap")
