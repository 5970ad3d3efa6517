#!/usr/bin/env python3
"""Stand-alone verifier of a Paizhu evidence bundle (派驻监督平台证据包独立校验工具).

Needs Python 3.9+ and the `cryptography` package only; no Paizhu code, no database.

    python3 verify_bundle.py bundle.zip [--public-key BASE64] [--json]

Exit code 0: the bundle is intact and its events are covered as reported; 1: it is not (each problem is named);
2: usage error. Without --public-key the key inside the bundle is used and its fingerprint printed: compare it
with the platform's public key obtained separately, or the bundle proves only that it is self-consistent.

Checks:
1. the zip is written canonically (rebuilt from its files byte for byte) and holds exactly the expected files;
2. manifest.json is signed (manifest.sig, Ed25519) by the public key, and fixes the SHA-256 of every other file;
3. every event's content matches its hash (SHA-256 of its canonical JSON fields, `hash` excluded);
4. every stream in the bundle is a complete chain: versions 1..n, each `prev_hash` the previous event's hash;
5. each service's checkpoint is signed by the key over (service, position, log digest, heads digest and, since it
   is recorded, the Merkle root of the heads), each head in the bundle is proven by its Merkle path to that root
   (or, for an older checkpoint, the whole heads map matches the signed heads digest), and the head it signs for
   each stream is the event with that hash in the bundle: so every event up to it is covered; events after it are reported as not yet covered.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import zipfile
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "paizhu-evidence/1"
FILES = ("manifest.json", "manifest.sig", "public_key.txt", "events.jsonl", "checkpoints.json", "report.txt")
GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def canonical_zip(files: dict[str, bytes]) -> bytes:
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


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Failed(Exception):
    pass


def merkle_root(stream_id: str, head: Any, proof: Any) -> str | None:
    """The heads root a stream's head and its proof lead to: leaf = SHA-256(0x00 + canonical [stream, version,
    hash]), node = SHA-256(0x01 + left + right); each proof step names the side of the sibling ("L" or "R")."""
    try:
        node = hashlib.sha256(b"\x00" + canonical([stream_id, int(head[0]), str(head[1])])).digest()
        for side, sibling in proof:
            other = bytes.fromhex(sibling)
            if len(other) != 32 or side not in ("L", "R"):
                return None
            node = hashlib.sha256(b"\x01" + (other + node if side == "L" else node + other)).digest()
    except (TypeError, ValueError, IndexError):
        return None
    return node.hex()


def read_bundle(data: bytes) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if sorted(names) != sorted(FILES) or len(names) != len(set(names)):
                raise Failed(f"unexpected files in the bundle: {sorted(names)}")
            files = {name: archive.read(name) for name in names}
    except Failed:
        raise
    except Exception as error:  # a changed header makes zipfile raise almost anything: the bundle fails
        raise Failed(f"not a readable zip: {type(error).__name__}: {error}") from None
    if canonical_zip(files) != data:
        raise Failed("the zip container is not the canonical one written at export (it was changed)")
    return files


def verify(data: bytes, pinned_key: str | None = None) -> dict[str, Any]:
    """The verification report; raises Failed at the first problem that makes the rest meaningless."""
    files = read_bundle(data)
    public_b64 = files["public_key.txt"].decode("ascii", "replace").strip()
    if pinned_key is not None and pinned_key.strip() != public_b64:
        raise Failed("the bundle's public key is not the one given with --public-key")
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64, validate=True))
        key.verify(base64.b64decode(files["manifest.sig"].strip(), validate=True), files["manifest.json"])
    except (InvalidSignature, ValueError) as error:
        raise Failed(f"the manifest's signature is not valid ({type(error).__name__})") from None
    manifest = json.loads(files["manifest.json"])
    if manifest.get("format") != FORMAT or manifest.get("public_key") != public_b64:
        raise Failed("unknown bundle format or a manifest that names another key")
    for name in FILES[2:]:
        if manifest["files"].get(name) != sha256(files[name]):
            raise Failed(f"{name} does not match the signed manifest")
    if files["manifest.json"] != canonical(manifest):
        raise Failed("manifest.json is not in canonical form")

    problems: list[str] = []
    streams: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    lines = files["events.jsonl"].split(b"\n")
    if lines[-1] != b"":
        raise Failed("events.jsonl does not end with a newline")
    for number, line in enumerate(lines[:-1], start=1):
        record = json.loads(line)
        if canonical(record) != line:
            problems.append(f"events.jsonl line {number} is not in canonical form")
        fields = record["fields"]
        body = {k: v for k, v in fields.items() if k != "hash"}
        if sha256(canonical(body)) != fields.get("hash"):
            problems.append(f"event {record['service']}/{record['stream_id']} v{record['version']}: "
                            "content does not match its hash")
        if fields.get("originator_id") != record["stream_id"] or fields.get("originator_version") != \
                record["version"]:
            problems.append(f"events.jsonl line {number}: stream or version differs from the hashed fields")
        stream = streams.setdefault((record["service"], record["stream_id"]), {})
        if record["version"] in stream:
            problems.append(f"event {record['service']}/{record['stream_id']} v{record['version']} appears twice")
        stream[record["version"]] = fields
    for (service, stream_id), events in streams.items():
        previous = GENESIS
        for version in range(1, max(events) + 1):
            event = events.get(version)
            if event is None:
                problems.append(f"stream {service}/{stream_id}: version {version} is missing")
                previous = ""
                continue
            if previous and event.get("prev_hash") != previous:
                problems.append(f"stream {service}/{stream_id} v{version} does not follow version {version - 1}")
            previous = str(event.get("hash"))

    checkpoints = {c["service"]: c for c in json.loads(files["checkpoints.json"])}
    covered = uncovered = 0
    for service, checkpoint in checkpoints.items():
        signed_fields = {"service": service, "position": checkpoint["position"],
                         "log_digest": checkpoint["log_digest"], "heads_digest": checkpoint["heads_digest"]}
        if checkpoint.get("heads_root"):
            signed_fields["heads_root"] = checkpoint["heads_root"]
        try:
            key.verify(base64.b64decode(checkpoint["signature"], validate=True), canonical(signed_fields))
        except (InvalidSignature, ValueError):
            problems.append(f"the checkpoint of {service} at position {checkpoint['position']} is not validly signed")
        if checkpoint.get("heads_root"):  # the case's heads, each proven against the signed Merkle root
            proofs = checkpoint.get("proofs", {})
            for stream_id, head in checkpoint["heads"].items():
                if merkle_root(stream_id, head, proofs.get(stream_id)) != checkpoint["heads_root"]:
                    problems.append(f"the head of {service}/{stream_id} is not proven by the signed heads root")
        elif sha256(canonical(checkpoint["heads"])) != checkpoint["heads_digest"]:
            problems.append(f"the heads of {service}'s checkpoint do not match its signed digest")
    for (service, stream_id), events in streams.items():
        head = checkpoints.get(service, {}).get("heads", {}).get(stream_id)
        signed = 0
        if head is not None:
            signed, signed_hash = head
            event = events.get(signed)
            if event is None:
                problems.append(f"stream {service}/{stream_id}: the signed head (version {signed}) is not in the bundle")
            elif event.get("hash") != signed_hash:
                problems.append(f"stream {service}/{stream_id}: version {signed} differs from the signed head")
        covered += sum(1 for v in events if v <= signed)
        uncovered += sum(1 for v in events if v > signed)
    return {
        "intact": not problems, "problems": problems, "case": manifest["case"], "events": sum(map(len,
                                                                                                   streams.values())),
        "streams": len(streams), "covered": covered, "uncovered": uncovered,
        "public_key": public_b64, "public_key_sha256": sha256(base64.b64decode(public_b64))[:16],
        "exported_at": manifest.get("exported_at"), "exported_by": manifest.get("exported_by"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="校验派驻监督平台证据包 (verify a Paizhu evidence bundle)")
    parser.add_argument("bundle")
    parser.add_argument("--public-key", help="平台公钥 base64 (the platform's Ed25519 public key, base64)")
    parser.add_argument("--json", action="store_true", help="输出 JSON (print a JSON report)")
    args = parser.parse_args(argv)
    try:
        with open(args.bundle, "rb") as handle:
            data = handle.read()
    except OSError as error:
        print(f"无法读取 (cannot read) {args.bundle}: {error}", file=sys.stderr)
        return 2
    try:
        report = verify(data, args.public_key)
    except Exception as error:  # anything malformed fails the bundle, with its reason
        report = {"intact": False, "problems": [f"{error}" if isinstance(error, Failed) else
                                                f"malformed bundle ({type(error).__name__}: {error})"]}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif report["intact"]:
        print(f"完整 (INTACT): {report['case']['kind']} {report['case']['record_id']} — {report['events']} events "
              f"in {report['streams']} streams; {report['covered']} covered by signed checkpoints, "
              f"{report['uncovered']} recorded after them")
        pinned = "已核对 (pinned)" if args.public_key else "未核对，请与平台公钥比对 (NOT pinned: compare it)"
        print(f"公钥 (public key) {report['public_key']} [{pinned}]")
    else:
        print("不完整 (NOT INTACT):")
        for problem in report["problems"]:
            print(f"  - {problem}")
    return 0 if report["intact"] else 1


if __name__ == "__main__":
    sys.exit(main())
