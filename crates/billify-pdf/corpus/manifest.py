"""The manifest every corpus generator writes (``OUT/manifest.json``) and the summary it
prints: documents per family and half, and how often each truth field is known."""

import json
import os
import sys


def write_manifest(out, manifest):
    """Writes ``OUT/manifest.json``."""
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


def halves(manifest):
    """"family 9 tune / 9 heldout, …" in the order the families first appear."""
    counts = {}
    for e in manifest:
        counts.setdefault(e["family"], [0, 0])[e["split"] == "heldout"] += 1
    return ", ".join(f"{f} {c[0]} tune / {c[1]} heldout" for f, c in counts.items())


def print_coverage(manifest):
    """Prints how many documents know each truth field, most first."""
    keys = {}
    for e in manifest:
        for k in e["truth"]:
            keys[k] = keys.get(k, 0) + 1
    print("truth coverage: " + ", ".join(f"{k} {v}" for k, v in sorted(keys.items(), key=lambda kv: -kv[1])),
          file=sys.stderr)
