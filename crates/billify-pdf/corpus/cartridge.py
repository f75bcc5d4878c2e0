#!/usr/bin/env python3
r"""Order invoices printed by Cartridge, the web shop of the Mezzanine CMS, with its own template and PDF path.

Cartridge (PyPI `cartridge` 1.3.4 on `Mezzanine` 6.1.1, Django 4.2) gives every order an invoice
page: its view `cartridge.shop.views.invoice` renders `shop/order_invoice_pdf.html` (which extends
`shop/order_invoice.html` and includes `shop/includes/order_details.html`) and, with xhtml2pdf
installed, hands the HTML to `pisa.CreatePDF` when called with `?format=pdf` (the "Download PDF
invoice" link of the order admin). This script makes a Mezzanine project the way a shop owner
does (`mezzanine-project -a cartridge`, in a temporary directory, SQLite, the applications' own
migrations), and for every document:

* sets the shop owner's settings: `SITE_TITLE` (the shop's name) and the editable Cartridge
  settings `SHOP_DEFAULT_TAX_RATE` and `SHOP_DEFAULT_SHIPPING_VALUE` as `mezzanine.conf` Setting
  rows (what the admin's Settings page writes); `SHOP_CURRENCY_LOCALE`, `SHOP_TAX_INCLUDED` and
  `LANGUAGE_CODE` as Django settings (`override_settings`; Mezzanine ignores the database value
  of a setting that settings.py defines, and Cartridge needs a currency locale in settings.py at
  import time for its MoneyField precision), and Cartridge's own default handlers
  (`SHOP_HANDLER_BILLING_SHIPPING` = `cartridge.shop.checkout.default_billship_handler`,
  `SHOP_HANDLER_TAX` = `cartridge.shop.checkout.default_tax_handler`) in local_settings.py;
* creates catalogue products (Product + default ProductVariation with the unit price), fills a
  cart through `Cart.add_item()` on a request with a session, applies a discount code through
  Cartridge's `DiscountForm` (percentage, fixed deduction or free shipping) in some orders, runs
  the shipping and tax handlers, and places the order with `Order.setup()` / `Order.complete()`
  (which compute item total, shipping, discount, tax and total);
* sets the order's `time` to a drawn date in 2024-2026 and its id to a drawn order number;
* downloads the invoice through Django's test client as a staff user
  (`GET /shop/invoice/<id>/?format=pdf`, Cartridge's URL, view and template unchanged).

| family         | `SHOP_TAX_INCLUDED` | what the tax line says (Cartridge's default tax handler)          |
|----------------|---------------------|-------------------------------------------------------------------|
| `tax-added`    | False               | "VAT (21%)" — the rate times the items total, added to the total  |
| `tax-included` | True                | "Incl. 21% VAT" — the part of the items total that is tax         |

Varied: the shop (seller) in BE and NL mostly, also DE, FR, LU and (English, GBP) GB (its name
is the site title, which the PDF does not print: see the caveats); language nl/fr/de/en (en-gb
for GBP shops) through `LANGUAGE_CODE` (Cartridge ships French and German catalogues, no Dutch
one: Dutch shops get Cartridge's labels in English and Django's Dutch dates and "E-mailadres", as
a Dutch shop sees it); `SHOP_CURRENCY_LOCALE` nl_BE/nl_NL/fr_BE/fr_FR/fr_LU/de_DE/
de_LU/en_IE (EUR) and en_GB (GBP), which sets the amount format ("€ 1.234,56", "1 234,56 €",
"1.234,56 €", "€1,234.56", "£1,234.56"); tax rate (the seller country's standard or reduced
rate; about one document in ten without tax, rate 0); flat shipping charge (0 to 14.95) or free
shipping through a discount code; discounts (percent or fixed); 1-12 products, quantities 1-12;
buyers (persons: Cartridge's checkout has first and last name fields and no company field), their
billing and separate shipping details, country names in the shop's language.

Install (Debian 12; locales-all provides the currency locales):

    apt-get install -y poppler-utils locales-all
    python3 -m venv /work/scratch/cartridge/venv && /work/scratch/cartridge/venv/bin/pip install \
        cartridge==1.3.4 Mezzanine==6.1.1 Django==4.2.30 xhtml2pdf==0.2.7 reportlab==3.6.13 \
        python-bidi==0.6.12 filebrowser-safe==1.1.1 grappelli-safe==1.1.1

Usage: ``python3 cartridge.py OUT [--count N] [--seed S] [--families a,b] [--python PY]
[--keep-going]`` (``--count`` per family, default 13; ``--python`` is the interpreter with the
PyPI packages, default ``/work/scratch/cartridge/venv/bin/python`` when it exists, else this one).
Writes ``OUT/cartridge/<family>-NNN.pdf`` and ``OUT/manifest.json`` (producer ``cartridge``, split
tune/heldout by even/odd index within the family). A run is deterministic given the seed (the
temporary project, database and files are removed afterwards).

Truth (Cartridge's stored order values, Django's formatting for the check): invoice_number =
the order id ("Order ID: 1234"), issue_date = the order's `time` (printed with Django's
`DATETIME_FORMAT` of the language), currency (from the currency locale), ``total`` =
`order.total`, ``vat_amount`` = `order.tax_total` when the page prints a tax line,
``subtotal`` = `order.item_total` in the `tax-added` family when the page prints "Sub total"
(Cartridge prints it only when there is shipping or a discount), buyer_name = billing first + last name (printed on two rows, "First name:" / "Last name:"),
kind "invoice", lines = number of order items. Every amount, the order id, the printed date and
the currency sign are checked against ``pdftotext -layout``; a mismatch aborts (``--keep-going``
skips the document). own: in about 4 documents of 5 the reading organisation is the buyer
(names = [buyer name]; Cartridge prints no buyer VAT number).

Caveats: the PDF names no seller at all. The template's heading is `{{ settings.SITE_TITLE }}`,
but the view renders the PDF with `get_template(...).render(context)` and no request, so
Mezzanine's `settings` context processor does not run and the heading is empty (the HTML
invoice, a TemplateResponse, shows it); seller_name is therefore never in the truth and `own`
is either the buyer or empty. The invoice has no seller address, VAT number or bank details
either, no due date and no payment state (only order id and time, the billing and shipping
details, the items and the totals); there is no setting or context the package reads to add them
without editing the template, so seller_name, seller_vat, iban, due_date and amount_due are never
in the truth; the document is an order invoice as a Cartridge shop emails or downloads it. The
"Sub total" Cartridge prints is the items total before discount and shipping (tax-added: net of
tax; tax-included: it includes tax, so it is left out of the truth there). Cartridge's default
tax handler taxes the items total only (not shipping, not the discount), and in the
tax-included family computes the tax as total - total / (1 + rate): the figures are Cartridge's,
not a tax adviser's. The tax label is Cartridge's ("VAT (21%)", "TVA (21%)", "Incl. 21% VAT";
German: "MwSt"; the French catalogue leaves "VAT" untranslated). The date line is `order.time`
with hour and minute in Django's format for the language (Europe/Brussels time; the truth is its
local date). Discount codes get the document index appended (codes are unique in a shop; the
invoice prints "Discount", not the code). Order ids are drawn (100-99999, unique per run);
xhtml2pdf stamps the creation time into the PDF, so PDFs differ byte-wise between runs while the
manifest is identical. A full run (26 documents) takes about 35 s. Names are the generator's
persons (no companies: the checkout form has no company field).
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from libraries import CNAME, GOODS, PERSONS, make_model, run, write  # noqa: E402
from templates import amount_forms, norm, pdftext  # noqa: E402
from manifest import halves, print_coverage, write_manifest  # noqa: E402  (the manifest and its summary)

D2 = Decimal("0.01")
SCRATCH = "/work/scratch/cartridge"

WORKER = r'''
import json, os, sys, datetime as dt
from decimal import Decimal as D
jobs = json.load(open(sys.argv[1]))
tmp = sys.argv[3]
# the shop owner's project, as `mezzanine-project -a cartridge` makes it
import subprocess
proj_dir = os.path.join(tmp, "site")
os.makedirs(proj_dir)
subprocess.run([os.path.join(os.path.dirname(sys.executable), "mezzanine-project"), "-a", "cartridge", "shopproj",
                proj_dir], check=True, cwd=tmp)
with open(os.path.join(proj_dir, "shopproj", "local_settings.py"), "w") as f:
    f.write(f"""
DEBUG = False
SECRET_KEY = "cartridge-corpus"
NEVERCACHE_KEY = "cartridge-corpus-nc"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {os.path.join(tmp, "shop.sqlite3")!r}}}}}
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
USE_I18N = True
LANGUAGES = (("en", "English"), ("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"))
TIME_ZONE = "Europe/Brussels"
SHOP_HANDLER_BILLING_SHIPPING = "cartridge.shop.checkout.default_billship_handler"
SHOP_HANDLER_TAX = "cartridge.shop.checkout.default_tax_handler"
SHOP_CURRENCY_LOCALE = "en_IE.UTF-8"
""")
sys.path.insert(0, proj_dir)
os.environ["DJANGO_SETTINGS_MODULE"] = "shopproj.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User, AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from mezzanine.conf import settings as msettings
from mezzanine.conf.models import Setting
from mezzanine.utils.importing import import_dotted_path
from cartridge.shop.models import Cart, DiscountCode, Order, Product, ProductVariation
from cartridge.shop.forms import DiscountForm
from cartridge.shop.templatetags.shop_tags import currency

staff = User.objects.create_superuser("owner", "owner@example.com", "pw")
client = Client()
client.force_login(staff)
res = []
for k, j in enumerate(jobs):
    for name, value in j["settings"].items():  # the admin's Settings page
        Setting.objects.update_or_create(name=name, site_id=1, defaults={"value": str(value)})
    msettings.clear_cache()
    with override_settings(LANGUAGE_CODE=j["lang"], SHOP_TAX_INCLUDED=j["tax_included"],
                           SHOP_CURRENCY_LOCALE=j["currency_locale"]), translation.override(j["lang"]):
        msettings.clear_cache()
        rq = RequestFactory().get("/shop/checkout/")
        rq.session = SessionStore()
        rq.session.create()
        rq.user = AnonymousUser()
        rq.cart = Cart.objects.from_request(rq)
        for i, l in enumerate(j["lines"]):
            p = Product.objects.create(title=l["title"], available=True, status=2)
            v = ProductVariation.objects.create(product=p, default=True, unit_price=D(l["price"]),
                                                sku=f"{k}-{i}-{l['sku']}")
            rq.cart.add_item(v, l["qty"])
        rq.session["cart"] = rq.cart.pk
        rq.session["order"] = {"step": 1}
        if j["discount"]:
            dc = dict(j["discount"])
            dc["code"] = f"{dc['code']}-{k}"  # codes are unique in the shop; the invoice does not print them
            DiscountCode.objects.create(code=dc["code"], title=dc["code"], active=True,
                                        discount_percent=D(dc["percent"]) if dc.get("percent") else None,
                                        discount_deduct=D(dc["deduct"]) if dc.get("deduct") else None,
                                        free_shipping=dc.get("free_shipping", False))
            form = DiscountForm(rq, {"discount_code": dc["code"]})
            assert form.is_valid(), form.errors
            form.set_discount()
        import_dotted_path(msettings.SHOP_HANDLER_BILLING_SHIPPING)(rq, None)
        import_dotted_path(msettings.SHOP_HANDLER_TAX)(rq, None)
        order = Order(id=j["order_id"], site_id=1, **j["billing"], **j["shipping"])
        order.setup(rq)
        order.transaction_id = j["order_id"]
        order.complete(rq)
        Order.objects.filter(pk=order.pk).update(time=dt.datetime.fromisoformat(j["time"]), status=2)
        order = Order.objects.get(pk=order.pk)
        r = client.get(reverse("shop_invoice", args=[order.id]) + "?format=pdf")
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf", (r.status_code, r.content[:300])
        with open(j["pdf"], "wb") as f:
            f.write(r.content)
        printed_time = Template("{{ t }}").render(Context({"t": order.time})).strip()
        local = timezone.localtime(order.time)
        res.append(dict(order_id=order.id, item_total=str(order.item_total), tax_total=str(order.tax_total or ""),
                        tax_type=order.tax_type, shipping_total=str(order.shipping_total or ""),
                        shipping_type=order.shipping_type, discount_total=str(order.discount_total or ""),
                        total=str(order.total), date=local.date().isoformat(), printed_time=printed_time,
                        items=order.items.count(), site_title=str(msettings.SITE_TITLE),
                        printed_total=currency(order.total),
                        printed_tax=currency(order.tax_total) if order.tax_total else ""))
json.dump(res, open(sys.argv[2], "w"))
'''

LOCALES = {"nl": {"BE": ["nl_BE.UTF-8"], "NL": ["nl_NL.UTF-8"]},
           "fr": {"BE": ["fr_BE.UTF-8"], "FR": ["fr_FR.UTF-8"], "LU": ["fr_LU.UTF-8"]},
           "de": {"DE": ["de_DE.UTF-8"], "LU": ["de_LU.UTF-8"]},
           "en": {"GB": ["en_GB.UTF-8"]}}
SIGNS = {"GBP": "£", "EUR": "€"}
SHIP = ["0", "3.95", "4.95", "5.95", "6.50", "7.95", "9.95", "12.50", "14.95"]
STREET2 = {"BE": ["Industrieweg", "Rue du Commerce", "Havenlaan"], "NL": ["Industrieweg", "Havenstraat"],
           "DE": ["Gewerbepark", "Lagerstraße"], "FR": ["rue de l'Industrie"], "GB": ["Dock Road"],
           "LU": ["rue de l'Industrie"]}


def q(x):
    return Decimal(x).quantize(D2, rounding=ROUND_HALF_UP)


def s2(x):
    return f"{abs(Decimal(x)):.2f}"


def build_jobs(models, pdfs, rngs, family):
    jobs = []
    for m, pdf, rng in zip(models, pdfs, rngs):
        s, b, lang = m["seller"], m["buyer"], m["lang"]
        cur = m["currency"]
        if lang == "en":
            loc = "en_GB.UTF-8" if cur == "GBP" else "en_IE.UTF-8"
        else:
            loc = rng.choice(LOCALES[lang].get(s["country"]) or sum(LOCALES[lang].values(), []))
            cur = "EUR"
        m["currency"] = cur
        rate = m["lines"][0]["rate"] if rng.random() < 0.9 else Decimal(0)
        ship = rng.choice(SHIP)
        n = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 10, 12])
        lines = []
        titles = rng.sample(GOODS[lang], min(n, len(GOODS[lang])))
        for i in range(n):
            price = q(rng.choice([rng.randrange(300, 9000) / 100, rng.randrange(5, 400), rng.randrange(1000, 120000) / 100]))
            title = titles[i] if i < len(titles) else f"{titles[i % len(titles)]} ({rng.choice(['S', 'M', 'L', 'XL'])})"
            lines.append(dict(title=title, price=str(price), qty=rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12]),
                              sku=rng.randrange(10000, 99999)))
        disc = None
        u = rng.random()
        if u < 0.2:
            disc = dict(code=f"SAVE{rng.choice([5, 10, 15, 20, 25])}", percent=str(rng.choice([5, 10, 15, 20, 25])))
        elif u < 0.3:
            disc = dict(code=f"MINUS{rng.randrange(5, 30)}", deduct=str(rng.choice([5, 10, 15, 20])))
        elif u < 0.4:
            disc = dict(code="FREESHIP", free_shipping=True)
        if disc:
            disc["code"] = disc["code"].upper()
        if disc and disc.get("deduct"):
            disc["code"] = f"MINUS{disc['deduct']}"
        # the buyer: a person (Cartridge's checkout has no company field)
        name = rng.choice([p for p in PERSONS if not s["name"].startswith(p)])
        first, _, last = name.partition(" ")
        b["name"] = name
        cn = CNAME.get(lang, CNAME["en"])
        billing = dict(billing_detail_first_name=first, billing_detail_last_name=last,
                       billing_detail_street=b["street_line"], billing_detail_city=b["city"],
                       billing_detail_state="", billing_detail_postcode=b["zip"][:10],
                       billing_detail_country=cn[b["country"]], billing_detail_phone=b["phone"][:20],
                       billing_detail_email=f"{first.lower()}.{re.sub(r'[^a-z]', '', last.lower())}@example.{rng.choice(['be', 'nl', 'com', 'de', 'fr'])}")
        if rng.random() < 0.7:
            shipping = {k.replace("billing_", "shipping_"): v for k, v in billing.items() if not k.endswith("email")}
        else:
            street = f"{rng.choice(STREET2[b['country']])} {rng.randrange(1, 120)}"
            shipping = {k.replace("billing_", "shipping_"): v for k, v in billing.items() if not k.endswith("email")}
            shipping["shipping_detail_street"] = street
        tm = dt.datetime.combine(m["issue"], dt.time(rng.randrange(7, 23), rng.randrange(0, 60)))
        jobs.append(dict(lang="en-gb" if cur == "GBP" else lang, tax_included=family == "tax-included", lines=lines, discount=disc,
                         currency_locale=loc, settings=dict(SITE_TITLE=s["name"],
                                       SHOP_DEFAULT_TAX_RATE=float(rate), SHOP_DEFAULT_SHIPPING_VALUE=float(ship)),
                         billing=billing, shipping=shipping, order_id=rng.randrange(100, 99999),
                         time=tm.isoformat() + "+00:00", pdf=pdf))
    # order ids must be unique in the one database
    seen = set()
    for j in jobs:
        while j["order_id"] in seen:
            j["order_id"] += 1
        seen.add(j["order_id"])
    return jobs


def self_check(text, t, r, own):
    n = norm(text)
    missing = []
    for k in ("subtotal", "vat_amount", "total"):
        if t.get(k) and not any(norm(f) in n for f in amount_forms(t[k])):
            missing.append(f"{k}={t[k]}")
    if norm(r["printed_total"]) not in n:
        missing.append(f"printed total {r['printed_total']!r}")
    if r["printed_tax"] and norm(r["printed_tax"]) not in n:
        missing.append(f"printed tax {r['printed_tax']!r}")
    if not re.search(r":\s*" + re.escape(t["invoice_number"]) + r"\b", text):  # "Order ID: 1234", "N° de commande : 1234"
        missing.append(f"invoice_number={t['invoice_number']}")
    if norm(r["printed_time"]) not in n:
        missing.append(f"date {r['printed_time']!r}")
    if SIGNS[t["currency"]] not in text:
        missing.append(f"currency={t['currency']}")
    for v in own.get("vat_numbers", []):
        if norm(v) not in n:
            missing.append(f"own vat {v}")
    nh = n.replace("-", "")
    for k in ("seller_name", "buyer_name"):
        if t.get(k) and not all(norm(w).replace("-", "") in nh for w in t[k].split()):
            missing.append(f"{k}={t[k]}")
    return missing


FAMILIES = {
    "tax-added": dict(langs=["nl", "fr", "nl", "en", "de", "nl", "fr", "en"]),
    "tax-included": dict(langs=["nl", "nl", "fr", "de", "en", "nl", "fr", "de"]),
}
SELLERS = {"nl": ["BE", "NL", "NL", "BE"], "fr": ["BE", "FR", "LU", "BE"], "de": ["DE", "DE", "LU"],
           "en": ["GB", "BE", "NL", "GB"]}


def main():
    ap = argparse.ArgumentParser(description="Order invoices printed by Cartridge (Mezzanine's shop)")
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=13, help="documents per family")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--families", default=",".join(FAMILIES))
    venv_py = os.path.join(SCRATCH, "venv", "bin", "python")
    ap.add_argument("--python", default=venv_py if os.path.exists(venv_py) else sys.executable,
                    help="interpreter that has cartridge, Mezzanine and xhtml2pdf")
    ap.add_argument("--keep-going", action="store_true", help="skip documents failing the self-check")
    a = ap.parse_args()
    t0 = time.time()
    out = os.path.abspath(a.out)
    os.makedirs(os.path.join(out, "cartridge"), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="cartridge-")
    manifest = []
    try:
        all_jobs, metas = [], []
        for fam in a.families.split(","):
            spec = dict(FAMILIES[fam], sellers=SELLERS, currencies=["EUR"])
            models, pdfs, rngs, rels = [], [], [], []
            for i in range(a.count):
                rng = random.Random(f"{a.seed}-cartridge-{fam}-{i}")
                models.append(make_model(rng, i, spec))
                rngs.append(rng)
                rels.append(f"cartridge/{fam}-{i:03d}.pdf")
                pdfs.append(os.path.join(out, rels[-1]))
            jobs = build_jobs(models, pdfs, rngs, fam)
            all_jobs += jobs
            metas += [(fam, i, m, rel, pdf) for i, (m, rel, pdf) in enumerate(zip(models, rels, pdfs))]
        seen = set()
        for j in all_jobs:
            while j["order_id"] in seen:
                j["order_id"] += 1
            seen.add(j["order_id"])
        jf = write(os.path.join(tmp, "jobs.json"), json.dumps(all_jobs))
        wf = write(os.path.join(tmp, "cartridge_worker.py"), WORKER)
        rf = os.path.join(tmp, "out.json")
        run([a.python, wf, jf, rf, tmp], cwd=tmp, timeout=3600)
        with open(rf) as f:
            res = json.load(f)
        for (fam, i, m, rel, pdf), j, r in zip(metas, all_jobs, res):
            t = dict(invoice_number=str(r["order_id"]), issue_date=r["date"], currency=m["currency"],
                     total=s2(r["total"]), buyer_name=m["buyer"]["name"],
                     kind="invoice", lines=r["items"])
            if r["tax_total"] and Decimal(r["tax_total"]):
                t["vat_amount"] = s2(r["tax_total"])
            if fam == "tax-added" and (r["shipping_total"] and Decimal(r["shipping_total"])
                                       or r["discount_total"] and Decimal(r["discount_total"])):
                t["subtotal"] = s2(r["item_total"])
            if m["own_is_buyer"]:
                own = {"names": [m["buyer"]["name"]], "vat_numbers": [], "ibans": []}
            else:
                own = {"names": [], "vat_numbers": [], "ibans": []}
            miss = self_check(pdftext(pdf), t, r, own)
            if miss:
                msg = f"{rel}: not found on the page: {', '.join(miss)}"
                if not a.keep_going:
                    raise SystemExit(msg)
                print("SKIP", msg, file=sys.stderr)
                os.unlink(pdf)
                continue
            manifest.append(dict(path=rel, producer="cartridge", family=fam, renderer="xhtml2pdf",
                                 split="tune" if i % 2 == 0 else "heldout", own=own, truth=t))
            print(rel, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    write_manifest(out, manifest)
    print(f"{len(manifest)} documents in {out}: " + halves(manifest), file=sys.stderr)
    print_coverage(manifest)
    print(f"wall time {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
