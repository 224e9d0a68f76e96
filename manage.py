#!/usr/bin/env python
"""Django's command-line utility for the portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mojokerto_portal.settings")
    # A developer's commands work in a bare checkout: with neither DEBUG nor SECRET_KEY set, run in
    # development mode. Production sets both explicitly; the web process (wsgi.py) never defaults.
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
