"""Evidence bundle: a case's events, their hashes, the signed checkpoints that cover them, the public key and a
short report (zh-CN/en), in one zip that `tools/verify_bundle.py` checks without Paizhu or its database.

What the bundle proves (see tools/verify_bundle.py): each event's content matches its hash; each stream in it
is a complete chain from its first version; the last signed checkpoint of each service covers the head of each
stream (the checkpoint signs the Merkle root of its heads map: the bundle holds the heads of the case's streams
and their proofs, hashes only, never another stream's id; a checkpoint signed before roots were recorded
is checked against its whole heads map, which names other streams by id and hash, never their content); the manifest, signed with the same key, fixes every file and the zip itself is
written canonically, so that changing any byte of the bundle makes it fail.

The bundle holds the events in plain text (the hash covers the plain fields): a clue's bundle holds the clue's
content, and is exported only by whoever may read that clue.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from events.envelope import canonical_plain
from paizhu.forensics.history import Case
from paizhu.stored_logs import StoredLog
from services.common.verification import CHECKPOINT_SIGNED, checkpoint_log_id, fields_match, heads_proofs

BUNDLE_FORMAT = "paizhu-evidence/1"
FILES = ("manifest.json", "manifest.sig", "public_key.txt", "events.jsonl", "checkpoints.json", "report.txt")


def canonical_zip(files: dict[str, bytes]) -> bytes:
    """The zip of these files, byte for byte the same wherever it is written (tools/verify_bundle.py writes it
    the same way and compares): fixed order, time and attributes, no compression."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.create_version = info.extract_version = 20
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


@dataclass
class Coverage:
    service: str
    checkpoint: dict[str, Any] | None
    """position, log_digest, heads_digest, signature and the full heads map of the latest checkpoint"""


def latest_checkpoint(log: StoredLog) -> dict[str, Any] | None:
    """The last signed checkpoint of a service's log, with the heads of every stream it covers."""
    log_id = checkpoint_log_id(log.service)
    heads: dict[str, list[Any]] = {}
    latest: dict[str, Any] | None = None
    for stored in log.recorder.select_events(log_id):
        if not stored.topic.endswith(CHECKPOINT_SIGNED):
            continue
        fields = log.decoder.fields(stored, str(log_id))
        heads.update(fields["changed_heads"])
        latest = {k: fields[k] for k in ("position", "log_digest", "heads_digest", "signature")}
        if fields.get("heads_root"):
            latest["heads_root"] = fields["heads_root"]
    if latest is None:
        return None
    latest["heads"] = dict(heads)
    return latest


def _disclosed(checkpoint: dict[str, Any], streams: set[str]) -> dict[str, Any]:
    """What the bundle shows of a checkpoint: with a signed heads root, the heads of the case's streams and
    their Merkle proofs only, never the ids of the service's other streams; a checkpoint signed before heads
    roots were recorded can only be checked against its whole heads map, which is then included."""
    if not checkpoint.get("heads_root"):
        return checkpoint
    heads = {stream: checkpoint["heads"][stream] for stream in sorted(streams) if stream in checkpoint["heads"]}
    return {**{k: v for k, v in checkpoint.items() if k != "heads"}, "heads": heads,
            "proofs": heads_proofs(checkpoint["heads"], heads)}


def _report(case: Case, counts: dict[str, Any], exported_at: str, by: str, reason: str) -> str:
    lines = [
        "派驻监督平台 证据包 (Paizhu evidence bundle)",
        f"格式 (format): {BUNDLE_FORMAT}",
        f"案卷 (case): {case.kind} {case.record_id} ({case.service})",
        f"导出时间 (exported at): {exported_at}",
        f"导出人 (exported by): {by}",
        f"事由 (reason): {reason}",
        f"案卷事件 (events of the case): {counts['case_events']}; "
        f"含所在链的其他事件 (with the other events of their chains): {counts['events']}",
        f"链 (streams): {counts['streams']}; 检查点覆盖 (covered by a signed checkpoint): {counts['covered']}, "
        f"检查点之后 (recorded after the last checkpoint): {counts['uncovered']}",
        f"导出时校验 (checked at export): {'完整 (intact)' if counts['intact'] else '不一致 (NOT intact)'}",
        "",
        "独立校验 (verify stand-alone, Python 3 + cryptography):",
        "  python3 verify_bundle.py bundle.zip --public-key <平台公钥 the platform's public key>",
        "公钥须从平台另行取得并核对 (obtain the platform's public key separately and compare).",
        "",
        "时间线 (timeline):",
    ]
    for event in case.history():
        d = event.as_dict()
        lines.append(f"  {d['recorded_at']}  [{event.service} #{event.position}] {d['description']['zh']} "
                     f"({d['description']['en']})")
    return "\n".join(lines) + "\n"


def export_bundle(case: Case, logs: dict[str, StoredLog], signing_key: Ed25519PrivateKey, by: str,
                  reason: str) -> tuple[bytes, dict[str, Any]]:
    """The bundle's bytes and a summary (counts, whether the case was intact at export)."""
    from cryptography.hazmat.primitives import serialization

    public_raw = signing_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public_b64 = base64.b64encode(public_raw).decode()
    streams = case.streams()
    services = sorted({service for service, _ in streams})
    checkpoints = {service: latest_checkpoint(logs[service]) for service in services}
    intact, covered, uncovered = True, 0, 0
    for (service, stream), events in streams.items():
        previous = "0" * 64
        for expected, event in enumerate(events, start=1):
            if event.version != expected or event.fields.get("prev_hash") != previous or \
                    not fields_match(event.fields):
                intact = False
            previous = str(event.fields.get("hash"))
        checkpoint = checkpoints[service]
        head = checkpoint["heads"].get(stream) if checkpoint else None
        signed = head[0] if head else 0
        covered += sum(1 for e in events if e.version <= signed)
        uncovered += sum(1 for e in events if e.version > signed)
    shown = {service: _disclosed(checkpoint, {stream for s, stream in streams if s == service})
             for service, checkpoint in checkpoints.items() if checkpoint}
    lines = [canonical_plain({"service": e.service, "position": e.position, "stream_id": e.stream_id,
                              "version": e.version, "in_case": e.in_case, "why": e.why, "fields": e.fields})
             for e in sorted(case.events, key=lambda e: (e.service, e.position))]
    exported_at = datetime.now(UTC).isoformat()
    counts = {"events": len(case.events), "case_events": sum(1 for e in case.events if e.in_case),
              "streams": len(streams), "covered": covered, "uncovered": uncovered, "intact": intact}
    files = {
        "events.jsonl": b"\n".join(lines) + b"\n",
        "checkpoints.json": canonical_plain([{"service": s, **c} for s, c in shown.items()]),
        "public_key.txt": (public_b64 + "\n").encode(),
        "report.txt": _report(case, counts, exported_at, by, reason).encode("utf-8"),
    }
    manifest = canonical_plain({
        "format": BUNDLE_FORMAT, "case": {"record_id": case.record_id, "kind": case.kind, "service": case.service},
        "exported_at": exported_at, "exported_by": by, "reason": reason, "public_key": public_b64,
        "counts": counts, "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())},
    })
    files["manifest.json"] = manifest
    files["manifest.sig"] = (base64.b64encode(signing_key.sign(manifest)).decode() + "\n").encode()
    assert set(files) == set(FILES)
    return canonical_zip(files), counts | {"public_key": public_b64, "checkpoints": {
        s: (c["position"] if c else None) for s, c in checkpoints.items()}}



def export_case_bundle(settings: Any, record_id: str, by: str, reason: str) -> bytes:
    """The evidence bundle of a record's case, read from the stores (the gateway's export, once the service that
    owns the record has allowed and recorded it)."""
    from paizhu.forensics.history import collect_case
    from paizhu.keys import KeyNotFoundError
    from paizhu.stored_logs import StoreNotFoundError, open_logs
    from services.common.errors import UnavailableError

    try:
        logs, keys = open_logs(settings)
    except (StoreNotFoundError, KeyNotFoundError) as error:  # this process has no access to the stores or key
        raise UnavailableError("证据包导出不可用 (evidence export is not available here)") from error
    try:
        case = collect_case(logs, record_id)
        data, _ = export_bundle(case, logs, keys.checkpoint_private_key(), by, reason)
        return data
    finally:
        for log in logs.values():
            log.close()
