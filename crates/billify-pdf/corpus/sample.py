#!/usr/bin/env python3
"""Copies the committed sample out of a full generated corpus: every ReportLab invoice, the
first two Chromium invoices of each layout family (one per half), three scans, and two invoices
per half of two families for each of the LibreOffice, TeX and printed e-invoice producers (with
two printed e-invoice fixtures).

Usage: ``python3 sample.py FULL_CORPUS_DIR SAMPLE_DIR``
"""

import json
import os
import shutil
import sys

src, dst = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(src, "manifest.json"), encoding="utf-8"))
keep = []
for e in manifest:
    name = os.path.basename(e["path"])
    index = int(name.rsplit("-", 1)[1].split(".")[0])
    p, f = e["producer"], e["family"]
    if p == "reportlab" or (p == "chromium" and index < 2) or (
        p == "scan" and f in ("benelux", "de") and index < 1 or p == "scan" and f == "uk" and index == 1
    ) or (
        # The other producers (generated with --producers libreoffice,tex,einvoice): two families
        # each, one invoice per half.
        index < 2 and (p == "libreoffice" and f in ("benelux", "de") or p == "tex" and f in ("benelux", "uk")
                       or p == "einvoice" and f in ("de", "fr", "fixture"))
    ):
        keep.append(e)
for e in keep:
    os.makedirs(os.path.join(dst, os.path.dirname(e["path"])), exist_ok=True)
    shutil.copyfile(os.path.join(src, e["path"]), os.path.join(dst, e["path"]))
with open(os.path.join(dst, "manifest.json"), "w", encoding="utf-8") as f:
    json.dump(keep, f, indent=1, ensure_ascii=False)
print(f"{len(keep)} documents")
