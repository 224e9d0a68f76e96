"""Replace the portal's data by generated benchmark data: `python -m bench.generate --size M --yes`.

Refuses to run when DEBUG is off: it deletes every submission, masterplan and account (superusers
aside) and gives the generated accounts a known password.
"""

import argparse
import os
import sys
import time


def parse(argv: list[str]) -> argparse.Namespace:
    from bench.data import SIZES

    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--size", required=True, choices=sorted(SIZES), help="S: 1,000 submissions; M: 10×; L: 100×.")
    parser.add_argument(
        "--pdf-masterplans",
        default="",
        help="Comma-separated programme counts of extra masterplans for the PDF benchmark, e.g. 50,200,1000.",
    )
    parser.add_argument("--yes", action="store_true", help="Confirm that all existing data may be deleted.")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, *, write=print) -> dict:
    """Generate the data the arguments ask for; raise SystemExit with the reason when refused."""
    from django.conf import settings

    from bench.data import SIZES, generate

    arguments = parse(sys.argv[1:] if argv is None else argv)
    if not settings.DEBUG:
        raise SystemExit("bench.generate refuses to run with DEBUG off: it deletes data and sets known passwords.")
    if not arguments.yes:
        raise SystemExit("bench.generate deletes every submission, masterplan and account: add --yes.")
    try:
        extra = tuple(int(part) for part in arguments.pdf_masterplans.split(",") if part.strip())
    except ValueError:
        raise SystemExit("--pdf-masterplans takes whole numbers separated by commas, e.g. 50,200,1000.") from None
    if any(number < 1 or number > 20_000 for number in extra):
        raise SystemExit("--pdf-masterplans: each count must be between 1 and 20000.")
    password = os.environ.get("BENCH_PASSWORD") or "bench-password-2022"
    started = time.monotonic()
    write(f"Generating size {arguments.size}…")
    counts = generate(size=SIZES[arguments.size], password=password, pdf_programmes=extra, log=write)
    write(f"Done in {time.monotonic() - started:.1f} s: {counts}")
    return counts


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mojokerto_portal.settings")
    import django

    django.setup()
    main()
