"""``caseflow archive einnsyn OUTDIR``: one JSON file per object, in publishing order,
and ``index.json`` naming each file's entity, identity, parent and the path it is posted
to. The same history writes the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from caseflow.archive.einnsyn.objects import EinnsynObject, canonical

INDEX = "index.json"
FORMAT = "caseflow-einnsyn/1"


def file_name(position: int, obj: EinnsynObject) -> str:
    return f"{position:05d}-{obj.entity}-{obj.system_id}.json"


def index_entry(position: int, obj: EinnsynObject) -> dict[str, Any]:
    return {
        "file": file_name(position, obj),
        "entity": obj.entity,
        "systemId": obj.system_id,
        "externalId": obj.external_id,
        "parent": obj.parent.system_id if obj.parent else None,
        "path": obj.create_path,
        "digest": obj.digest,
        "label": obj.label,
    }


def write_export(objects: list[EinnsynObject], outdir: Path) -> Path:
    """Write ``objects`` into ``outdir`` (created if missing; an earlier export's files
    there are replaced) and return the index's path."""
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("[0-9][0-9][0-9][0-9][0-9]-*.json"):
        old.unlink()
    entries = []
    for position, obj in enumerate(objects, start=1):
        (outdir / file_name(position, obj)).write_bytes(canonical(obj.body) + b"\n")
        entries.append(index_entry(position, obj))
    index = {"format": FORMAT, "count": len(entries), "objects": entries}
    path = outdir / INDEX
    path.write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
