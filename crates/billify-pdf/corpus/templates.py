#!/usr/bin/env python3
r"""Invoices made by the built-in templates of real invoice libraries and TeX packages.

Small tools and freelancers often make their invoices with a TeX package or an invoice library
and keep its built-in layout. This script fills those templates with seeded data (the package's
own documented commands / API; nothing of their layout is restyled or copied here) and writes a
scored corpus:

| family             | software (how it is run)                                        | renderer  |
|--------------------|-----------------------------------------------------------------|-----------|
| `InvoiceGenerator` | PyPI `InvoiceGenerator`: SimpleInvoice (taxable or not) and     | reportlab |
|                    | CorrectingInvoice (credit notes), INVOICE_LANG en/cs, babel     |           |
|                    | currency locales (de_DE, nl_NL, fr_FR, en_GB, en_US, cs_CZ, ...)|           |
| `pyinvoice`        | PyPI `pyinvoice` SimpleInvoice (one tax rate, transactions,     | reportlab |
|                    | bottom tip with the IBAN); English only, no currency printed    |           |
| `simpleinvoice`    | TeX package `simpleinvoice` (english/UKenglish/norsk),          | pdflatex  |
|                    | `\SetDate` + `\setdeadline` give the dates                      |           |
| `isodoc`           | TeX class `isodoc` in invoice mode (`\invoice`, `\itable`,       | pdflatex  |
|                    | `\paymentdata`), languages en-GB/en-US/de-DE/fr-FR/nl-BE/nl-NL   |           |
| `microinvoice`     | npm `microinvoice` (Crisp, PDFKit), labels en/fr/de/nl          | pdfkit    |

The TeX packages `invoice` and `invoice2` need `siunitx` (Debian `texlive-science`) and are not
included yet; `invoice-class` (US commercial invoice, no invoice number) and `factura`
(Venezuelan legal invoices) do not fit.

Install (Debian 12, PyPI, npm):

    apt-get install -y texlive-latex-extra texlive-lang-german texlive-lang-french \
        texlive-lang-european poppler-utils nodejs npm
    pip install InvoiceGenerator pyinvoice reportlab
    mkdir -p /work/scratch/templates-work && cd /work/scratch/templates-work && \
        npm init -y && npm install microinvoice

Usage: ``python3 templates.py OUT [--count N] [--seed S] [--families a,b]
[--node-modules DIR]`` (``--count`` per family, default 8; ``--node-modules`` defaults to
``/work/scratch/templates-work/node_modules``). Writes ``OUT/templates/<family>-NNN.pdf`` and
``OUT/manifest.json`` (producer ``templates``, family = package name, renderer as above,
split tune/heldout by even/odd index within the family).

Truth: invoice number (isodoc prints it as "Our reference"/"Nos références"/...), issue date,
due date (only where the page prints a date), currency (only where printed as a code/symbol:
not pyinvoice, not isodoc's marvosym euro sign), subtotal, VAT (only where one total VAT figure
is printed: InvoiceGenerator, isodoc and microinvoice print one row per rate), total and amount
due as the template prints them (InvoiceGenerator's babel formatting rounds the unrounded sums
half-even, so its total may differ by a cent from subtotal + VAT; pyinvoice shows payments as
transactions without a balance, so amount_due is left out there), seller name and VAT number,
buyer name, IBAN, kind (credit notes: InvoiceGenerator's CorrectingInvoice, negative lines;
microinvoice's "Credit Note"/"Avoir"/"Gutschrift"/"Creditnota"), and the number of lines.
Every truth amount, number, IBAN and VAT number (and the buyer's VAT number in ``own``) is
checked against ``pdftotext -layout`` of the page; a mismatch aborts the run (``--keep-going``
skips the document instead). Names that the template wraps or hyphenates only print a note.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import address, company, iban, iban_print, vat  # noqa: E402

D2 = Decimal("0.01")


def q(x, mode=ROUND_HALF_UP):
    return Decimal(x).quantize(D2, rounding=mode)


def s2(x):
    return f"{abs(x):.2f}"


# ---------------------------------------------------------------------------------------------
# The seeded invoice model shared by every template.

RATES = {"BE": [21, 12, 6, 0], "NL": [21, 9], "FR": [20, 10, Decimal("5.5")], "DE": [19, 7], "GB": [20, 5, 0],
         "LU": [17, 8], "AT": [20, 10], "IT": [22, 10]}
CLOC = {"BE": "be", "NL": "nl", "FR": "fr", "DE": "de", "GB": "uk", "LU": "lu", "AT": "de", "IT": "fr"}
COUNTRY_NAME = {"BE": "Belgium", "NL": "Netherlands", "FR": "France", "DE": "Germany", "GB": "United Kingdom",
                "LU": "Luxembourg", "AT": "Austria", "IT": "Italy"}
GOODS = {
    "en": ["Consulting services", "Web hosting (monthly)", "Office chairs", "Design work", "Software licence",
           "Maintenance contract", "Printing A4 flyers", "Travel expenses", "Support hours", "Laptop stand",
           "Cloud storage 1 TB", "Training day", "Domain renewal", "Photography session", "Copywriting",
           "Logo redesign", "Server setup", "Code review", "Workshop facilitation", "Translation EN-FR"],
    "de": ["Beratung", "Webhosting (monatlich)", "Bürostühle", "Gestaltung Flyer", "Softwarelizenz",
           "Wartungsvertrag", "Reisekosten", "Supportstunden", "Schulung", "Fotografie", "Lektorat",
           "Programmierung", "Einrichtung Server", "Übersetzung DE-EN"],
    "fr": ["Prestation de conseil", "Hébergement web (mensuel)", "Chaises de bureau", "Création graphique",
           "Licence logiciel", "Contrat de maintenance", "Frais de déplacement", "Heures de support",
           "Formation", "Traduction FR-NL", "Rédaction", "Développement"],
    "nl": ["Adviesdiensten", "Webhosting (maandelijks)", "Bureaustoelen", "Ontwerpwerk", "Softwarelicentie",
           "Onderhoudscontract", "Reiskosten", "Supporturen", "Opleidingsdag", "Vertaling NL-FR",
           "Fotografie", "Programmeerwerk"],
    "no": ["Konsulenttjenester", "Webhotell", "Design", "Programvarelisens", "Kurs", "Reisekostnader"],
    "cs": ["Konzultace", "Webhosting", "Grafický návrh", "Licence software", "Školení", "Cestovné"],
}
LONG = ["Internationale Handels- und Beratungsgesellschaft", "Atelier de Conception Graphique du Sud-Ouest",
        "Noordzee Offshore Engineering en Onderhoud", "Northern Lights Creative Production Collective"]
FORMS = {"BE": ["BV", "NV", "SRL", "SA"], "NL": ["B.V.", "V.O.F."], "DE": ["GmbH", "UG (haftungsbeschränkt)", "AG"],
         "FR": ["SAS", "SARL", "EURL"], "GB": ["Ltd", "Limited", "LLP"], "LU": ["S.à r.l.", "S.A."],
         "AT": ["GmbH", "KG"], "IT": ["S.r.l.", "S.p.A."]}
FREELANCERS = ["Anna Jansen", "Pieter De Smet", "Julia Schneider", "Camille Laurent", "Tom Harris",
               "Sofie Peeters", "Lukas Becker", "Emma Dubois", "Oliver Bennett", "Lotte Visser"]


def party(rng, country, person=False):
    loc = CLOC[country]
    if person:
        name = rng.choice(FREELANCERS)
        if rng.random() < 0.5:
            name += " " + rng.choice(["Design", "Consulting", "Photography", "IT Services", "Translations"])
    elif rng.random() < 0.15:
        name = rng.choice(LONG) + " " + rng.choice(FORMS[country])
    else:
        name = company(rng, loc, legal=False) + " " + rng.choice(FORMS[country])
    if country == "AT":
        street = f"{rng.choice(['Mariahilfer Straße', 'Landstraßer Hauptstraße'])} {rng.randrange(1, 200)}"
        city = rng.choice(["1010 Wien", "8010 Graz", "4020 Linz"])
    elif country == "IT":
        street, city = f"Via Roma {rng.randrange(1, 200)}", rng.choice(["20121 Milano", "00184 Roma"])
    else:
        street, city = address(rng, loc)
    if country == "AT":
        v = "ATU" + "".join(rng.choice("0123456789") for _ in range(8))
    elif country == "IT":
        v = "IT" + "".join(rng.choice("0123456789") for _ in range(11))
    else:
        v = vat(rng, country)
    ib_c = country if country in ("BE", "NL", "DE", "FR", "GB", "LU") else "DE"
    return dict(name=name, street=street, city=city, country=country, cname=COUNTRY_NAME[country], vat=v,
                iban=iban(rng, ib_c), bic=rng.choice(["GEBABEBB", "KREDBEBB", "INGBNL2A", "RABONL2U", "DEUTDEFF",
                                                       "BNPAFRPP", "NWBKGB2L", "COBADEFF"]))


def make_model(rng, idx, langs, seller_countries=None, max_lines=25, multi_rate=True, credit_p=0.0,
               paid_p=0.0, currencies=None):
    lang = rng.choice(langs)
    sc = rng.choice(seller_countries or {"en": ["GB", "BE", "NL", "DE"], "de": ["DE", "AT", "DE"],
                                          "fr": ["FR", "BE", "LU"], "nl": ["NL", "BE"], "no": ["GB", "NL"],
                                          "cs": ["DE", "AT"]}[lang])
    bc = sc if rng.random() < 0.6 else rng.choice(["BE", "NL", "FR", "DE", "GB", "LU"])
    seller = party(rng, sc, person=rng.random() < 0.3)
    buyer = party(rng, bc)
    if currencies:
        cur = rng.choice(currencies)
    else:
        cur = "GBP" if sc == "GB" and rng.random() < 0.8 else rng.choice(["EUR"] * 8 + ["USD", "CHF"])
    n = rng.choice([1, 1, 2, 3, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25])
    n = min(n, max_lines)
    rates = RATES[sc]
    one = not multi_rate or rng.random() < 0.6
    base_rate = rates[0] if rng.random() < 0.85 else rng.choice(rates)
    lines = []
    goods = GOODS.get(lang, GOODS["en"])
    for _ in range(n):
        qty = rng.choice([1, 1, 1, 2, 3, 4, 5, 8, 10, 12, 20, Decimal("1.5"), Decimal("2.5"), Decimal("7.5")])
        price = Decimal(rng.choice([rng.randrange(5, 150), rng.randrange(50, 2500), rng.randrange(100, 60000) / 100]))
        price = q(price)
        rate = Decimal(base_rate if one else rng.choice(rates))
        lines.append(dict(desc=rng.choice(goods), qty=Decimal(qty), price=price, rate=rate))
    issue = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    terms = rng.choice([7, 14, 14, 30, 30, 30, 45, 60])
    year = issue.year
    number = rng.choice([f"{year}-{rng.randrange(1, 999):03d}", f"INV-{year}{rng.randrange(1, 9999):04d}",
                         f"{rng.randrange(1000, 99999)}", f"F{year % 100:02d}/{rng.randrange(1, 999):04d}",
                         f"RE-{year}-{rng.randrange(10, 9999)}"])
    credit = rng.random() < credit_p
    return dict(idx=idx, lang=lang, seller=seller, buyer=buyer, currency=cur, lines=lines, issue=issue,
                terms=terms, due=issue + dt.timedelta(days=terms), number=number, credit=credit,
                paid_share=(rng.choice([Decimal("0.3"), Decimal("0.5"), Decimal("0.25")]) if rng.random() < paid_p
                            else None),
                own_is_buyer=rng.random() < 0.8)


def qty_str(x, dec="."):
    s = f"{x.normalize():f}" if x != x.to_integral() else str(int(x))
    return s.replace(".", dec)


# ---------------------------------------------------------------------------------------------
# Helpers: run a command, typeset TeX, read a PDF's text.


def run(cmd, cwd=None, env=None, timeout=300):
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    return p


def pdftext(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def tex_esc(s):
    rep = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
           "~": r"\textasciitilde{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
    return "".join(rep.get(c, c) for c in s)


def tex_run(engine, tex_src, out_pdf, tmp):
    d = tempfile.mkdtemp(dir=tmp)
    with open(os.path.join(d, "doc.tex"), "w", encoding="utf-8") as f:
        f.write(tex_src)
    for _ in range(2):
        p = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], cwd=d,
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            with open(os.path.join(d, "doc.log"), encoding="latin-1") as f:
                log = f.read()
            raise RuntimeError(f"{engine} failed in {d}:\n{log[-3000:]}")
    shutil.copy(os.path.join(d, "doc.pdf"), out_pdf)
    shutil.rmtree(d, ignore_errors=True)


def base_truth(m, printed_seller_vat=True, printed_iban=True):
    t = dict(invoice_number=m["number"], issue_date=m["issue"].isoformat(), seller_name=m["seller"]["name"],
             buyer_name=m["buyer"]["name"], kind="credit_note" if m["credit"] else "invoice", lines=len(m["lines"]))
    if printed_seller_vat:
        t["seller_vat"] = m["seller"]["vat"]
    if printed_iban:
        t["iban"] = m["seller"]["iban"]
    return t


def split_city(city):
    mm = re.match(r"^(L-\d{4}|\d{4} [A-Z]{2}|\d{4,5}) (.+)$", city)
    if mm:
        return mm.group(1), mm.group(2)
    return "", city


# ---------------------------------------------------------------------------------------------
# InvoiceGenerator (PyPI), ReportLab. Run in a subprocess per document: the library reads its
# language (INVOICE_LANG) from the environment.

IG_LOCALE = {"EUR": ["de_DE", "nl_NL", "fr_FR", "en_IE", "nl_BE"], "GBP": ["en_GB"], "USD": ["en_US"],
             "CHF": ["de_CH"]}

IG_WORKER = r'''
import json, os, sys, datetime
from decimal import Decimal
job = json.load(open(sys.argv[1]))
os.environ["INVOICE_LANG"] = job["lang"]
from InvoiceGenerator.api import Invoice, Correction, Item, Client, Provider, Creator
from InvoiceGenerator.pdf import SimpleInvoice, CorrectingInvoice
s, b = job["seller"], job["buyer"]
client = Client(b["name"], address=b["street"], city=b["city_only"], zip_code=b["zip"],
                vat_id=b["vat"] if job["buyer_vat"] else "", country=b["cname"])
provider = Provider(s["name"], address=s["street"], city=s["city_only"], zip_code=s["zip"], vat_id=s["vat"],
                    country=s["cname"], bank_name=job["bank_name"], bank_account=job["account"], note=job["note"],
                    phone=job["phone"], email=job["email"])
creator = Creator(job["creator"])
cls = Correction if job["credit"] else Invoice
inv = cls(client, provider, creator)
inv.title = job["title"]
inv.number = job["number"]
inv.currency = job["currency"]
inv.currency_locale = job["locale"]
inv.use_tax = job["use_tax"]
inv.iban = s["iban"]
inv.swift = s["bic"]
inv.date = datetime.date.fromisoformat(job["issue"])
if job["due"]:
    inv.payback = datetime.date.fromisoformat(job["due"])
if job["taxable"]:
    inv.taxable_date = datetime.date.fromisoformat(job["issue"])
if job["paytype"]:
    inv.paytype = job["paytype"]
if job["credit"]:
    inv.reason = job["reason"]
if job["vs"]:
    inv.variable_symbol = job["vs"]
for l in job["lines"]:
    inv.add_item(Item(Decimal(l["qty"]), Decimal(l["price"]), description=l["desc"], unit=l["unit"],
                      tax=Decimal(l["rate"])))
if job["credit"]:
    CorrectingInvoice(inv).gen(job["out"])
else:
    SimpleInvoice(inv).gen(job["out"], generate_qr_code=False)
print(json.dumps({"price": str(inv.price), "price_tax": str(inv.price_tax),
                  "vat": {str(k): str(v["tax"]) for k, v in inv.generate_breakdown_vat().items()}}))
'''


def render_invoicegenerator(rng, m, out_pdf, tmp, ctx):
    lang = m["lang"]
    cs = lang == "cs"
    use_tax = rng.random() < 0.8
    cur = m["currency"]
    locale = "cs_CZ" if cs and rng.random() < 0.5 else rng.choice(IG_LOCALE[cur])
    job = dict(lang=lang, number=m["number"], currency=cur, locale=locale, use_tax=use_tax, credit=m["credit"],
               issue=m["issue"].isoformat(), due=m["due"].isoformat() if rng.random() < 0.85 else None,
               taxable=rng.random() < 0.5, out=out_pdf, creator=rng.choice(FREELANCERS),
               title={"en": rng.choice(["Invoice", "INVOICE", ""]), "cs": "Faktura"}[lang] if not m["credit"]
               else {"en": "Credit note", "cs": "Opravný daňový doklad"}[lang],
               paytype=rng.choice(["", "Bank transfer", "Wire transfer"]) if lang == "en" else
               rng.choice(["", "Převodem"]),
               reason=rng.choice(["Returned goods", "Price correction", "Duplicate invoice"]) if lang == "en"
               else "Vrácení zboží",
               vs=m["number"].replace("-", "")[-10:] if cs and m["number"].replace("-", "").isdigit() else "",
               bank_name=rng.choice(["KBC Bank", "ING", "Deutsche Bank", "BNP Paribas Fortis", "Rabobank",
                                     "Barclays", "Fio banka"]),
               account=m["seller"]["iban"][4:] if rng.random() < 0.3 else iban_print(m["seller"]["iban"]),
               note=rng.choice(["", "Registered in the trade register.", "Thank you for your business."]),
               phone=rng.choice(["", "+32 3 123 45 67", "+49 30 1234567"]),
               email=rng.choice(["", "billing@example.com"]), buyer_vat=rng.random() < 0.8)
    for k in ("seller", "buyer"):
        p = dict(m[k])
        p["zip"], p["city_only"] = split_city(p["city"])
        job[k] = p
    sign = -1 if m["credit"] else 1
    units = ["pcs", "h", "", "day"] if lang == "en" else ["ks", "hod", ""]
    job["lines"] = [dict(desc=l["desc"], qty=str(sign * l["qty"]), price=str(l["price"]), rate=str(l["rate"]),
                         unit=rng.choice(units)) for l in m["lines"]]
    jf = os.path.join(tmp, f"ig-{m['idx']}.json")
    with open(jf, "w") as f:
        json.dump(job, f)
    wf = os.path.join(tmp, "ig_worker.py")
    with open(wf, "w") as f:
        f.write(IG_WORKER)
    env = dict(os.environ, INVOICE_LANG=lang)
    res = json.loads(run([sys.executable, wf, jf], env=env).stdout.strip().splitlines()[-1])
    # babel formats the unrounded Decimal sums with half-even rounding
    t = base_truth(m)
    if job["due"]:
        t["due_date"] = job["due"]
    t["currency"] = cur
    price = Decimal(res["price"])
    price_tax = Decimal(res["price_tax"])
    if use_tax:
        total = q(price_tax, ROUND_HALF_EVEN)
        if len(res["vat"]) == 1:  # single-rate breakdown row: its tax and amount without VAT are printed
            t["subtotal"] = s2(q(price, ROUND_HALF_EVEN))
            t["vat_amount"] = s2(q(price_tax - price, ROUND_HALF_EVEN))
    else:
        total = q(price, ROUND_HALF_EVEN)
    t["total"] = s2(total)
    t["amount_due"] = s2(total)
    return "reportlab", t, [m["buyer"]["vat"]] if job["buyer_vat"] else []


# ---------------------------------------------------------------------------------------------
# pyinvoice (PyPI), ReportLab.


def render_pyinvoice(rng, m, out_pdf, tmp, ctx):
    from pyinvoice.models import ClientInfo, InvoiceInfo, Item, PDFInfo, ServiceProviderInfo, Transaction
    from pyinvoice.templates import SimpleInvoice

    s, b = m["seller"], m["buyer"]
    doc = SimpleInvoice(out_pdf, pdf_info=PDFInfo(title="Invoice", author=s["name"], subject="Invoice"))
    due = m["due"] if rng.random() < 0.8 else None
    doc.invoice_info = InvoiceInfo(m["number"], m["issue"], due)
    szip, scity = split_city(s["city"])
    bzip, bcity = split_city(b["city"])
    doc.service_provider_info = ServiceProviderInfo(name=s["name"], street=s["street"], city=scity,
                                                    country=s["cname"], post_code=szip or None,
                                                    vat_tax_number=s["vat"])
    doc.client_info = ClientInfo(name=b["name"], street=b["street"], city=bcity, country=b["cname"],
                                 post_code=bzip or None, email=rng.choice([None, "accounts@example.com"]),
                                 client_id=rng.choice([None, str(rng.randrange(100, 9999))]))
    for l in m["lines"]:
        qty = int(l["qty"]) if l["qty"] == l["qty"].to_integral() else 1  # pyinvoice takes int units
        l["qty"] = Decimal(qty)
        doc.add_item(Item(l["desc"], rng.choice(["", "Ref. " + str(rng.randrange(100, 999)), l["desc"].lower()]),
                          qty, str(l["price"])))
    rate = m["lines"][0]["rate"]
    use_tax = rate != 0 or rng.random() < 0.5
    if use_tax:
        doc.set_item_tax_rate(rate)
    net = sum(l["qty"] * l["price"] for l in m["lines"])
    vat_ = net * rate / 100 if use_tax else Decimal(0)
    total = q(net + vat_)
    paid = None
    if m["paid_share"] is not None:
        paid = q(total * m["paid_share"])
        doc.add_transaction(Transaction(rng.choice(["Paypal", "Stripe", "Bank transfer"]),
                                        rng.randrange(100000, 999999), m["issue"], str(paid)))
    tip = ""
    if rng.random() < 0.8:
        tip = f"Please pay to IBAN {iban_print(s['iban'])} (BIC {s['bic']})"
        if due is None:
            tip += f" within {m['terms']} days"
        tip += "."
        doc.set_bottom_tip(tip)
    doc.is_paid = paid is None and rng.random() < 0.1
    doc.finish()
    t = base_truth(m, printed_iban=bool(tip))
    if due:
        t["due_date"] = due.isoformat()
    t["subtotal"] = s2(q(net))
    if use_tax:
        t["vat_amount"] = s2(q(vat_))
    t["total"] = s2(total)
    if paid is None:
        t["amount_due"] = s2(total)
    return "reportlab", t, []


# ---------------------------------------------------------------------------------------------
# TeX: simpleinvoice (texlive-latex-extra). Amounts are the caller's; dates come from advdate.


def render_simpleinvoice(rng, m, out_pdf, tmp, ctx):
    s, b = m["seller"], m["buyer"]
    lang = m["lang"]
    opt = {"en": rng.choice(["english", "UKenglish"]), "no": "norsk"}[lang]
    dec = "," if lang == "no" or rng.random() < 0.3 else "."
    cur = m["currency"]
    sym = {"EUR": rng.choice(["€", "EUR"]), "GBP": rng.choice(["£", "GBP"]), "USD": "USD", "CHF": "CHF"}[cur]

    def money(x):
        v = s2(q(x)).replace(".", dec)
        return f"{v} {sym}" if (dec == "," or sym in ("EUR", "USD", "CHF", "GBP")) else f"{sym}{v}"

    items = []
    net = Decimal(0)
    vat_ = Decimal(0)
    for l in m["lines"]:
        line_net = q(l["qty"] * l["price"])
        line_vat = q(line_net * l["rate"] / 100)
        net += line_net
        vat_ += line_vat
        desc = l["desc"] if l["qty"] == 1 else f"{l['desc']} ({qty_str(l['qty'], dec)} x {money(l['price'])})"
        # the package's columns: description, item price, VAT %, sum (incl. VAT)
        items.append(rf"\additem{{{tex_esc(desc)}}}{{{tex_esc(money(line_net))}}}{{{qty_str(l['rate'], dec)}}}"
                     rf"{{{tex_esc(money(line_net + line_vat))}}}")
    total = net + vat_
    with_vat = rng.random() < 0.7
    addr = tex_esc(s["street"]) + r" \\ " + tex_esc(s["city"]) + ", " + tex_esc(s["cname"])
    if with_vat:
        addr += r" \\ " + ("VAT" if lang == "en" else "Org.nr./MVA") + ": " + s["vat"]
    extra1 = rng.choice(["", r"\setphonenumber{+32 9 234 56 78}", r"\setemail{invoices@example.org}"])
    extra2 = rng.choice(["", r"\setyourref{PO " + str(rng.randrange(1000, 9999)) + "}"])
    baddr = tex_esc(b["street"]) + r" \\ " + tex_esc(b["city"]) + r" \\ " + tex_esc(b["cname"])
    doc = rf"""\documentclass[a4paper,{opt}]{{article}}
\usepackage[utf8]{{inputenc}}
\usepackage[T1]{{fontenc}}
\usepackage{{textcomp}}
\usepackage[{opt}]{{simpleinvoice}}
\usepackage[margin=2cm]{{geometry}}
\DeclareUnicodeCharacter{{20AC}}{{\texteuro}}
\begin{{document}}
\SetDate[{m['issue'].day:02d}/{m['issue'].month:02d}/{m['issue'].year}]
\setinvoicenumber{{{tex_esc(m['number'])}}}
\setname{{{tex_esc(s['name'])}}}
\setaddress{{{addr}}}{{{tex_esc(s['street'])} / {tex_esc(s['city'])}}}
{extra1}
\setreceivername{{{tex_esc(b['name'])}}}
\setreceiveraddress{{{baddr}}}
{extra2}
\setinvoicedate{{\today}}
\setdeadline{{{m['terms']}}}
{chr(10).join(items)}
\setsubtotal{{{tex_esc(money(net))}}}
\setvat{{{tex_esc(money(vat_))}}}
\settotal{{{tex_esc(money(total))}}}
\setaccountnumber{{{iban_print(s['iban'])}}}
\makeinvoice
\end{{document}}
"""
    tex_run("pdflatex", doc, out_pdf, tmp)
    t = base_truth(m, printed_seller_vat=with_vat)
    t["due_date"] = m["due"].isoformat()
    t["currency"] = cur
    t["subtotal"], t["vat_amount"], t["total"], t["amount_due"] = s2(net), s2(vat_), s2(total), s2(total)
    return "pdflatex", t, []


# ---------------------------------------------------------------------------------------------
# TeX: isodoc class in invoice mode (texlive-latex-extra).

ISODOC_LANG = {"en": ["en-GB", "en-US"], "de": ["de-DE"], "fr": ["fr-FR"], "nl": ["nl-BE", "nl-NL"]}


def render_isodoc(rng, m, out_pdf, tmp, ctx):
    s, b = m["seller"], m["buyer"]
    lang = m["lang"]
    il = rng.choice(ISODOC_LANG[lang])
    dec = "." if il in ("en-GB", "en-US") else ","
    thou = {".": ",", ",": "."}[dec]
    cur = m["currency"]
    curtxt = {"EUR": rng.choice([r"\EUR", "EUR"]), "GBP": "GBP", "USD": "USD", "CHF": "CHF"}[cur]
    grouped = rng.random() < 0.6

    def money(x):
        i, f = s2(q(x)).split(".")
        return "{:,}".format(int(i)).replace(",", thou if grouped else "") + dec + f

    rows = []
    net = Decimal(0)
    by_rate = {}
    for l in m["lines"]:
        line = q(l["qty"] * l["price"])
        net += line
        by_rate[l["rate"]] = by_rate.get(l["rate"], Decimal(0)) + line
        d = l["desc"] if l["qty"] == 1 else f"{l['desc']}, {qty_str(l['qty'], dec)} x {money(l['price'])}"
        rows.append(rf"\iitem{{{tex_esc(d)}}}{{{money(line)}}}")
    vat_words = {"en": "VAT", "de": "MwSt.", "fr": "TVA", "nl": "btw"}[lang]
    sub_words = {"en": "Subtotal", "de": "Zwischensumme", "fr": "Total HT", "nl": "Subtotaal"}[lang]
    rows.append(rf"\itotal[{sub_words}]{{{money(net)}}}")
    vat_ = Decimal(0)
    for r, base in by_rate.items():
        v = q(base * r / 100)
        vat_ += v
        rows.append(rf"\iitem{{{vat_words} {qty_str(r, dec)}\,\%}}{{{money(v)}}}")
    total = net + vat_
    paid = q(total * m["paid_share"]) if m["paid_share"] is not None else None
    if paid:
        rows.append(rf"\itotal{{{money(total)}}}")
        paid_w = {"en": "Paid in advance", "de": "Anzahlung", "fr": "Acompte versé", "nl": "Voorschot"}[lang]
        due_w = {"en": "Amount due", "de": "Zahlbetrag", "fr": "Net à payer", "nl": "Te betalen"}[lang]
        rows.append(r"\iitem{" + paid_w + "}{-" + money(paid) + "}")
        rows.append(r"\itotal[" + due_w + "]{" + money(total - paid) + "}")
    else:
        rows.append(rf"\itotal{{{money(total)}}}")
    szip, scity = split_city(s["city"])
    with_vat = rng.random() < 0.85
    buyer_vat = rng.random() < 0.6
    body = {"en": "For services rendered we charge you as follows.",
            "de": "Für unsere Leistungen berechnen wir Ihnen:",
            "fr": "Pour nos prestations, nous vous facturons :",
            "nl": "Voor onze diensten brengen wij u het volgende in rekening."}[lang]
    to = rf"{tex_esc(b['name'])}\\{tex_esc(b['street'])}\\{tex_esc(b['city'])}"
    if b["country"] != s["country"]:
        to += rf"\\{tex_esc(b['cname'])}"
    if buyer_vat:
        to += rf"\\{vat_words}: {b['vat']}"
    keys = [f"language={il}", f"company={{{tex_esc(s['name'])}}}", f"who={{{tex_esc(rng.choice(FREELANCERS))}}}",
            f"street={{{tex_esc(s['street'])}}}", f"zip={{{tex_esc(szip)}}}", f"city={{{tex_esc(scity)}}}",
            f"country={{{tex_esc(s['cname'])}}}", f"countrycode={{{s['country']}}}",
            f"phone={{{rng.randrange(100000, 999999)}}}", f"areacode={{{rng.choice(['32', '31', '49', '33', '44'])}}}",
            f"email={{info@{re.sub('[^a-z]', '', s['name'].lower())[:12]}.example}}",
            f"bankname={{{rng.choice(['KBC', 'ING', 'Rabobank', 'Deutsche Bank', 'BNP Paribas', 'Barclays'])}}}",
            f"iban={{{s['iban']}}}", f"bic={{{s['bic']}}}", f"term={{{m['terms']}}}", f"currency={{{curtxt}}}",
            f"date={{{m['issue'].isoformat()}}}", f"ourref={{{tex_esc(m['number'])}}}", "footer",
            "footorder={phone;email}",
            "paymentorder={" + ";".join(["term", "bankname", "iban", "bic"] + (["vatno"] if with_vat else [])
                                        + ["payref"]) + "}"]
    if with_vat:
        keys.append(f"vatno={{{s['vat']}}}")
    if rng.random() < 0.4:
        keys.append(f"yourref={{PO-{rng.randrange(1000, 99999)}}}")
    setup = ",\n  ".join(keys)
    nl = "\n"
    doc = rf"""\documentclass[a4paper]{{isodoc}}
\usepackage[utf8]{{inputenc}}
\usepackage[T1]{{fontenc}}
\usepackage{{textcomp}}
\setupdocument{{
  {setup}
}}
\begin{{document}}
\invoice[to={{{to}}}]{{
{body}

\itable{{
{nl.join(rows)}
}}

\paymentdata
}}
\end{{document}}
"""
    tex_run("pdflatex", doc, out_pdf, tmp)
    t = base_truth(m, printed_seller_vat=with_vat)
    if curtxt != r"\EUR":  # marvosym's euro sign has no Unicode mapping in the text
        t["currency"] = cur
    t["subtotal"], t["total"] = s2(net), s2(total)
    if len(by_rate) == 1:  # one VAT row is the VAT total; with several rates no total VAT is printed
        t["vat_amount"] = s2(vat_)
    t["amount_due"] = s2(total - paid) if paid else s2(total)
    return "pdflatex", t, [b["vat"]] if buyer_vat else []


# ---------------------------------------------------------------------------------------------
# microinvoice (npm, PDFKit): labels and amounts are the caller's; the layout is the package's.

MI_JS = r"""
const MicroInvoice = require(process.argv[2] + "/microinvoice");
const job = JSON.parse(require("fs").readFileSync(process.argv[3], "utf8"));
new MicroInvoice({style: job.style, data: {invoice: job.invoice}}).generate(job.out)
  .then(() => console.log("ok")).catch((e) => { console.error(e); process.exit(1); });
"""

MI_L = {
    "en": dict(name="Invoice", credit="Credit Note", number="Invoice Number", date="Date", due="Due Date",
               billto="Bill To", billfrom="Bill From", tax="VAT Number", desc="Description", qty="Quantity",
               vat="VAT", sub="Subtotal", net="Total without VAT", vatpaid="VAT", total="Total with VAT",
               paid="Amount paid", due_amt="Amount due", pay="Payment", status="Status", unpaid="Unpaid"),
    "fr": dict(name="Facture", credit="Avoir", number="Numéro de facture", date="Date", due="Échéance",
               billto="Facturé à", billfrom="Émetteur", tax="N° TVA", desc="Désignation", qty="Quantité",
               vat="TVA", sub="Montant HT", net="Total HT", vatpaid="TVA", total="Total TTC", paid="Acompte versé",
               due_amt="Net à payer", pay="Paiement", status="Statut", unpaid="À payer"),
    "de": dict(name="Rechnung", credit="Gutschrift", number="Rechnungsnummer", date="Datum", due="Fällig am",
               billto="Rechnung an", billfrom="Rechnungssteller", tax="USt-IdNr.", desc="Beschreibung",
               qty="Menge", vat="USt.", sub="Netto", net="Summe netto", vatpaid="USt.", total="Gesamtbetrag",
               paid="Anzahlung", due_amt="Zahlbetrag", pay="Zahlung", status="Status", unpaid="Offen"),
    "nl": dict(name="Factuur", credit="Creditnota", number="Factuurnummer", date="Datum", due="Vervaldatum",
               billto="Factuur aan", billfrom="Van", tax="Btw-nummer", desc="Omschrijving", qty="Aantal",
               vat="Btw", sub="Subtotaal", net="Totaal excl. btw", vatpaid="Btw", total="Totaal incl. btw",
               paid="Reeds betaald", due_amt="Te betalen", pay="Betaling", status="Status", unpaid="Open"),
}


def fmt_date_l(d, lang, rng):
    return rng.choice({"en": [d.strftime("%d/%m/%Y"), d.isoformat(), d.strftime("%d %b %Y")],
                       "fr": [d.strftime("%d/%m/%Y")], "de": [d.strftime("%d.%m.%Y")],
                       "nl": [d.strftime("%d-%m-%Y"), d.strftime("%d/%m/%Y")]}[lang])


def render_microinvoice(rng, m, out_pdf, tmp, ctx):
    s, b = m["seller"], m["buyer"]
    lang = m["lang"]
    L = MI_L[lang]
    cur = m["currency"]
    sign = "-" if m["credit"] and rng.random() < 0.5 else ""
    rows = []
    by_rate = {}
    net = Decimal(0)
    for l in m["lines"]:
        amount = q(l["qty"] * l["price"])
        net += amount
        by_rate[l["rate"]] = by_rate.get(l["rate"], Decimal(0)) + amount
        rows.append([{"value": l["desc"]}, {"value": qty_str(l["qty"], "." if lang == "en" else ",")},
                     {"value": f"{qty_str(l['rate'])}%"}, {"value": sign + s2(amount), "price": True}])
    vats = {r: q(v * r / 100) for r, v in by_rate.items()}
    vat_ = sum(vats.values())
    total = net + vat_
    paid = q(total * m["paid_share"]) if m["paid_share"] is not None and not m["credit"] else None
    tot = [{"label": L["net"], "value": sign + s2(net), "price": True}]
    for r, v in vats.items():
        tot.append({"label": f"{L['vatpaid']} {qty_str(r)}%", "value": sign + s2(v), "price": True})
    tot.append({"label": L["total"], "value": sign + s2(total), "price": True})
    if paid:
        tot.append({"label": L["paid"], "value": s2(paid), "price": True})
        tot.append({"label": L["due_amt"], "value": s2(total - paid), "price": True})
    show_due = rng.random() < 0.7
    header = [{"label": L["number"], "value": m["number"]},
              {"label": L["date"], "value": fmt_date_l(m["issue"], lang, rng)}]
    if show_due:
        header.append({"label": L["due"], "value": fmt_date_l(m["due"], lang, rng)})
    if rng.random() < 0.4:
        header.append({"label": L["status"], "value": L["unpaid"]})
    buyer_vat = rng.random() < 0.7
    customer = [{"label": L["billto"], "value": [b["name"], b["street"], b["city"], b["cname"]]}]
    if buyer_vat:
        customer.append({"label": L["tax"], "value": b["vat"]})
    seller = [{"label": L["billfrom"], "value": [s["name"], s["street"], s["city"], s["cname"]]},
              {"label": L["tax"], "value": s["vat"]}]
    legal = [{"value": f"{L['pay']}: IBAN {iban_print(s['iban'])} · BIC {s['bic']}", "weight": "bold",
              "color": "primary"},
             {"value": rng.choice(["Thank you for your business.", f"{s['name']} · {s['street']} · {s['city']}"]),
              "weight": "regular", "color": "secondary"}]
    job = dict(out=out_pdf, style={}, invoice=dict(
        name=L["credit"] if m["credit"] else L["name"], header=header, currency=cur, customer=customer,
        seller=seller, legal=legal,
        details=dict(header=[{"value": L["desc"]}, {"value": L["qty"]}, {"value": L["vat"]}, {"value": L["sub"]}],
                     parts=rows, total=tot)))
    jf = os.path.join(tmp, f"mi-{m['idx']}.json")
    with open(jf, "w") as f:
        json.dump(job, f, ensure_ascii=False)
    js = os.path.join(tmp, "mi.js")
    with open(js, "w") as f:
        f.write(MI_JS)
    run(["node", js, ctx["node_modules"], jf])
    t = base_truth(m)
    if show_due:
        t["due_date"] = m["due"].isoformat()
    t["currency"] = cur
    t["subtotal"], t["total"] = s2(net), s2(total)
    if len(vats) == 1:
        t["vat_amount"] = s2(vat_)
    t["amount_due"] = s2(total - paid) if paid else s2(total)
    return "pdfkit", t, [b["vat"]] if buyer_vat else []


# ---------------------------------------------------------------------------------------------
# Families, self-check, main.

FAMILIES = {
    "InvoiceGenerator": dict(render=render_invoicegenerator, langs=["en", "en", "en", "cs"], credit_p=0.15),
    "simpleinvoice": dict(render=render_simpleinvoice, langs=["en", "en", "no"], max_lines=12),
    "isodoc": dict(render=render_isodoc, langs=["en", "de", "fr", "nl"], paid_p=0.2, max_lines=20),
    "microinvoice": dict(render=render_microinvoice, langs=["en", "fr", "de", "nl"], paid_p=0.2, credit_p=0.1,
                         max_lines=15),
    "pyinvoice": dict(render=render_pyinvoice, langs=["en"], paid_p=0.2, multi_rate=False, max_lines=10),
}


def norm(s):
    return re.sub(r"[\s\u00a0\u202f\u2009]+", "", s)


def amount_forms(a):
    i, f = a.split(".")
    g = "{:,}".format(int(i))
    return {f"{i}.{f}", f"{i},{f}", f"{g}.{f}", g.replace(",", ".") + "," + f, g.replace(",", "'") + "." + f}


def self_check(text, t, own):
    n = norm(text)
    missing = []
    for k in ("subtotal", "vat_amount", "total", "amount_due"):
        if t.get(k) and not any(norm(f) in n for f in amount_forms(t[k])):
            missing.append(f"{k}={t[k]}")
    for k in ("invoice_number", "seller_vat", "iban"):
        if t.get(k) and norm(t[k]) not in n:
            missing.append(f"{k}={t[k]}")
    for v in own.get("vat_numbers", []):
        if norm(v) not in n:
            missing.append(f"own vat {v}")
    nh = n.replace("-", "")
    for k in ("seller_name", "buyer_name"):  # long names may wrap: only a note
        if t.get(k) and not all(norm(w).replace("-", "") in nh for w in t[k].split()):
            print(f"note: {k} {t[k]!r} wrapped/hyphenated on the page", file=sys.stderr)
    return missing


def main():
    ap = argparse.ArgumentParser(description="Invoices from invoice libraries' and TeX packages' templates")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=8, help="documents per family")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--node-modules", default="/work/scratch/templates-work/node_modules")
    ap.add_argument("--keep-going", action="store_true", help="skip documents failing the self-check")
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "templates"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="templates-")
    ctx = dict(node_modules=os.path.abspath(a.node_modules), tmp=tmp)
    manifest = []
    for fam in a.families.split(","):
        spec = FAMILIES[fam]
        for i in range(a.count):
            rng = random.Random(f"{a.seed}-{fam}-{i}")
            m = make_model(rng, i, spec["langs"], seller_countries=spec.get("countries"),
                           max_lines=spec.get("max_lines", 25), multi_rate=spec.get("multi_rate", True),
                           credit_p=spec.get("credit_p", 0.0), paid_p=spec.get("paid_p", 0.0),
                           currencies=spec.get("currencies"))
            rel = f"templates/{fam}-{i:03d}.pdf"
            pdf = os.path.join(out, rel)
            renderer, truth, own_vat = spec["render"](rng, m, pdf, tmp, ctx)
            if m["own_is_buyer"]:
                own = {"names": [m["buyer"]["name"]], "vat_numbers": own_vat, "ibans": []}
            else:
                own = {"names": [], "vat_numbers": [], "ibans": []}
            miss = self_check(pdftext(pdf), truth, own)
            if miss:
                msg = f"{rel}: not found on the page: {', '.join(miss)}"
                if not a.keep_going:
                    raise SystemExit(msg)
                print("SKIP", msg, file=sys.stderr)
                os.unlink(pdf)
                continue
            manifest.append(dict(path=rel, producer="templates", family=fam, renderer=renderer,
                                 split="tune" if i % 2 == 0 else "heldout", own=own, truth=truth))
            print(rel, file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(manifest)} documents in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
