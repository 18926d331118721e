"""Check the content pack without a database: `python -m painpoint.knowledge.parse_check [PATH]`."""

from __future__ import annotations

import sys

from painpoint.knowledge.parse import ContentError, parse_pack


def main(argv: list[str]) -> int:
    try:
        pack = parse_pack(argv[0] if argv else "content")
    except ContentError as error:
        print("\n".join(error.problems))
        print(f"{len(error.problems)} problem(s)")
        return 1
    print(
        f"ok: {len(pack.conditions)} conditions, {len(pack.knowledge.rules)} rules, "
        f"{len(pack.knowledge.profiles)} profiles (content {pack.version})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
