"""Hypothesis strategies of hostile form values, and helpers to try them one example at a time."""

from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Fast and the same on every run: a failure found once is found again.
hostile_settings = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

SCRIPT = "<script>alert(1)</script>"
MARKUP = [
    SCRIPT,
    "<b>x</b>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% debug %}",
    "%(name)s %s %d {0}",
    "'; DROP TABLE opd_submission; --",
    "../../etc/passwd",
    "\u202egnp.exe",
    "Ｓｍａｒｔ　ｃｉｔｙ",
    "🙂" * 20,
]
CONTROL = ["\x00", "a\x00b", "\x07\x08\x1b[31m", "\r\n\r\n", "\t", "\x0b\x0c", "\u2028\u2029", "\ufeff", "\x7f"]
HUGE = ["x" * 201, "y" * 5_001, "z" * 100_000, "<" * 10_000]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(MARKUP),
    st.sampled_from(CONTROL),
    st.sampled_from(HUGE),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(MARKUP), st.sampled_from(CONTROL)),
)

# Integers where the form expects one: negative, zero, far too large, not numbers at all.
hostile_number = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "99999",
            "1e9",
            "NaN",
            "inf",
            "1.5",
            "1,5",
            "Rp -1.000",
            "Rp 1.000.000",
            "1.000.000.000.000.000.000",
            "0x10",
            "٢٠٢٦",
            "²",
            "1²³",
            "2026\x00",
            " 2026 ",
            "abc",
            "9" * 40,
        ]
    ),
    hostile_text,
)
hostile_year = st.one_of(st.sampled_from(["0", "-1", "99999", "2019", "2051", "twenty", "", "2026.0"]), hostile_number)

# Ids of rows: real ones are passed in by the test; these never name a row the user may use.
hostile_id = st.one_of(
    st.sampled_from(["", "0", "-1", "987654", "9" * 30, "abc", "1 OR 1=1", "1;", "[1]", "\x00"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


def with_payload(text_strategy=hostile_text):
    """Text that always carries a script tag, so the page showing it can be checked for escaping."""
    return st.builds(lambda before, after: f"{before}{SCRIPT}{after}", text_strategy, text_strategy)


@contextmanager
def rolled_back():
    """Run one example inside a savepoint that is rolled back: every example starts from the same rows."""
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)


def assert_escaped(content: bytes | str) -> None:
    """The page shows typed markup as text: the script tag never raw, and escaped where it is shown."""
    text = content.decode() if isinstance(content, bytes) else content
    assert SCRIPT not in text
    assert "<b>x</b>" not in text
    assert "<svg onload" not in text and "<img src=x" not in text
