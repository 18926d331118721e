"""Debian's Chromium as the browser tests and bench/pages.py (with Lighthouse) start it."""

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium tries to reach the internet at start-up (shared/stack-notes.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
