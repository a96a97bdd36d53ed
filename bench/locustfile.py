# ruff: noqa: S311 -- a load mix and simulated users, not security
"""The mixed workload of `make loadtest` (bench/loadtest.py starts Locust with this file and a plan it wrote).

Visitors, partners and the /healthz anchor use Locust's FastHttpUser (geventhttpclient), which costs the shared
two cores several times less per request than HttpUser (requests); staff and the coordinator keep HttpUser for
its cookie handling and multipart uploads.

Every request is named by its kind (the per-kind table), and every answer that is not what a browser or client
would accept counts as an error named by its status ("HTTP 503", "HTTP 500", or the exception when there was no
answer). Every write the server acknowledges is appended to LOADTEST_ACKS/<pid>.jsonl with the unique text it
carried, for the harness to look up in the database after the run. Every request is also logged, with when it
ended, to LOADTEST_ACKS/requests-<pid>.tsv, and the moment the users have all started to spawned-<pid>: Locust's
own figures start there (--reset-stats), and the harness reports the ramp before it (the staff logging in) from
the log, its errors included in the run's.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

from locust import FastHttpUser, HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
ACKS = Path(os.environ["LOADTEST_ACKS"])
# A one-page PDF, as small as they come: the upload checks the type by its content, not its name.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
LOGIN = "/konto/logg-inn/"
_ack_file = None
_sequence = itertools.count()
_deltagelse_pool = None
_request_log = None


def ack(**record) -> None:
    """Record a write the server acknowledged (one line, flushed at once: the harness reads it after the run)."""
    global _ack_file
    if _ack_file is None:
        _ack_file = (ACKS / f"{os.getpid()}.jsonl").open("a", buffering=1)
    _ack_file.write(json.dumps(record) + "\n")


@events.request.add_listener
def log_request(name, response_time, exception, **_kwargs):
    global _request_log
    if _request_log is None:
        _request_log = (ACKS / f"requests-{os.getpid()}.tsv").open("a", buffering=1)
    error = " ".join(repr(exception).split()) if exception else ""
    _request_log.write(f"{time.time():.3f}\t{name}\t{response_time:.1f}\t{error}\n")


@events.spawning_complete.add_listener
def log_spawned(**_kwargs):
    (ACKS / f"spawned-{os.getpid()}").write_text(f"{time.time():.3f}")


def judge(response, *, ok=(200,)):
    """Mark the response failed unless its status is one of ``ok``; the failure's name is its status."""
    if response.status_code in ok:
        response.success()
        return True
    response.failure(f"HTTP {response.status_code}" if response.status_code else str(response.error))
    return False


class FormParser(HTMLParser):
    """The fields of the first form on a page with a given action (or the first form that posts back to the page),
    with their current values, as a browser would submit them unchanged."""

    def __init__(self, action=None):
        super().__init__()
        self.action, self.in_form, self.done, self.fields = action, False, False, []
        self.textarea = self.select = None
        self.select_first = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done:
            # Without an action asked for: the page's own form (one that posts back to the page), not the header's
            # search box or language switch, which come first on every page.
            if self.action is None:
                self.in_form = not attrs.get("action") and attrs.get("method", "get").lower() == "post"
            else:
                self.in_form = attrs.get("action") == self.action
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select, self.select_first = name, None
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.fields.append((self.select, value))
                self.select_first = False

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None
        elif tag == "select" and self.select:
            if self.select_first not in (None, False):
                self.fields.append((self.select, self.select_first))
            self.select = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_fields(html: str, action=None) -> dict:
    parser = FormParser(action)
    parser.feed(html)
    fields: dict = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields


class ConditionalGets:
    """Keeps each URL's ETag and sends it back (If-None-Match), as a partner's cache or a browser does."""

    def conditional_get(self, url, *, name, headers=None):
        etags = self.__dict__.setdefault("_etags", {})
        headers = dict(headers or {})
        if url in etags:
            headers["If-None-Match"] = etags[url]
            name += " (If-None-Match)"
        with self.client.get(url, name=name, headers=headers, catch_response=True) as response:
            if judge(response, ok=(200, 304)) and response.headers.get("ETag"):
                etags[url] = response.headers["ETag"]

    def api_lists(self, headers=None):
        programme = PLAN["programme"]
        choice = random.random()
        if choice < 0.45:
            params = random.choice(
                ["", f"&omraade={random.choice(PLAN['areas'])}", "&status=paagaar", "&vurdering=risiko", "&page=2"]
            )
            url = f"/api/v1/tiltak/?handlingsprogram={programme}&page_size=50{params}"
            self.conditional_get(url, name="api: tiltak list of 50", headers=headers)
        elif choice < 0.75:
            url = f"/api/v1/statusmeldinger/?handlingsprogram={programme}&page_size=50"
            self.conditional_get(url, name="api: statusmeldinger list of 50", headers=headers)
        else:
            kode = random.choice(PLAN["tiltak"])
            self.conditional_get(f"/api/v1/tiltak/{programme}/{kode}/", name="api: one tiltak", headers=headers)


class Visitor(ConditionalGets, FastHttpUser):
    """Anonymous: public pages and the open API."""

    weight = 8
    wait_time = between(0.2, 1.0)

    @task(3)
    def pages(self):
        programme = PLAN["programme"]
        page = random.random()
        if page < 0.3:
            url, name = f"/program/{programme}/", "page: programme"
        elif page < 0.55:
            url, name = f"/program/{programme}/omraade/{random.choice(PLAN['areas'])}/", "page: area"
        else:
            url, name = f"/program/{programme}/tiltak/{random.choice(PLAN['tiltak'])}/", "page: tiltak"
        with self.client.get(url, name=name, catch_response=True) as response:
            judge(response)

    @task(4)
    def api(self):
        self.api_lists()


class Partner(ConditionalGets, FastHttpUser):
    """A partner's system with an API token: the lists, conditionally, often."""

    weight = 3
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.headers = {"Authorization": f"Token {random.choice(PLAN['tokens'])}"}

    @task
    def api(self):
        self.api_lists(headers=self.headers)


class LoggedIn(HttpUser):
    abstract = True
    username = ""

    def login(self, username):
        self.username = username
        page = self.client.get("/konto/logg-inn/", name="login: form")
        data = {"username": username, "password": PLAN["password"]}
        data["csrfmiddlewaretoken"] = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/konto/logg-inn/",
            data=data,
            name="login: post",
            headers={"Referer": page.url},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            judge(response, ok=(302,))

    def post_form(self, url, *, name, change, files=None, form_url=None, action=None):
        """GET the form, change some fields, POST it as a browser would; True when the server says it was saved
        (a redirect). A form shown again (200) means the server refused it: an error."""
        with self.client.get(form_url or url, name=f"{name}: form", catch_response=True) as page:
            if not judge(page):
                return False
            if LOGIN in page.url:  # the session is gone (e.g. made while the database was away): log in again
                page.failure("logged out")
                self.login(self.username)
                return False
        data = form_fields(page.text, action)
        data.update(change)
        data["csrfmiddlewaretoken"] = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            url,
            data=data,
            files=files,
            name=f"{name}: post",
            headers={"Referer": page.url},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (200, 400):
                errors = re.findall(r'class="ds-validation-message"[^>]*>([^<]+)', response.text)
                response.failure(f"HTTP {response.status_code}: form refused: {'; '.join(errors[:2])[:120]}")
                return False
            if LOGIN in response.headers.get("Location", ""):
                response.failure("logged out")
                return False
            return judge(response, ok=(302, 303))


def next_deltagelse(environment):
    """Each staff user edits a deltagelse no other simulated user edits, so the last acknowledged edit of each
    must be what the database holds. Several Locust processes: each takes its own slice of the plan's list."""
    global _deltagelse_pool
    if _deltagelse_pool is None:
        index = getattr(environment.runner, "worker_index", 0)
        pool = PLAN["deltagelser"]
        _deltagelse_pool = iter(pool[index::8])  # up to eight processes
    return next(_deltagelse_pool)


class Staff(LoggedIn):
    """A saksbehandler: logs in, reports status on the unit's tiltak, edits a deltagelse, attaches a file."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.deltagelse = next_deltagelse(self.environment)
        self.login(self.deltagelse["username"])
        self.codes = PLAN["staff"][self.deltagelse["username"]]

    @task(4)
    def statusmelding(self):
        kode = random.choice(self.codes)
        text = f"Lasttest {uuid.uuid4()}"
        url = f"/program/{PLAN['programme']}/tiltak/{kode}/statusmelding/ny/"
        change = {"gjennomfoert": text, "date": "15.06.2023", "status": "paagaar", "vurdering": "i_rute"}
        if self.post_form(url, name="staff: statusmelding", change=change):
            ack(kind="statusmelding", text=text)

    @task(2)
    def edit_deltagelse(self):
        text = f"Sted {uuid.uuid4().hex[:12]}"
        pk = self.deltagelse["id"]
        if self.post_form(f"/deltagelser/{pk}/rediger/", name="staff: edit deltagelse", change={"sted": text}):
            ack(kind="deltagelse", deltagelse=pk, text=text, seq=next(_sequence))

    @task(1)
    def vedlegg(self):
        pk = self.deltagelse["id"]
        name = f"lasttest-{uuid.uuid4().hex[:12]}.pdf"
        url = f"/deltagelser/{pk}/vedlegg/"
        if self.post_form(
            url,
            name="staff: upload attachment",
            change={},
            files={"fil": (name, PDF, "application/pdf")},
            form_url=f"/deltagelser/{pk}/",
            action=url,
        ):
            ack(kind="vedlegg", deltagelse=pk, name=name)

    @task(2)
    def mine_tiltak(self):
        with self.client.get("/mine-tiltak/", name="staff: mine tiltak", catch_response=True) as response:
            judge(response)


class Coordinator(LoggedIn):
    """The coordinator queues a draft PDF of the annual report now and then, and follows its progress."""

    fixed_count = 1
    wait_time = constant(2)

    def on_start(self):
        self.login(PLAN["koordinator"])
        self.generering, self.finished = None, True
        self.queued_at = -1e9

    @task
    def pdf(self):
        import time

        now = time.monotonic()
        # A new PDF only when the last one is done: a queue of them would only wait for the one worker.
        if self.generering is None or (self.finished and now - self.queued_at > 30):
            url = f"/aarsrapport/{PLAN['aarsrapport']}/lag-pdf/"
            page = self.client.get(f"/aarsrapport/{PLAN['aarsrapport']}/", name="coordinator: report page")
            data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
            with self.client.post(
                url,
                data=data,
                name="coordinator: queue PDF",
                headers={"Referer": page.url},
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if judge(response, ok=(302, 303)):
                    match = re.search(r"/pdf-generering/(\d+)/", response.headers.get("Location", ""))
                    if match:
                        self.generering, self.finished = int(match.group(1)), False
                        self.queued_at = now
                        ack(kind="pdf", id=self.generering)
        else:
            url = f"/pdf-generering/{self.generering}/status/"
            with self.client.get(url, name="coordinator: PDF progress", catch_response=True) as response:
                if judge(response):
                    self.finished = response.json().get("finished", False)


class HealthzUser(FastHttpUser):
    """The anchor: a request that does nothing, as fast as the server answers it."""

    wait_time = constant(0)

    @task
    def healthz(self):
        with self.client.get("/healthz", name="/healthz", catch_response=True) as response:
            judge(response)
