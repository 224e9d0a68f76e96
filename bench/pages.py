"""What a simulated user reads from the portal's pages and what it types into its forms.

Plain functions over HTML text and the workload description, shared by the locust users
(bench/locustfile.py) and the tests that check them against the real pages (tests/bench/).
"""

import random
import re
import secrets
from urllib.parse import urlsplit

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')
SUBMISSION_LINK = re.compile(r'href="/usulan/(\d+)/"')
MASTERPLAN_LINK = re.compile(r'href="/masterplan/(\d+)/"')
STATIC_ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
INPUT_TAG = re.compile(r"<input\b[^>]*>")
VALUE_ATTRIBUTE = re.compile(r'\bvalue="(\d+)"')
SUBMISSION_PATH = re.compile(r"/usulan/(\d+)/")
# A service's refusal (a transition someone else made first, a stale form) is shown as an error message.
ERROR_MESSAGE = 'class="alert alert-danger"'

# A small, valid PDF: the upload checks the content, not the name.
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
) + b"% data dukung\n" * 100

WORDS = (
    "layanan", "digital", "warga", "data", "terpadu", "puskesmas", "desa", "perizinan", "sampah", "pasar", "sekolah",
    "pajak", "jalan", "air", "arsip", "pengaduan", "kependudukan", "bencana", "pertanian", "laporan", "sistem",
    "informasi", "pelayanan", "cepat", "akurat", "terbuka",
)  # fmt: skip


def csrf_token(html: str) -> str | None:
    """Return the CSRF token of the page's first form, as a browser would send it."""
    found = CSRF_INPUT.search(html)
    return found.group(1) if found else None


def submission_ids(html: str) -> list[int]:
    """Return the submissions a page links to, in page order, each once."""
    return list(dict.fromkeys(int(pk) for pk in SUBMISSION_LINK.findall(html)))


def masterplan_ids(html: str) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in MASTERPLAN_LINK.findall(html)))


def static_assets(html: str) -> list[str]:
    """Return the stylesheets, scripts and icon a page loads from /static/."""
    return list(dict.fromkeys(STATIC_ASSET.findall(html)))


def form_version(html: str) -> int | None:
    """Return the value of the page's first hidden `version` input (the optimistic lock of its form)."""
    for tag in INPUT_TAG.findall(html):
        if 'name="version"' in tag:
            found = VALUE_ATTRIBUTE.search(tag)
            return int(found.group(1)) if found else None
    return None


def refused(html: str) -> bool:
    """Whether the page shows an error message (a refused transition, as the service explained it)."""
    return ERROR_MESSAGE in html


def local_path(location: str) -> str:
    """Return a redirect's address as a path on this server (with its query string, if any)."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def submission_id_of(location: str) -> int | None:
    """Return the submission id of a redirect's address (/usulan/<id>/...)."""
    found = SUBMISSION_PATH.search(location or "")
    return int(found.group(1)) if found else None


def sentence(rng: random.Random, length: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(length)).capitalize() + "."


def draft_title(rng: random.Random) -> str:
    return f"{sentence(rng, 4)[:-1]} {secrets.token_hex(3)}"


def new_draft_form(rng: random.Random, workload: dict) -> dict:
    """The first save of a draft: only what a draft needs (kind and title)."""
    return {"kind": rng.choice(workload["choices"]["kind"]), "title": draft_title(rng), "save": ""}


def full_draft_form(rng: random.Random, workload: dict, *, title: str, version: int) -> dict:
    """Every field of the submission form filled in, as sent with "Save and check before sending"."""
    element, pillar = rng.choice(workload["elements"])
    first, last = workload["years"]
    choices = workload["choices"]
    horizon = rng.choice(choices["horizon"])
    if horizon == "quick_win":
        # A quick win starts and ends within the draft masterplan's quick-win window.
        window_first, window_last = workload["quick_win_window"]
        start = end = rng.randint(max(first, window_first), max(first, window_first, window_last))
    else:
        start = rng.randint(first, max(first, last - 4))
        end = start + rng.randint(0, 4)
    budget = rng.randint(5, 500) * 10_000_000
    return {
        "kind": rng.choice(choices["kind"]),
        "title": title,
        "pillar": str(pillar),
        "element": str(element),
        "current_condition": sentence(rng, 25),
        "proposed_solution": sentence(rng, 20),
        "beneficiaries": sentence(rng, 5),
        "expected_output": sentence(rng, 6),
        "expected_outcome": sentence(rng, 6),
        "indicator": sentence(rng, 5),
        "horizon": horizon,
        "priority": rng.choice(choices["priority"]),
        "start_year": str(start),
        "end_year": str(end),
        "budget": f"{budget:,}".replace(",", "."),  # typed the Indonesian way: 1.250.000.000
        "funding_source": rng.choice(choices["funding_source"]),
        "version": str(version),
        "check": "",
    }


def queue_filters(rng: random.Random, workload: dict) -> str:
    """A query string of the review queue as Kominfo filters it: status, then a pillar, kind or OPD."""
    parts = [f"status={rng.choice(['awaiting', 'awaiting', 'submitted', 'in_review'])}"]
    facet = rng.choice(("pillar", "kind", "opd"))
    if facet == "pillar":
        parts.append(f"pillar={rng.choice(workload['pillars'])}")
    elif facet == "kind":
        parts.append(f"kind={rng.choice(workload['choices']['kind'])}")
    else:
        parts.append(f"opd={rng.choice(workload['opds'])}")
    parts.append(f"ordering={rng.choice(['last_submitted_at', '-last_submitted_at', '-updated_at'])}")
    return "&".join(parts)


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """Encode a form with files as multipart/form-data; return the body and its Content-Type."""
    boundary = f"----bench{secrets.token_hex(12)}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
