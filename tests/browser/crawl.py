"""Walk the pages a role reaches from its navigation and check each one: axe-core, width, English words."""

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "assets" / "axe-core" / "axe.min.js"

# Links the walk never follows: leaving the session, files, the stock admin, the language switch's target.
SKIPPED = re.compile(
    r"^/(static|media|admin)/|/akun/keluar/|/unduh|/download|\.(pdf|xlsx|csv|png|jpg)$|/i18n/|/hadir/layar",
)
# How many distinct URLs of one shape (digits replaced, query kept apart) the walk visits.
PER_SHAPE = 1

# Words that mean a string escaped translation. Checked whole-word, case-sensitive, on the visible text.
ENGLISH_WORDS = [
    "Submit",
    "Submissions",
    "Dashboard",
    "Filter",
    "Search",
    "Apply",
    "Save",
    "Cancel",
    "Delete",
    "Edit",
    "Download",
    "Export",
    "Log out",
    "Logout",
    "Change password",
    "Review",
    "Approve",
    "Reject",
    "Quick Wins",
    "quick win",
    "Quick win",
    "Page not found",
    "None",
    "True",
    "False",
    "Yes",
    "No",
    "Name",
    "Next",
    "Previous",
    "Showing",
    "the",
    "and",
    "of",
    "with",
    "your",
    "Nothing",
    "Created",
    "Updated",
    "Pillar",
    "Pillars",
    "Element",
    "Year",
    "Budget",
    "Stage",
    "Session",
    "Attendance",
    "Participants",
    "All",
    "Kind",
]
ENGLISH_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")(?![\w-])")

# The visible text of the page, without what the user typed or the data it shows inside form fields.
VISIBLE_TEXT = """() => {
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!element || element.closest("script, style, textarea, code, [data-user-content], svg title")) continue;
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    const text = node.textContent.trim();
    if (text) parts.push(text);
  }
  for (const element of document.querySelectorAll("input[placeholder], [aria-label], img[alt], [title]")) {
    for (const name of ["placeholder", "aria-label", "alt", "title"]) {
      const value = element.getAttribute(name);
      if (value) parts.push(value.trim());
    }
  }
  return parts;
}"""

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n")[1]),
    }));
}"""

DOCUMENT_WIDTH = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"

LINKS = """() => Array.from(document.querySelectorAll("nav a[href], main a[href]"))
  .filter(a => !a.hasAttribute("download") && !a.closest("form"))
  .map(a => a.getAttribute("href"))"""


def shape(path: str) -> str:
    """Return the URL's shape: its digits as N, so one object of each kind is enough."""
    parts = urlsplit(path)
    query = re.sub(r"=[^&]*", "=", parts.query)
    return re.sub(r"\d+", "N", parts.path) + ("?" + query if query else "")


def same_site_path(base_url: str, current: str, href: str) -> str | None:
    """Return the path of a link on the portal itself, or None for another site, an anchor or a skipped link."""
    if href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    absolute = urljoin(current, href)
    parts = urlsplit(absolute)
    if f"{parts.scheme}://{parts.netloc}" != base_url.rstrip("/"):
        return None
    path = parts.path + ("?" + parts.query if parts.query else "")
    if SKIPPED.search(parts.path):
        return None
    return path


def discover(page, base_url: str, start: list[str], *, limit: int, depth: int = 2, visit=None) -> list[str]:
    """Return up to `limit` pages reached from `start` within `depth` clicks, one per URL shape.

    `visit(path)`, when given, is called on each page found while it is open.
    """
    seen_shapes: dict[str, int] = {}
    found: list[str] = []
    frontier = list(start)
    for _level in range(depth + 1):
        next_frontier = []
        for path in frontier:
            key = shape(path)
            if seen_shapes.get(key, 0) >= PER_SHAPE or path in found or len(found) >= limit:
                continue
            response = page.goto(path)
            is_page = response is not None and "text/html" in response.headers.get("content-type", "")
            if not is_page or response.status != 200:
                continue
            seen_shapes[key] = seen_shapes.get(key, 0) + 1
            found.append(path)
            if visit is not None:
                visit(path)
            for href in page.evaluate(LINKS):
                target = same_site_path(base_url, page.url, href)
                if target and target not in found:
                    next_frontier.append(target)
        frontier = next_frontier
    return found


def inject_axe(context) -> None:
    """Load axe-core into every page of the context (an init script is not subject to the CSP)."""
    context.add_init_script(path=str(AXE_SCRIPT))


def axe_violations(page) -> list[dict]:
    """Run axe-core (see inject_axe) on the open page and return its serious and critical violations."""
    return page.evaluate(RUN_AXE)


def document_width(page) -> int:
    return page.evaluate(DOCUMENT_WIDTH)


def english_words(page) -> list[str]:
    """Return the known English words in the page's visible strings."""
    found = []
    for text in page.evaluate(VISIBLE_TEXT):
        found += [f"{word!r} in {text[:80]!r}" for word in ENGLISH_PATTERN.findall(text)]
    return found
