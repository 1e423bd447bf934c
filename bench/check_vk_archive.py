"""Check the VK archive importer on a real archive: print what it read, section by section.

    .venv/bin/python bench/check_vk_archive.py PATH

PATH is a VK «Архив данных» (folder or ZIP). Real archives cannot be test fixtures (they hold a
real person's data), so this script is how the importer is checked against one: it prints the
counts issue 18 asks for (wall records and reposts with their source page, ids made of content,
audio, videos and their titles, comments with date and author, profile fields, messages by
audience and the other people's messages left out) and, with ``--fsm``, the findings a scan of
the imported items gives, by kind and signal, and any finding on a profile field.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

from repostguard.importers.vk_archive import VkArchiveImporter


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path", type=Path)
    args = ap.parse_args(argv)
    imp = VkArchiveImporter(args.path)
    t0 = time.perf_counter()
    items = list(imp.iter_items())
    took = time.perf_counter() - t0
    kinds = Counter(i.kind for i in items)
    wall = [i for i in items if i.kind in ("post", "repost") and "?reply" not in i.native_id]
    reposts = [i for i in wall if i.kind == "repost"]
    with_source = [i for i in reposts if i.reposted_from and i.reposted_from.url]
    content_ids = [i for i in wall if not re.fullmatch(r"wall-?\d+_\d+", i.native_id)]
    audio = [i for i in items if i.kind == "audio"]
    videos = [i for i in items if i.kind == "video"]
    titled = [i for i in videos if i.attachments and i.attachments[0].title]
    comments = [i for i in items if i.kind == "comment"]
    video_c = [i for i in comments if i.native_id.startswith("video")]
    other_c = [i for i in comments if not i.native_id.startswith("video")]
    complete = [i for i in comments if i.date and i.author]
    mine = [i for i in comments if i.author == "self"]
    wall_atts = [a for i in wall for a in i.attachments]
    wall_videos = [a for a in wall_atts if a.type == "video"]
    profile = [i for i in items if i.kind == "profile"]
    no_data = [a for p in profile for a in p.attachments if (a.title or "").strip().lower() == "данных нет"]
    messages = [i for i in items if i.kind == "message"]
    print(f"archive: {args.path} (owner id{imp.owner_id}); {len(items):,} items in {took:.2f} s")
    print(f"items by kind: {dict(kinds.most_common())}")
    print(f"wall records: {len(wall):,} ({kinds['post']:,} posts, {len(reposts):,} reposts, "
          f"{len(with_source):,} reposts with their source page)")
    print(f"deleted / archived wall records: {sum(i.visibility == 'deleted' for i in wall)} / "
          f"{sum(i.visibility == 'archived' for i in wall)}")
    print(f"wall records with an id made from content (not wall<owner>_<post>): {len(content_ids)}")
    print(f"audio records: {len(audio):,}")
    print(f"videos: {len(videos)}, with a title: {len(titled)}; wall video attachments with a title: "
          f"{sum(1 for a in wall_videos if a.title)} of {len(wall_videos)}")
    print(f"comments: {len(other_c)} wall and photo + {len(video_c)} video; dated with an author: "
          f"{len(complete)} of {len(comments)}; the person's: {len(mine)}, other people's: {len(comments) - len(mine)}")
    comment_likes = sum(1 for i in items if i.kind == "like" and "?reply" in i.native_id)
    print(f"likes: {kinds['like']} (of comments: {comment_likes})"
          f"; bookmarks: {kinds['bookmark']}; subscriptions: {kinds['subscription']}")
    print(f"profile fields: {sum(len(p.attachments) for p in profile)}; «Данных нет» kept as a value: {len(no_data)}")
    aud = Counter(i.visibility for i in messages)
    print(f"own messages: {len(messages):,} by audience {dict(aud)}; other people's left out: "
          f"{imp.stats['messages_of_others']:,}")
    print(f"repeated records skipped: {dict((k, v) for k, v in imp.stats.items() if k.endswith('_repeated'))}")
    print(f"warnings: {len(imp.warnings)}")
    for w in imp.warnings[:20]:
        print(f"  {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
