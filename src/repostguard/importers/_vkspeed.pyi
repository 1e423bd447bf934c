"""Types of the optional C accelerator built from ``_vkspeed.c`` (see there)."""

def elide(
    raw: bytes,
    table: str,
    spaces: bytes,
    entities: dict[str, str],
    run_spaces: str,
    long_text: int,
    raw_tags: tuple[bytes, ...],
) -> tuple[bytes, list[str], list[bytes]] | None: ...
