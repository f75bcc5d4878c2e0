#!/usr/bin/env python3
"""Blind SaaS corpus: invoices as popular small-business invoicing SaaS products print them,
received by a Belgian or Dutch small business.

Written blind (without reading the reader or its tests). Every party, number and text is
invented; each style imitates the look, wording and habits of a product's printed invoice from
general knowledge of it, no template, logo or code of the product is used. VAT numbers of BE, NL,
DE and FR sellers and every IBAN carry valid check digits; GB, ES and CH numbers carry theirs too.

Usage: saas.py OUT [--count N] [--seed S] [--styles a,b]
Writes OUT/<renderer>/<style>-NN.pdf, OUT/manifest.json (producer = style) and
OUT/by-renderer/manifest.json (producer = PDF writer). Even instances are the tuning half, odd
ones held out; instance k of a style is the same whatever --count is.
"""

import os
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vendors import D, q, digs, mk_truth, render_chromium  # noqa: E402
from benelux import (F, Party, MONTHS, make_buyer, own_of, iban_of, iban_sp, Pen, render_weasy, esc,  # noqa: E402
                     rand_issue, SELLERS, _alnum_mod97, generate_corpus)
from smb import vat_de, vat_fr  # noqa: E402
from intl import vat_es, vat_ch  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Sellers abroad and at home (all invented).


class Seller:
    def __init__(self, name, addr, cc, vat=None, iban=None, bic=None, bank=None, email="", phone="", web=""):
        self.name, self.addr, self.cc, self.vat, self.iban, self.bic, self.bank = name, addr, cc, vat, iban, bic, bank
        self.email, self.phone, self.web = email, phone, web


def slug(name):
    import unicodedata
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for suf in (" ltd", " limited", " llc", " inc", " gmbh", " sarl", " sas", " s.l.", " ag", " bv", " b.v.", " srl", " nv"):
        plain = plain.split(suf)[0]
    return "".join(ch for ch in plain if ch.isalnum())[:16] or "info"


def gb_vat(rng):
    while True:
        body = digs(rng, 7, str(rng.randint(1, 9)))
        s = sum(int(c) * w for c, w in zip(body, range(8, 1, -1)))
        chk = (-s) % 97
        return "GB" + body + f"{chk:02d}"


def fr_iban(rng):
    bank, branch, acct = digs(rng, 5, "3"), digs(rng, 5), digs(rng, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
    return iban_of("FR", bank + branch + acct + f"{key:02d}")


GB_SELLERS = [("Thistle & Finch Ltd", ["Unit 4, 22 Old Street", "London", "EC1V 9AB"]), ("Kestrel Print Co Ltd", ["17 Deansgate", "Manchester", "M3 2BW"]),
              ("Harbourline Digital Ltd", ["3 Canons Way", "Bristol", "BS1 5LL"]), ("Moorgate Analytics Limited", ["8 Moorgate", "London", "EC2R 6DA"]),
              ("Pennine Packaging Ltd", ["Mill Lane 12", "Leeds", "LS1 4AP"]), ("Greyfriars Studio Ltd", ["41 Cockburn Street", "Edinburgh", "EH1 1BS"])]
US_SELLERS = [("Brightline Creative LLC", ["1200 Congress Ave, Suite 310", "Austin, TX 78701"]), ("Cedar & Pine Design Co.", ["88 Pearl Street", "Boston, MA 02110"]),
              ("Northwind Dev Studio LLC", ["501 Pike St, Floor 4", "Seattle, WA 98101"]), ("Redwood Metrics Inc.", ["220 Montgomery St", "San Francisco, CA 94104"]),
              ("Lakeshore Media LLC", ["35 E Wacker Dr", "Chicago, IL 60601"])]
DE_SELLERS = [("Nordlicht Software GmbH", ["Torstraße 140", "10119 Berlin"]), ("Druckwerk Altona GmbH", ["Große Elbstraße 58", "22767 Hamburg"]),
              ("Pixelschmiede UG (haftungsbeschränkt)", ["Sonnenstraße 21", "80331 München"]), ("Rheinklang Medien GmbH", ["Ehrenstraße 44", "50672 Köln"]),
              ("Kaffeerösterei Hanse GmbH", ["Am Sandtorkai 5", "20457 Hamburg"]), ("Werkstatt Schmidt & Söhne KG", ["Königstraße 18", "70173 Stuttgart"])]
DE_BANKS = [("10070000", "DEUTDEBBXXX", "Deutsche Bank"), ("20040000", "COBADEFFXXX", "Commerzbank"), ("10010010", "PBNKDEFFXXX", "Postbank"),
            ("43060967", "GENODEM1GLS", "GLS Bank"), ("70150000", "SSKMDEMMXXX", "Stadtsparkasse München"), ("10011001", "NTSBDEB1XXX", "N26")]
FR_SELLERS = [("Atelier Lumière SARL", ["12 rue de la Paix", "75002 Paris"]), ("Studio Mistral SAS", ["4 quai des Belges", "13001 Marseille"]),
              ("Les Toiles de Lyon SARL", ["27 rue Mercière", "69002 Lyon"]), ("Conseil Vauban SAS", ["9 place Rihour", "59800 Lille"]),
              ("Savonnerie du Midi SARL", ["15 rue Alsace-Lorraine", "31000 Toulouse"])]
FR_BICS = ["BNPAFRPPXXX", "CRLYFRPPXXX", "SOGEFRPPXXX", "AGRIFRPPXXX", "CMCIFRPPXXX"]
ES_SELLERS = [("Soluciones Digitales Mediterráneo S.L.", ["Calle de Alcalá 120", "28009 Madrid"]), ("Cerámicas del Turia S.L.", ["Avinguda del Port 44", "46023 València"]),
              ("Estudio Brisa Diseño S.L.", ["Carrer de Mallorca 214", "08008 Barcelona"]), ("Aceites Sierra Sur S.L.", ["Calle Larios 7", "29005 Málaga"])]
ES_BANKS = [("2100", "CAIXESBBXXX"), ("0049", "BSCHESMMXXX"), ("0182", "BBVAESMMXXX"), ("0081", "BSABESBBXXX")]
CH_SELLERS = [("Alpensoft AG", ["Bahnhofstrasse 12", "8001 Zürich"]), ("Uhrwerk Design GmbH", ["Marktgasse 30", "3011 Bern"]),
              ("Bergkristall Consulting GmbH", ["Aeschenvorstadt 48", "4051 Basel"]), ("Seeblick Medien AG", ["Pilatusstrasse 9", "6003 Luzern"])]
CH_BANKS = [("00700", "ZKBKCHZZ80A", "Zürcher Kantonalbank"), ("00235", "UBSWCHZH80A", "UBS Switzerland AG"), ("09000", "POFICHBEXXX", "PostFinance AG"),
            ("00790", "KBBECH22XXX", "Berner Kantonalbank")]


def make_seller(rng, cc, lang="en", trade=None):
    if cc in ("BE", "NL"):
        trade = trade or rng.choice(["it", "design", "food", "services", "office"])
        p = Party(rng, cc, rng.choice(SELLERS[(cc, trade)] if lang != "fr" or (cc, trade, "fr") not in SELLERS else SELLERS[(cc, trade, "fr")]),
                  lang if lang in ("nl", "fr", "de") else "nl", region="ost" if lang == "de" and cc == "BE" else None)
        return Seller(p.name, p.addr(), cc, p.vat, p.iban, p.bic, p.bank, p.email, p.phone, p.web)
    if cc == "GB":
        name, addr = rng.choice(GB_SELLERS)
        sort, acct = digs(rng, 6, "6"), digs(rng, 8)
        bank, bic = rng.choice([("NWBK", "NWBKGB2L"), ("BARC", "BARCGB22"), ("LOYD", "LOYDGB2L"), ("MIDL", "MIDLGB22")])
        iban = iban_of("GB", bank + sort + acct)
        s = Seller(name, addr, cc, gb_vat(rng), iban, bic, {"NWBK": "NatWest", "BARC": "Barclays", "LOYD": "Lloyds Bank", "MIDL": "HSBC UK"}[bank])
        s.sort, s.acct = f"{sort[:2]}-{sort[2:4]}-{sort[4:]}", acct
        s.crn = digs(rng, 8, "1")
        s.phone = f"+44 {rng.choice(['20', '161', '117', '131', '113'])} {digs(rng, 4)} {digs(rng, 4)}"
    elif cc == "US":
        name, addr = rng.choice(US_SELLERS)
        s = Seller(name, addr, cc)
        s.routing, s.acct = digs(rng, 9, "0"), digs(rng, 10)
        s.phone = f"({digs(rng, 3, '5')}) {digs(rng, 3)}-{digs(rng, 4)}"
    elif cc == "DE":
        name, addr = rng.choice(DE_SELLERS)
        blz, bic, bank = rng.choice(DE_BANKS)
        s = Seller(name, addr, cc, vat_de(rng), iban_of("DE", blz + digs(rng, 10)), bic, bank)
        s.hrb = f"HRB {digs(rng, 5, '1')}"
        s.court = {"Berlin": "Amtsgericht Charlottenburg", "Hamburg": "Amtsgericht Hamburg", "München": "Amtsgericht München",
                   "Köln": "Amtsgericht Köln", "Stuttgart": "Amtsgericht Stuttgart"}[addr[1].split(" ", 1)[1]]
        s.steuernr = f"{digs(rng, 2, '2')}/{digs(rng, 3)}/{digs(rng, 5)}"
        s.phone = f"+49 {rng.choice(['30', '40', '89', '221', '711'])} {digs(rng, 7)}"
        s.boss = rng.choice(["Jan Petersen", "Miriam Koch", "Tobias Wagner", "Lena Hoffmann", "Felix Brandt"])
    elif cc == "FR":
        name, addr = rng.choice(FR_SELLERS)
        s = Seller(name, addr, cc, vat_fr(rng), fr_iban(rng), rng.choice(FR_BICS))
        s.siret = s.vat[4:] + digs(rng, 5, "0")
        s.capital = rng.choice(["1 000", "5 000", "7 500", "10 000", "20 000"])
        s.phone = f"+33 {rng.randint(1, 5)} {digs(rng, 2)} {digs(rng, 2)} {digs(rng, 2)} {digs(rng, 2)}"
    elif cc == "ES":
        name, addr = rng.choice(ES_SELLERS)
        ent, bic = rng.choice(ES_BANKS)
        s = Seller(name, addr, cc, vat_es(rng), iban_of("ES", ent + digs(rng, 4) + digs(rng, 2) + digs(rng, 10)), bic)
        s.phone = f"+34 {rng.choice(['91', '96', '93', '95'])} {digs(rng, 3)} {digs(rng, 2)} {digs(rng, 2)}"
    elif cc == "CH":
        name, addr = rng.choice(CH_SELLERS)
        clr, bic, bank = rng.choice(CH_BANKS)
        s = Seller(name, addr, cc, vat_ch(rng), iban_of("CH", clr + digs(rng, 12)), bic, bank)
        s.phone = f"+41 {rng.choice(['44', '31', '61', '41'])} {digs(rng, 3)} {digs(rng, 2)} {digs(rng, 2)}"
    else:
        raise ValueError(cc)
    tld = {"GB": "co.uk", "US": "com", "DE": "de", "FR": "fr", "ES": "es", "CH": "ch"}[cc]
    s.email = f"{rng.choice(['accounts', 'billing', 'hello', 'info'])}@{slug(s.name)}.{tld}"
    s.web = f"www.{slug(s.name)}.{tld}"
    return s


def ch_vat_print(v):
    return f"CHE-{v[3:6]}.{v[6:9]}.{v[9:]}"


def gb_vat_print(v):
    return f"GB {v[2:5]} {v[5:9]} {v[9:]}"


# ---------------------------------------------------------------------------------------------
# What is sold: (en, de, fr, es, lo, hi, rate class) with classes s standard, r reduced.

CAT = [("Website maintenance (monthly)", "Website-Wartung (monatlich)", "Maintenance site web (mensuel)", "Mantenimiento web (mensual)", 80, 450, "s"),
       ("Consulting hours", "Beratungsstunden", "Heures de conseil", "Horas de consultoría", 70, 140, "s"),
       ("Logo and brand identity", "Logo und Corporate Design", "Logo et identité visuelle", "Logotipo e identidad corporativa", 450, 1800, "s"),
       ("Product photography (half day)", "Produktfotografie (halber Tag)", "Photographie produits (demi-journée)", "Fotografía de producto (media jornada)", 300, 650, "s"),
       ("Copywriting – landing page", "Texterstellung – Landingpage", "Rédaction – page d'atterrissage", "Redacción – landing page", 150, 600, "s"),
       ("SEO audit", "SEO-Audit", "Audit SEO", "Auditoría SEO", 350, 900, "s"),
       ("Software licence (annual)", "Softwarelizenz (jährlich)", "Licence logicielle (annuelle)", "Licencia de software (anual)", 120, 960, "s"),
       ("Custom packaging boxes (100 pcs)", "Versandkartons bedruckt (100 Stk.)", "Boîtes d'emballage personnalisées (100 pcs)", "Cajas personalizadas (100 uds.)", 60, 240, "s"),
       ("Printed catalogues A4 (250 pcs)", "Kataloge A4 gedruckt (250 Stk.)", "Catalogues A4 imprimés (250 ex.)", "Catálogos A4 impresos (250 uds.)", 180, 520, "r"),
       ("Specialty coffee beans 1 kg", "Kaffeebohnen 1 kg", "Café en grains 1 kg", "Café en grano 1 kg", 18, 32, "r"),
       ("Olive oil extra virgin 5 l", "Olivenöl nativ extra 5 l", "Huile d'olive vierge extra 5 l", "Aceite de oliva virgen extra 5 l", 35, 60, "r"),
       ("Workshop facilitation (day)", "Workshop-Moderation (Tag)", "Animation d'atelier (journée)", "Facilitación de taller (día)", 600, 1200, "s"),
       ("Video editing", "Videoschnitt", "Montage vidéo", "Edición de vídeo", 55, 95, "s"),
       ("Translation EN > NL (per 1,000 words)", "Übersetzung EN > NL (je 1.000 Wörter)", "Traduction EN > NL (par 1 000 mots)", "Traducción EN > NL (por 1.000 palabras)", 90, 140, "s"),
       ("Hosted e-mail (per mailbox, year)", "E-Mail-Hosting (je Postfach, Jahr)", "Messagerie hébergée (par boîte, an)", "Correo alojado (por buzón, año)", 24, 72, "s"),
       ("Handmade soap gift set", "Handgemachtes Seifen-Geschenkset", "Coffret savons artisanaux", "Set de jabones artesanales", 9, 24, "s"),
       ("Book 'Brand strategy for small teams'", "Buch „Markenstrategie für kleine Teams“", "Livre « Stratégie de marque pour petites équipes »", "Libro «Estrategia de marca para equipos pequeños»", 19, 39, "r")]
LI = {"en": 0, "de": 1, "fr": 2, "es": 3, "nl": 0}
RATES = {"BE": {"s": 21, "r": 6}, "NL": {"s": 21, "r": 9}, "DE": {"s": 19, "r": 7}, "FR": {"s": 20, "r": D("5.5")}, "ES": {"s": 21, "r": 10},
         "GB": {"s": 20, "r": 0}, "US": {"s": 0, "r": 0}, "CH": {"s": D("8.1"), "r": D("2.6")}}


class Line:
    def __init__(self, desc, qty, unit, rate, kind="item", disc=0):
        self.desc, self.qty, self.unit, self.rate, self.kind = desc, D(str(qty)), q(D(str(unit))), D(str(rate)), kind
        self.disc = D(str(disc))
        self.amount = q(self.qty * self.unit * (100 - self.disc) / 100)


GOODS = ("Custom packaging", "Printed catalogues", "Specialty coffee", "Olive oil", "Handmade soap", "Book ")


def pick_lines(rng, lang, cc, n, vat=True, multi=False, goods=False):
    rows = rng.sample([r for r in CAT if r[0].startswith(GOODS)] if goods else CAT, n)
    if multi and not goods and not any(r[6] == "r" for r in rows):
        rows[-1] = rng.choice([r for r in CAT if r[6] == "r"])
    if not multi and not goods:
        rows = [r for r in rows if r[6] == "s"] or [CAT[0]]
    out = []
    for r in rows:
        lo, hi = r[4], r[5]
        unit = D(rng.randint(lo, hi)) if hi > 100 else q(D(str(rng.uniform(lo, hi))))
        qty = rng.choice([1, 1, 1, 2, 3, 4, 5, 6, 10, 12]) if hi < 300 else rng.choice([1, 1, 1, 2])
        if "hours" in r[0] or "editing" in r[0]:
            qty = rng.choice([2, 3, 4, D("5.5"), 6, D("7.5"), 8, 12, 16])
        rate = RATES[cc][r[6]] if vat else 0
        out.append(Line(r[LI[lang]], qty, unit, rate))
    return out


def sums(lines, header_disc=D(0), shipping=None):
    """Net per rate (lines, then a discount in % over everything, then shipping at the standard rate)."""
    groups = {}
    for ln in lines:
        groups[ln.rate] = groups.get(ln.rate, D(0)) + ln.amount
    gross = q(sum((ln.amount for ln in lines), D(0)))
    disc = D(0)
    if header_disc:
        for r in groups:
            d = q(groups[r] * header_disc / 100)
            groups[r] -= d
            disc += d
    if shipping is not None:
        groups[shipping[1]] = groups.get(shipping[1], D(0)) + shipping[0]
    rows = [(r, q(groups[r]), q(groups[r] * r / 100)) for r in sorted(groups, reverse=True)]
    sub = q(sum((b for _, b, _ in rows), D(0)))
    vat = q(sum((v for _, _, v in rows), D(0)))
    return dict(gross=gross, disc=disc, rows=rows, sub=sub, vat=vat, total=q(sub + vat))


def issue_terms(rng):
    issue = rand_issue(rng)
    terms = rng.choice([14, 30, 30, 15, 7, 60])
    return issue, terms, issue + timedelta(days=terms)


def inv_no(rng, style, issue):
    n = rng.randint(1, 999)
    return {"qb": str(rng.randint(1001, 2480)), "xero": f"INV-{rng.randint(1, 1999):04d}", "fb": f"{rng.randint(1, 420):07d}",
            "zoho": f"INV-{rng.randint(1, 999):06d}", "wave": str(rng.randint(1, 240)), "sage": f"SI-{rng.randint(1, 999)}",
            "sev": f"RE-{rng.randint(1000, 1999)}", "bm": f"RE{issue.year}-{n:04d}", "sumup": str(rng.randint(1, 480)),
            "zerv": f"{issue.year}-{n:03d}", "holded": f"F{issue.year % 100}{n:04d}", "bexio": f"RE-{rng.randint(1, 999):05d}"}[style]


def truth(num, issue, tot, s, b, cur, kind="invoice", due=None, amount_due=None, iban=None, lines=None, seller_vat=True, sub=True, vat=True,
          buyer_name=None):
    return mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency=cur,
                    subtotal=tot["sub"] if sub else None, vat_amount=tot["vat"] if vat else None, total=tot["total"],
                    amount_due=amount_due, seller_name=s.name, seller_vat=s.vat if seller_vat else None,
                    buyer_name=buyer_name or b.name, iban=iban, kind=kind, lines=lines)


def buyer_for(rng, lang):
    cc = rng.choice(["BE", "BE", "NL"])
    return make_buyer(rng, cc, {"fr": "fr", "de": "de"}.get(lang, "nl") if cc == "BE" else "nl")


def us_date(d, long=False):
    if long:
        return f"{MONTHS['en'][d.month - 1]} {d.day}, {d.year}"
    return d.strftime("%m/%d/%Y")


def en_country(cc):
    return {"BE": "Belgium", "NL": "Netherlands"}[cc]


def buyer_vat(b):
    return b.vat or ""


def page(cssx, body, title):
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title><style>
@page {{ size: A4; margin: 0; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; }}
.r {{ text-align: right; }}
{cssx}</style></head><body>{body}</body></html>"""


def stamp(text, color="#2e9e4f", top="40mm", left="110mm"):
    return (f'<div style="position:absolute;top:{top};left:{left};transform:rotate(-18deg);border:3px solid {color};color:{color};'
            f'font:bold 26pt Arial,sans-serif;padding:1mm 5mm;border-radius:2mm;opacity:.8;letter-spacing:2px">{esc(text)}</div>')


RC_EN = "Reverse charge: VAT to be accounted for by the recipient (Article 196, Council Directive 2006/112/EC)."


# =============================================================================================
# 1. QuickBooks Online: company block top left, "INVOICE" in the accent colour, BILL TO / SHIP TO,
#    INVOICE # / DATE / TERMS / DUE DATE at the right, DATE ACTIVITY DESCRIPTION QTY RATE AMOUNT,
#    SUBTOTAL, DISCOUNT, SHIPPING, TAX, TOTAL, PAYMENT, BALANCE DUE; US ($, mm/dd/yyyy) or UK (£).

def s_quickbooks(rng, k):
    uk = rng.random() < 0.45
    s = make_seller(rng, "GB" if uk else "US")
    b = buyer_for(rng, "en")
    cur, sym = ("GBP", "£") if uk else ("USD", "$")
    lines = pick_lines(rng, "en", "GB" if uk else "US", rng.randint(1, 5), vat=False)
    disc = D(rng.choice([5, 10, 15])) if rng.random() < 0.35 else D(0)
    ship = (q(D(rng.randint(15, 90))), 0) if rng.random() < 0.4 else None
    tot = sums(lines, disc, ship)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "qb", issue)
    paid = q(tot["total"] * D(rng.choice(["0.25", "0.5"]))) if rng.random() < 0.35 else D(0)
    f = F("en", grp=",", dec=".", cur="pre", sym=sym, sp="")
    dfmt = (lambda d: d.strftime("%d/%m/%Y")) if uk else us_date
    accent = rng.choice(["#2ca01c", "#0077c5", "#393a3d", "#6b6c72"])
    rows = ""
    for ln in lines:
        rows += (f"<tr><td>{dfmt(issue) if rng.random() < 0.3 else ''}</td><td class=act>{esc(ln.desc.split(' (')[0].split(' –')[0])}</td>"
                 f"<td>{esc(ln.desc)}</td><td class=r>{f.qty(ln.qty)}</td><td class=r>{f.n(ln.unit)}</td><td class=r>{f.n(ln.amount)}</td></tr>")
    tr = f"<tr><td>SUBTOTAL</td><td class=r>{f.n(tot['gross'])}</td></tr>"
    if disc:
        tr += f"<tr><td>DISCOUNT {disc}%</td><td class=r>-{f.n(tot['disc'])}</td></tr>"
    if ship:
        tr += f"<tr><td>SHIPPING</td><td class=r>{f.n(ship[0])}</td></tr>"
    tr += f"<tr><td>TAX</td><td class=r>0.00</td></tr>"
    tr += f"<tr><td>TOTAL</td><td class=r>{f.n(tot['total'])}</td></tr>"
    due_amt = tot["total"] - paid
    if paid:
        tr += f"<tr><td>PAYMENT</td><td class=r>{f.n(paid)}</td></tr>"
    tr += f"<tr class=bd><td>BALANCE DUE</td><td class=r>{f.m(due_amt)}</td></tr>"
    ship_to = rng.random() < 0.5
    addr_b = "<br>".join(esc(x) for x in [b.name] + b.addr() + [en_country(b.cc)])
    pay = ""
    if uk:
        pay = f"<p class=note>Bank transfer: {esc(s.bank)} · Sort code {s.sort} · Account {s.acct}<br>IBAN {iban_sp(s.iban)} · BIC {s.bic}</p>"
    else:
        pay = f"<p class=note>Pay by ACH / wire: routing {s.routing}, account {s.acct}. Online payment link included in the email.</p>"
    ids = f"VAT Registration No.: {gb_vat_print(s.vat)}<br>" if uk else ""
    body = f"""<div class=pg>
<div class=hd><div class=co><b>{esc(s.name)}</b><br>{'<br>'.join(esc(x) for x in s.addr)}<br>{esc(s.phone)}<br>{esc(s.email)}<br>{ids}</div>
<div class=logo>{esc(''.join(w[0] for w in s.name.split()[:2]))}</div></div>
<h1>INVOICE</h1>
<div class=meta><div class=to><div class=lab>BILL TO</div>{addr_b}</div>
{'<div class=to><div class=lab>SHIP TO</div>' + addr_b + '</div>' if ship_to else ''}
<table class=nums><tr><td class=lab>INVOICE #</td><td>{num}</td></tr><tr><td class=lab>DATE</td><td>{dfmt(issue)}</td></tr>
<tr><td class=lab>DUE DATE</td><td>{dfmt(due)}</td></tr><tr><td class=lab>TERMS</td><td>Net {terms}</td></tr></table></div>
<table class=items><thead><tr><th style="width:14%">DATE</th><th style="width:18%">ACTIVITY</th><th>DESCRIPTION</th><th class=r>QTY</th><th class=r>RATE</th><th class=r>AMOUNT</th></tr></thead>
<tbody>{rows}</tbody></table>
<div class=bottom><div class=msg>{pay}<p>Thank you for your business!</p></div><table class=tot>{tr}</table></div>
</div>"""
    cssx = f"""body {{ font-family: Arial, 'Liberation Sans', sans-serif; font-size: 9pt; color: #393a3d; }}
.pg {{ padding: 16mm 16mm; position: relative; }}
.hd {{ display: flex; justify-content: space-between; }} .co {{ line-height: 1.45; }}
.logo {{ width: 22mm; height: 22mm; background: {accent}; color: #fff; font: bold 18pt Arial; display: flex; align-items: center; justify-content: center; }}
h1 {{ color: {accent}; font-size: 18pt; font-weight: normal; margin: 8mm 0 4mm; }}
.meta {{ display: flex; gap: 12mm; }} .to {{ width: 55mm; line-height: 1.4; }}
.lab {{ font-weight: bold; font-size: 8pt; color: #6b6c72; }}
.nums {{ margin-left: auto; }} .nums td {{ padding: 0.5mm 2mm; }}
.items {{ width: 100%; border-collapse: collapse; margin-top: 8mm; }}
.items th {{ background: {accent}22; color: {accent}; font-size: 8pt; text-align: left; padding: 2mm; }}
.items td {{ padding: 2mm; vertical-align: top; }} .act {{ font-weight: bold; }}
.bottom {{ display: flex; justify-content: space-between; border-top: 1px dotted #999; margin-top: 3mm; padding-top: 3mm; }}
.msg {{ width: 90mm; }} .note {{ font-size: 8pt; }}
.tot td {{ padding: 1mm 2mm; }} .tot td:first-child {{ color: #6b6c72; }}
tr.bd td {{ font-size: 12pt; font-weight: bold; color: #393a3d !important; padding-top: 3mm; }}"""
    if paid == 0 and rng.random() < 0.3:
        body = body.replace("<h1>INVOICE</h1>", "<h1>INVOICE</h1>" + stamp("PAID", "#2ca01c", "24mm", "80mm"))
        body = body.replace(f"<tr class=bd><td>BALANCE DUE</td><td class=r>{f.m(due_amt)}</td></tr>",
                            f"<tr><td>PAYMENT</td><td class=r>{f.n(tot['total'])}</td></tr><tr class=bd><td>BALANCE DUE</td><td class=r>{f.m(0)}</td></tr>")
        due_amt = D(0)
    t = truth(num, issue, tot, s, b, cur, due=due, amount_due=due_amt, iban=s.iban if uk else None, lines=len(lines),
              seller_vat=uk, sub=not disc and not ship, vat=True)
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, f"Invoice {num}"), out, tmp), t, own_of(b), \
        {"language": "en", "country": s.cc, "currency": cur}


# =============================================================================================
# 2. Xero: "TAX INVOICE" / "INVOICE" / "CREDIT NOTE" in large light type, the contact at the left,
#    Invoice Date / Invoice Number / Reference / VAT Number in a narrow column, then the org
#    address; Description Quantity Unit Price VAT Amount GBP; "TOTAL VAT 21%", "TOTAL GBP",
#    "Less Amount Paid", "AMOUNT DUE"; "Due Date: 7 Dec 2026", payment advice tear-off.

def s_xero(rng, k):
    cc = rng.choice(["GB", "NL", "NL", "GB"])
    s = make_seller(rng, cc, "en")
    b = buyer_for(rng, "en")
    cur = "GBP" if cc == "GB" else "EUR"
    credit = rng.random() < 0.2
    multi = cc == "NL" and rng.random() < 0.6
    lines = pick_lines(rng, "en", cc, rng.randint(1, 5), vat=cc == "NL", multi=multi)
    if cc == "GB":
        for ln in lines:
            ln.rate = D(0)
    disc_line = not credit and rng.random() < 0.3
    if disc_line:
        base = lines[0]
        lines.append(Line(f"Discount – {rng.choice(['loyalty', 'early booking', 'bundle'])}", 1, -q(base.amount * D("0.1")), base.rate))
    tot = sums(lines)
    issue, terms, due = issue_terms(rng)
    num = f"CN-{rng.randint(1, 99):04d}" if credit else inv_no(rng, "xero", issue)
    paid = q(tot["total"] * D("0.5")) if (not credit and rng.random() < 0.3) else D(0)
    f = F("en", grp=",", dec=".", cur="none")
    dd = lambda d: f"{d.day} {MONTHS['en'][d.month - 1][:3]} {d.year}"  # noqa: E731
    title = "CREDIT NOTE" if credit else ("TAX INVOICE" if cc == "GB" and rng.random() < 0.5 else "INVOICE")
    vlab = "VAT"
    rows = ""
    for ln in lines:
        rt = "No VAT" if cc == "GB" else f"{ln.rate.normalize():f}%"
        rows += (f"<tr><td>{esc(ln.desc)}</td><td class=r>{f.qty(ln.qty, 2)}</td><td class=r>{f.n(ln.unit)}</td>"
                 f"<td class=r>{rt}</td><td class=r>{f.n(ln.amount)}</td></tr>")
    tr = f"<tr><td>Subtotal</td><td class=r>{f.n(tot['sub'])}</td></tr>"
    if cc == "GB":
        tr += f"<tr><td>TOTAL VAT</td><td class=r>0.00</td></tr>"
    else:
        for r, base, v in tot["rows"]:
            tr += f"<tr><td>TOTAL VAT {r.normalize():f}%</td><td class=r>{f.n(v)}</td></tr>"
    tr += f"<tr class=big><td>{'TOTAL CREDIT' if credit else 'TOTAL'} {cur}</td><td class=r>{f.n(tot['total'])}</td></tr>"
    amount_due = None
    if not credit:
        if paid:
            tr += f"<tr><td>Less Amount Paid</td><td class=r>{f.n(paid)}</td></tr>"
        amount_due = tot["total"] - paid
        tr += f"<tr class=big><td>AMOUNT DUE {cur}</td><td class=r>{f.n(amount_due)}</td></tr>"
    vat_s = gb_vat_print(s.vat) if cc == "GB" else s.vat
    meta = f"""<div class=ml>{'Credit Note Date' if credit else 'Invoice Date'}</div><div>{dd(issue)}</div>
<div class=ml>{'Credit Note Number' if credit else 'Invoice Number'}</div><div>{num}</div>"""
    if rng.random() < 0.6:
        meta += f"<div class=ml>Reference</div><div>{rng.choice(['PO ' + digs(rng, 5), 'Website project', 'Q' + str(rng.randint(1, 4)) + ' retainer'])}</div>"
    meta += f"<div class=ml>VAT Number</div><div>{esc(vat_s)}</div>"
    rc = "" if cc == "GB" else ""
    note = ""
    if not credit:
        note = f"<p><b>Due Date: {dd(due)}</b></p><p>Please make payment by bank transfer to {esc(s.name)}<br>IBAN: {iban_sp(s.iban)} &nbsp; BIC: {s.bic}"
        if cc == "GB":
            note += f"<br>Sort Code: {s.sort} &nbsp; Account Number: {s.acct}"
        note += "</p>"
        if cc == "GB":
            note += "<p>Services supplied to a business customer outside the UK – outside the scope of UK VAT.</p>"
    adv = ""
    if not credit:
        adv = f"""<div class=adv><div class=scis>✂ - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -</div>
<h2>PAYMENT ADVICE</h2><div class=advg><div>To: {esc(s.name)}<br>{'<br>'.join(esc(x) for x in s.addr)}</div>
<table><tr><td class=ml>Customer</td><td>{esc(b.name)}</td></tr><tr><td class=ml>Invoice Number</td><td>{num}</td></tr>
<tr><td class=ml><b>Amount Due</b></td><td><b>{f.n(amount_due)}</b></td></tr><tr><td class=ml>Due Date</td><td>{dd(due)}</td></tr>
<tr><td class=ml>Amount Enclosed</td><td>__________________</td></tr></table></div></div>"""
    foot = f"Company Registration No: {s.crn}. Registered Office: {', '.join(s.addr)}." if cc == "GB" else f"{esc(s.name)} · KvK {digs(rng, 8, '6')}"
    body = f"""<div class=pg><div class=top><div><h1>{title}</h1><div class=cust>{esc(b.name)}<br>{'<br>'.join(esc(x) for x in b.addr())}<br>{en_country(b.cc).upper()}<br>{('VAT ' + esc(b.vat)) if b.vat and rng.random() < 0.6 else ''}</div></div>
<div class=mg>{meta}</div><div class=org>{esc(s.name)}<br>{'<br>'.join(esc(x) for x in s.addr)}{'<br>UNITED KINGDOM' if cc == 'GB' else '<br>NETHERLANDS'}</div></div>
<table class=it><thead><tr><th>Description</th><th class=r>Quantity</th><th class=r>Unit Price</th><th class=r>{vlab}</th><th class=r>Amount {cur}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table>{note}<div class=foot>{foot}</div>{adv}</div>"""
    cssx = """body { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 8.5pt; color: #222; }
.pg { padding: 14mm 15mm; }
.top { display: flex; gap: 8mm; } .top > div:first-child { width: 85mm; }
h1 { font-size: 22pt; font-weight: normal; margin: 0 0 6mm; letter-spacing: 1px; }
.cust { line-height: 1.4; margin-left: 10mm; } .mg { width: 40mm; line-height: 1.35; } .ml { font-weight: bold; }
.org { line-height: 1.4; }
.it { width: 100%; border-collapse: collapse; margin-top: 12mm; } .it th { border-bottom: 1px solid #000; text-align: left; padding: 1.5mm; font-weight: bold; }
.it td { padding: 1.5mm; border-bottom: 0.4px solid #ccc; }
.tt { margin-left: auto; width: 75mm; border-collapse: collapse; margin-top: 2mm; } .tt td { padding: 1.2mm; }
tr.big td { font-weight: bold; border-top: 1px solid #000; }
.foot { margin-top: 6mm; font-size: 7pt; color: #555; }
.adv { margin-top: 18mm; } .scis { color: #999; white-space: nowrap; overflow: hidden; }
.advg { display: flex; gap: 20mm; } h2 { font-size: 14pt; font-weight: normal; }"""
    t = truth(num, issue, tot, s, b, cur, "credit_note" if credit else "invoice", due=None if credit else due, amount_due=amount_due,
              iban=s.iban if not credit else None, lines=len(lines))
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, f"{title} {num}"), out, tmp), t, own_of(b), \
        {"language": "en", "country": cc, "currency": cur}


# =============================================================================================
# 3. FreshBooks: a Belgian or Dutch freelancer in English; logo left, business details right,
#    Billed To / Date of Issue / Due Date / Invoice Number / Reference and a big "Amount Due (EUR)",
#    Description Rate Qty Line Total, Subtotal, Discount, "VAT (21%)" per rate, Total, Amount Paid.

def s_freshbooks(rng, k):
    cc = rng.choice(["BE", "NL"])
    s = make_seller(rng, cc, "nl")
    b = buyer_for(rng, "en")
    lines = pick_lines(rng, "en", cc, rng.randint(1, 6), multi=rng.random() < 0.5)
    disc = D(rng.choice([5, 10])) if rng.random() < 0.3 else D(0)
    tot = sums(lines, disc)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "fb", issue)
    paid = q(tot["total"] * D(rng.choice(["0.3", "0.5"]))) if rng.random() < 0.35 else D(0)
    full = paid == 0 and rng.random() < 0.2
    if full:
        paid = tot["total"]
    f = F("en", grp=",", dec=".", cur="pre", sym="€", sp="")
    dd = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
    accent = rng.choice(["#0075dd", "#1d8a5d", "#e4572e", "#333f48"])
    rows = "".join(f"<tr><td><b>{esc(ln.desc)}</b></td><td class=r>{f.m(ln.unit)}</td><td class=r>{f.qty(ln.qty)}</td><td class=r>{f.m(ln.amount)}</td></tr>" for ln in lines)
    tr = f"<tr><td>Subtotal</td><td class=r>{f.m(tot['gross'])}</td></tr>"
    if disc:
        tr += f"<tr><td>Discount ({disc}%)</td><td class=r>-{f.m(tot['disc'])}</td></tr>"
    for r, base, v in tot["rows"]:
        tr += f"<tr><td>VAT ({r.normalize():f}%)</td><td class=r>{f.m(v)}</td></tr>"
    tr += f"<tr class=tl><td>Total</td><td class=r>{f.m(tot['total'])}</td></tr>"
    tr += f"<tr><td>Amount Paid</td><td class=r>{f.m(paid)}</td></tr>"
    due_amt = tot["total"] - paid
    tr += f"<tr class=ad><td>Amount Due (EUR)</td><td class=r>{f.m(due_amt)}</td></tr>"
    vs = s.vat
    body = f"""<div class=pg><div class=hd><div class=logo>{esc(s.name.split()[0])}</div>
<div class=biz><b>{esc(s.name)}</b><br>{esc(s.phone)}<br>{'<br>'.join(esc(x) for x in s.addr)}<br>{en_country(cc)}<br>VAT: {esc(vs)}</div></div>
<div class=band><div><div class=lab>Billed To</div>{esc(b.name)}<br>{'<br>'.join(esc(x) for x in b.addr())}<br>{en_country(b.cc)}</div>
<div><div class=lab>Date of Issue</div>{dd(issue)}<div class=lab style="margin-top:3mm">Due Date</div>{dd(due)}</div>
<div><div class=lab>Invoice Number</div>{num}<div class=lab style="margin-top:3mm">Reference</div>{esc(rng.choice(['Spring campaign', 'Website', 'Retainer ' + MONTHS['en'][issue.month - 1], 'PO-' + digs(rng, 4)]))}</div>
<div class=r><div class=lab>Amount Due (EUR)</div><div class=big>{f.m(due_amt)}</div></div></div>
<table class=it><thead><tr><th>Description</th><th class=r>Rate</th><th class=r>Qty</th><th class=r>Line Total</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table>
<div class=terms><div class=lab>Terms</div>Please pay within {terms} days by bank transfer to IBAN {iban_sp(s.iban)} (BIC {s.bic}), stating invoice {num}.</div>
{stamp('PAID', '#1d8a5d', '62mm', '95mm') if full else ''}</div>"""
    cssx = f"""body {{ font-family: 'Liberation Sans', Arial, sans-serif; font-size: 9pt; color: #333; }}
.pg {{ padding: 14mm 16mm; position: relative; }} .hd {{ display: flex; justify-content: space-between; }}
.logo {{ font: bold 20pt Georgia, serif; color: {accent}; }} .biz {{ text-align: right; line-height: 1.45; color: #555; }}
.band {{ display: flex; justify-content: space-between; margin: 12mm 0 8mm; border-top: 3px solid {accent}; padding-top: 5mm; line-height: 1.45; }}
.lab {{ color: #888; font-size: 8pt; }} .big {{ font-size: 22pt; color: {accent}; }}
.it {{ width: 100%; border-collapse: collapse; }} .it th {{ color: {accent}; text-align: left; font-size: 8pt; border-bottom: 2px solid {accent}; padding: 2mm 1mm; }}
.it td {{ padding: 3mm 1mm; border-bottom: 0.5px solid #ddd; }}
.tt {{ margin-left: auto; width: 80mm; margin-top: 4mm; }} .tt td {{ padding: 1.2mm 1mm; }}
tr.tl td {{ border-top: 0.5px solid #ccc; }} tr.ad td {{ font-weight: bold; border-top: 2px solid {accent}; font-size: 10.5pt; }}
.terms {{ margin-top: 12mm; }}"""
    t = truth(num, issue, tot, s, b, "EUR", due=due, amount_due=due_amt, iban=s.iban, lines=len(lines), sub=not disc)
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, f"Invoice {num}"), out, tmp), t, own_of(b), \
        {"language": "en", "country": cc, "currency": "EUR"}


# =============================================================================================
# 4. Zoho Invoice: org block top left, "TAX INVOICE" / "RECHNUNG" top right with "# INV-000042"
#    and "Balance Due", Invoice Date / Terms / Due Date rows, dark table header "# Item &
#    Description Qty Rate Amount", Sub Total, Discount, Shipping charge, "VAT21 (21%)", Total,
#    Payment Made (-), Balance Due; English (Dutch seller) or German (reverse charge).

def s_zoho(rng, k):
    de = rng.random() < 0.45
    cc = "DE" if de else rng.choice(["NL", "BE"])
    lang = "de" if de else "en"
    s = make_seller(rng, cc, "nl")
    b = buyer_for(rng, lang)
    lines = pick_lines(rng, lang, cc, rng.randint(1, 6), vat=not de, multi=not de and rng.random() < 0.6)
    disc = D(rng.choice([5, 10, 12])) if rng.random() < 0.35 else D(0)
    ship = None
    if rng.random() < 0.4:
        ship = (q(D(rng.randint(8, 45))), D(0) if de else RATES[cc]["s"])
    tot = sums(lines, disc, ship)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "zoho", issue)
    paid = q(tot["total"] * D(rng.choice(["0.2", "0.5"]))) if rng.random() < 0.35 else D(0)
    if de:
        f = F("de", grp=".", dec=",", cur="pre", sym="€", sp="")
        T = dict(title="RECHNUNG", bal="Restbetrag", bill="Rechnung an", date="Rechnungsdatum", terms="Zahlungsbedingungen", due="Fälligkeitsdatum",
                 item="Artikel & Beschreibung", qty="Menge", rate="Preis", amt="Betrag", sub="Zwischensumme", disc="Rabatt", ship="Versandkosten",
                 total="Gesamt", paid="Bezahlter Betrag", net=f"{terms} Tage netto", notes="Vielen Dank für Ihren Auftrag.", vat="USt")
        dd = lambda d: d.strftime("%d.%m.%Y")  # noqa: E731
    else:
        f = F("en", grp=",", dec=".", cur="pre", sym="€", sp="")
        T = dict(title="TAX INVOICE", bal="Balance Due", bill="Bill To", date="Invoice Date", terms="Terms", due="Due Date", item="Item & Description",
                 qty="Qty", rate="Rate", amt="Amount", sub="Sub Total", disc="Discount", ship="Shipping charge", total="Total", paid="Payment Made",
                 net=f"Net {terms}", notes="Thanks for your business.", vat="VAT")
        dd = lambda d: f"{d.day:02d} {MONTHS['en'][d.month - 1][:3]} {d.year}"  # noqa: E731
    rows = ""
    for i, ln in enumerate(lines, 1):
        rows += f"<tr><td>{i}</td><td>{esc(ln.desc)}</td><td class=r>{f.qty(ln.qty, 2)}</td><td class=r>{f.n(ln.unit)}</td><td class=r>{f.n(ln.amount)}</td></tr>"
    tr = f"<tr><td>{T['sub']}</td><td class=r>{f.n(tot['gross'])}</td></tr>"
    if disc:
        tr += f"<tr><td>{T['disc']}({disc}%)</td><td class=r>(-) {f.n(tot['disc'])}</td></tr>"
    if ship:
        tr += f"<tr><td>{T['ship']}</td><td class=r>{f.n(ship[0])}</td></tr>"
    if not de:
        for r, base, v in tot["rows"]:
            tr += f"<tr><td>{T['vat']}{r.normalize():f} ({r.normalize():f}%)</td><td class=r>{f.n(v)}</td></tr>"
    tr += f"<tr class=b><td>{T['total']}</td><td class=r>{f.m(tot['total'])}</td></tr>"
    due_amt = tot["total"] - paid
    if paid:
        tr += f"<tr><td>{T['paid']}</td><td class=r style='color:#d33'>(-) {f.n(paid)}</td></tr>"
    tr += f"<tr class=bal><td>{T['bal']}</td><td class=r>{f.m(due_amt)}</td></tr>"
    if de:
        legal = ("Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge) – die Umsatzsteuer schuldet der Leistungsempfänger. "
                 f"USt-IdNr. des Leistungsempfängers: {esc(b.vat)}")
        ids = f"USt-IdNr.: {s.vat}"
    else:
        legal = ""
        ids = f"VAT Reg. No: {s.vat}"
    body = f"""<div class=pg><div class=hd><div class=org><b>{esc(s.name)}</b><br>{'<br>'.join(esc(x) for x in s.addr)}<br>{ids}<br>{esc(s.email)}</div>
<div class=r><div class=title>{T['title']}</div><div># {num}</div><div class=ballab>{T['bal']}</div><div class=balv>{f.m(due_amt)}</div></div></div>
<div class=mid><div><div class=lab>{T['bill']}</div><b style="color:#408dfb">{esc(b.name)}</b><br>{'<br>'.join(esc(x) for x in b.addr())}</div>
<table class=dt><tr><td>{T['date']} :</td><td>{dd(issue)}</td></tr><tr><td>{T['terms']} :</td><td>{T['net']}</td></tr><tr><td>{T['due']} :</td><td>{dd(due)}</td></tr></table></div>
<table class=it><thead><tr><th>#</th><th style="width:55%">{T['item']}</th><th class=r>{T['qty']}</th><th class=r>{T['rate']}</th><th class=r>{T['amt']}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table>
<div class=notes><div class=lab>Notes</div>{T['notes']}<br>{legal}</div>
<div class=notes><div class=lab>{'Bankverbindung' if de else 'Payment details'}</div>IBAN {iban_sp(s.iban)} · BIC {s.bic}</div></div>"""
    cssx = """body { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 9pt; color: #333; }
.pg { padding: 15mm 15mm; } .hd { display: flex; justify-content: space-between; } .org { line-height: 1.45; }
.title { font-size: 24pt; } .ballab { margin-top: 4mm; font-size: 8pt; font-weight: bold; } .balv { font-size: 13pt; font-weight: bold; }
.mid { display: flex; justify-content: space-between; margin: 10mm 0 6mm; line-height: 1.45; } .lab { color: #777; }
.dt td { padding: 0.6mm 2mm; } .dt td:first-child { text-align: right; color: #777; }
.it { width: 100%; border-collapse: collapse; } .it th { background: #3c3d3a; color: #fff; text-align: left; padding: 2mm; font-weight: normal; }
.it td { padding: 2.5mm 2mm; border-bottom: 0.5px solid #ddd; }
.tt { margin-left: auto; width: 85mm; margin-top: 2mm; } .tt td { padding: 1.3mm 2mm; } .tt td:first-child { text-align: right; }
tr.b td { font-weight: bold; } tr.bal td { background: #f5f4f3; font-weight: bold; }
.notes { margin-top: 8mm; line-height: 1.45; }"""
    t = truth(num, issue, tot, s, b, "EUR", due=due, amount_due=due_amt, iban=s.iban, lines=len(lines), sub=not disc and not ship,
              vat=not de)
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, f"{T['title']} {num}"), out, tmp), t, own_of(b), \
        {"language": lang, "country": cc, "currency": "EUR"}


# =============================================================================================
# 5. Wave: a US seller; "INVOICE" top right over the business address, BILL TO at the left and
#    Invoice Number / Invoice Date / Payment Due / Amount Due (USD) at the right, coloured
#    "Items Quantity Price Amount" bar, "Payment on <date> using <method>", long US dates.

def s_wave(rng, k):
    s = make_seller(rng, "US")
    b = buyer_for(rng, "en")
    lines = pick_lines(rng, "en", "US", rng.randint(1, 5), vat=False)
    tot = sums(lines)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "wave", issue)
    pays = []
    if rng.random() < 0.4:
        pd = issue + timedelta(days=rng.randint(1, terms))
        pays.append((pd, q(tot["total"] * D(rng.choice(["0.4", "0.5"]))), rng.choice(["bank payment", "credit card", "check"])))
    full = not pays and rng.random() < 0.2
    if full:
        pays.append((issue + timedelta(days=rng.randint(0, 9)), tot["total"], "credit card"))
    f = F("en", grp=",", dec=".", cur="pre", sym="$", sp="")
    dd = lambda d: us_date(d, True)  # noqa: E731
    accent = rng.choice(["#136acd", "#4a4a4a", "#b52a5a", "#1a7f64"])
    rows = ""
    for ln in lines:
        name = ln.desc.split(" (")[0]
        rows += f"<tr><td><b>{esc(name)}</b>{'<br><span class=d>' + esc(ln.desc) + '</span>' if name != ln.desc else ''}</td><td class=c>{f.qty(ln.qty)}</td><td class=r>{f.m(ln.unit)}</td><td class=r>{f.m(ln.amount)}</td></tr>"
    due_amt = tot["total"] - sum((p[1] for p in pays), D(0))
    tr = f"<tr><td>Total:</td><td class=r>{f.m(tot['total'])}</td></tr>"
    for pd, am, how in pays:
        tr += f"<tr><td>Payment on {dd(pd)} using {how}:</td><td class=r>{f.m(am)}</td></tr>"
    tr += f"<tr class=b><td>Amount Due (USD):</td><td class=r>{f.m(due_amt)}</td></tr>"
    body = f"""<div class=pg><div class=hd><div class=logo>{esc(s.name.split()[0].upper())}</div>
<div class=r><div class=title>INVOICE</div><b>{esc(s.name)}</b><br>{'<br>'.join(esc(x) for x in s.addr)}<br>United States<br><br>Phone: {esc(s.phone)}<br>{esc(s.web)}</div></div>
<div class=mid><div><div class=lab>BILL TO</div><b>{esc(b.name)}</b><br>{'<br>'.join(esc(x) for x in b.addr())}<br>{en_country(b.cc)}<br>{esc(b.email) if hasattr(b, 'email') else ''}</div>
<table class=dt><tr><td><b>Invoice Number:</b></td><td>{num}</td></tr><tr><td><b>Invoice Date:</b></td><td>{dd(issue)}</td></tr>
<tr><td><b>Payment Due:</b></td><td>{dd(due)}</td></tr><tr class=ad><td><b>Amount Due (USD):</b></td><td><b>{f.m(due_amt)}</b></td></tr></table></div>
<table class=it><thead><tr><th>Items</th><th class=c>Quantity</th><th class=r>Price</th><th class=r>Amount</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table>
<div class=notes><b>Notes / Terms</b><br>Payment by international wire in USD. Routing (ABA) {s.routing}, account {s.acct}. Please include invoice #{num}.</div>
{stamp('PAID', '#1a7f64', '70mm', '60mm') if full else ''}</div>"""
    cssx = f"""body {{ font-family: 'Liberation Sans', Arial, sans-serif; font-size: 9pt; color: #1c252c; }}
.pg {{ padding: 14mm 14mm; position: relative; }} .hd {{ display: flex; justify-content: space-between; border-bottom: 0.5px solid #ccc; padding-bottom: 5mm; line-height: 1.45; }}
.logo {{ font: bold 18pt Arial; color: {accent}; }} .title {{ font-size: 20pt; letter-spacing: 1px; margin-bottom: 2mm; }}
.mid {{ display: flex; justify-content: space-between; margin: 6mm 0; line-height: 1.45; }} .lab {{ color: #888; font-weight: bold; font-size: 8pt; }}
.dt td {{ padding: 0.7mm 2mm; }} .dt td:first-child {{ text-align: right; }} tr.ad td {{ background: #f0f2f4; }}
.it {{ width: 100%; border-collapse: collapse; }} .it th {{ background: {accent}; color: #fff; padding: 2mm 3mm; text-align: left; }}
.it td {{ padding: 3mm; border-bottom: 0.5px solid #ddd; vertical-align: top; }} .c {{ text-align: center !important; }} .d {{ color: #666; font-size: 8pt; }}
.tt {{ margin-left: auto; margin-top: 3mm; }} .tt td {{ padding: 1.3mm 3mm; }} .tt td:first-child {{ text-align: right; font-weight: bold; }}
tr.b td {{ border-top: 1px solid #333; }} .notes {{ margin-top: 12mm; line-height: 1.45; }}"""
    t = truth(num, issue, tot, s, b, "USD", due=due, amount_due=due_amt, lines=len(lines), seller_vat=False, sub=False, vat=False)
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, f"Invoice {num}"), out, tmp), t, own_of(b), \
        {"language": "en", "country": "US", "currency": "USD"}


# =============================================================================================
# 6. Sage Business Cloud Accounting (UK): a UK seller's goods to a Benelux customer, zero-rated
#    export; INVOICE / CREDIT NOTE top right, Invoice To / Deliver To, a boxed grid (Invoice No.,
#    Invoice Date, Customer Ref., Due Date), Qty/Hrs, Price/Rate, Disc %, Net, VAT %, VAT; Total
#    Net Amount, Carriage, Total VAT Amount, Invoice Total, Amount Paid, Amount Due; PAID stamp.

SAGE_GOODS = [("Oak serving board, large", 18, 42), ("Linen tea towel set (3)", 9, 19), ("Ceramic mug, speckled glaze", 6, 14),
              ("Wool throw, herringbone", 45, 95), ("Leather notebook A5", 12, 28), ("Enamel sign, custom text", 35, 80),
              ("Scented candle 220 g", 8, 17), ("Cotton tote bag, printed", 4, 9), ("Gin botanicals gift box", 22, 39)]


def s_sage(rng, k):
    s = make_seller(rng, "GB")
    b = buyer_for(rng, "en")
    credit = rng.random() < 0.2
    lines = []
    for name, lo, hi in rng.sample(SAGE_GOODS, rng.randint(2, 6)):
        lines.append(Line(name, rng.choice([6, 10, 12, 20, 24, 36, 48]), q(D(str(rng.uniform(lo, hi)))), 0,
                          disc=rng.choice([0, 0, 0, 5, 10]) if rng.random() < 0.4 else 0))
    carriage = q(D(rng.choice([12, 18, 25, 35, 48]))) if (not credit and rng.random() < 0.5) else None
    tot = sums(lines, shipping=(carriage, D(0)) if carriage else None)
    net = q(sum((ln.amount for ln in lines), D(0)))
    issue, terms, due = issue_terms(rng)
    num = f"CN-{rng.randint(1, 60)}" if credit else inv_no(rng, "sage", issue)
    paid = D(0)
    if not credit:
        paid = rng.choice([D(0), D(0), tot["total"], q(tot["total"] * D("0.5"))])
    f = F("en", grp=",", dec=".", cur="none")
    dd = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
    title = "CREDIT NOTE" if credit else "INVOICE"
    due_amt = tot["total"] - paid

    def make(out, tmp):
        p = Pen(out, "LiberationSans", title)
        green = "#00815d"
        p.rect(15, 14, 32, 16, fill=green, stroke=None)
        p.t(31, 24, "".join(w[0] for w in s.name.split()[:2]), 14, True, "c", color="#ffffff")
        p.t(195, 22, title, 20, True, "r", color=green)
        p.lines(195, 30, [s.name] + s.addr + ["United Kingdom", s.phone, s.email], 8, a="r")
        p.t(15, 52, "Invoice To" if not credit else "Credit To", 8, True, color=green)
        p.lines(15, 57, [b.name] + b.addr() + [en_country(b.cc).upper()] + ([f"VAT No. {b.vat}"] if b.vat else []), 9)
        p.t(80, 52, "Deliver To", 8, True, color=green)
        p.lines(80, 57, [b.name] + b.addr() + [en_country(b.cc).upper()], 9)
        grid = [("Credit Note No." if credit else "Invoice No.", num), ("Date", dd(issue)), ("Customer Ref.", rng.choice(["PO" + digs(rng, 5), "ORD-" + digs(rng, 4), b.name.split()[0].upper()[:6] + "01"]))]
        if not credit:
            grid.append(("Due Date", dd(due)))
        y = 66
        for lab, v in grid:
            p.rect(140, y - 4, 25, 6, fill="#eef5f2", stroke="#bbbbbb", lw=0.3)
            p.rect(165, y - 4, 30, 6, stroke="#bbbbbb", lw=0.3)
            p.t(141.5, y, lab, 7.5, True)
            p.t(193.5, y, v, 8.5, a="r")
            y += 6
        y = 100
        cols = [(15, "l", "Description"), (110, "r", "Qty/Hrs"), (130, "r", "Price/Rate"), (145, "r", "Disc %"), (166, "r", "Net"), (178, "r", "VAT %"), (195, "r", "VAT")]
        p.rect(15, y - 4.5, 180, 6.5, fill=green, stroke=None)
        for x, a, lab in cols:
            p.t(x + (1.5 if a == "l" else -0.5), y, lab, 8, True, a, color="#ffffff")
        y += 7
        for ln in lines:
            vals = [ln.desc, f.qty(ln.qty, 2), f.n(ln.unit), f.n(ln.disc) if ln.disc else "0.00", f.n(ln.amount), "0.00", "0.00"]
            for (x, a, _), v in zip(cols, vals):
                p.t(x + (1.5 if a == "l" else -0.5), y, v, 8.5, False, a)
            p.line(15, y + 2, 195, y + 2, 0.2, "#cccccc")
            y += 6.5
        y = max(y + 6, 170)
        rows = [("Total Net Amount", f.n(net))]
        if carriage:
            rows.append(("Carriage", f.n(carriage)))
        rows += [("Total VAT Amount", "0.00"), ("Credit Note Total" if credit else "Invoice Total", f.n(tot["total"]))]
        if not credit:
            rows += [("Amount Paid", f.n(paid)), ("Amount Due", f.n(due_amt))]
        for i, (lab, v) in enumerate(rows):
            bold = lab in ("Invoice Total", "Credit Note Total", "Amount Due")
            p.rect(130, y - 4.2, 35, 6, fill="#eef5f2" if bold else None, stroke="#bbbbbb", lw=0.3)
            p.rect(165, y - 4.2, 30, 6, stroke="#bbbbbb", lw=0.3)
            p.t(131.5, y, lab, 8, bold)
            p.t(193.5, y, ("£" if bold else "") + v, 8.5, bold, "r")
            y += 6
        p.lines(15, 172, ["Zero-rated export: goods dispatched to a VAT-registered", "business in the EU (outside the scope of UK VAT).",
                          "", "Bank details: " + s.bank, f"Sort Code {s.sort}  Account No. {s.acct}", f"IBAN {iban_sp(s.iban)}  BIC {s.bic}"], 8)
        if paid and paid == tot["total"]:
            p.c.saveState()
            p.c.setStrokeColor("#cc2222")
            p.c.setFillColor("#cc2222")
            p.c.setLineWidth(2.5)
            p.c.translate(80 * p.mm, (297 - 140) * p.mm)
            p.c.rotate(20)
            p.c.roundRect(-22 * p.mm, -6 * p.mm, 44 * p.mm, 14 * p.mm, 3 * p.mm)
            p.c.setFont(p.bold, 26)
            p.c.drawCentredString(0, -2 * p.mm, "PAID")
            p.c.restoreState()
        p.line(15, 275, 195, 275, 0.3)
        p.lines(105, 279, [f"{s.name}. Registered in England and Wales No. {s.crn}. Registered office: {', '.join(s.addr)}.",
                           f"VAT Registration No. {gb_vat_print(s.vat)}"], 7, a="c", color="#555555")
        p.save()

    t = truth(num, issue, tot, s, b, "GBP", "credit_note" if credit else "invoice", due=None if credit else due,
              amount_due=None if credit else due_amt, iban=s.iban, lines=len(lines), sub=carriage is None)
    return "reportlab", make, t, own_of(b), {"language": "en", "country": "GB", "currency": "GBP"}


# =============================================================================================
# 7. sevDesk: German DIN 5008 letter; sender line over the window, an info block (Rechnungsnr.,
#    Kundennr., Datum, Lieferdatum, Ansprechpartner), "Rechnung Nr. RE-1043", a salutation,
#    Pos. / Beschreibung / Menge / Einheit / Einzelpreis / Gesamtpreis, "Gesamtbetrag netto",
#    "Umsatzsteuer 0 %", reverse-charge note, four-column footer; or a "Rechnungskorrektur".

def s_sevdesk(rng, k):
    s = make_seller(rng, "DE")
    b = buyer_for(rng, "de")
    credit = rng.random() < 0.2
    lines = pick_lines(rng, "de", "DE", rng.randint(1, 5), vat=False)
    if not credit and rng.random() < 0.3:
        lines.append(Line("Rabatt Neukunde", 1, -q(lines[0].amount * D("0.05")), 0))
    tot = sums(lines)
    issue, terms, due = issue_terms(rng)
    num = f"RK-{rng.randint(1000, 1099)}" if credit else inv_no(rng, "sev", issue)
    f = F("de", grp=".", dec=",", cur="post", sym="€", sp="\u00a0")
    dd = lambda d: d.strftime("%d.%m.%Y")  # noqa: E731
    sg = -1 if credit else 1
    title = f"Rechnungskorrektur Nr. {num}" if credit else f"Rechnung Nr. {num}"
    units = {"Beratungsstunden": "Std.", "Videoschnitt": "Std."}
    rows = ""
    for i, ln in enumerate(lines, 1):
        rows += (f"<tr><td>{i}.</td><td>{esc(ln.desc)}</td><td class=r>{f.qty(ln.qty, 2)}</td><td>{units.get(ln.desc, 'Stk.' if ln.amount > 0 else '')}</td>"
                 f"<td class=r>{f.m(sg * ln.unit)}</td><td class=r>{f.m(sg * ln.amount)}</td></tr>")
    tr = (f"<tr><td>Gesamtbetrag netto</td><td class=r>{f.m(sg * tot['sub'])}</td></tr>"
          f"<tr><td>Umsatzsteuer 0&nbsp;%</td><td class=r>{f.m(0)}</td></tr>"
          f"<tr class=b><td>Gesamtbetrag</td><td class=r>{f.m(sg * tot['total'])}</td></tr>")
    orig = f"RE-{rng.randint(1000, 1999)}"
    if credit:
        intro = f"Sehr geehrte Damen und Herren,<br>hiermit korrigieren wir unsere Rechnung {orig} vom {dd(issue - timedelta(days=rng.randint(5, 30)))} wie folgt:"
        outro = "Der Betrag wird Ihnen in den nächsten Tagen auf Ihr Konto erstattet."
    else:
        intro = "Sehr geehrte Damen und Herren,<br>vielen Dank für Ihren Auftrag und das damit verbundene Vertrauen! Hiermit stelle ich Ihnen die folgenden Leistungen in Rechnung:"
        outro = f"Bitte überweisen Sie den Rechnungsbetrag unter Angabe der Rechnungsnummer auf das unten angegebene Konto. Der Rechnungsbetrag ist bis zum {dd(due)} fällig."
    rc = ("Steuerschuldnerschaft des Leistungsempfängers (Reverse-Charge-Verfahren gemäß § 13b UStG / Art. 196 MwStSystRL). "
          f"USt-IdNr. des Leistungsempfängers: {esc(b.vat)}")
    country = {"BE": "Belgien", "NL": "Niederlande"}[b.cc]
    info = [("Rechnungsnr." if not credit else "Korrektur-Nr.", num), ("Kundennr.", str(rng.randint(1000, 1200))), ("Datum", dd(issue)),
            ("Lieferdatum", dd(issue - timedelta(days=rng.randint(0, 6)))), ("Ihr Ansprechpartner", s.boss)]
    infoh = "".join(f"<tr><td>{a}</td><td class=r>{esc(v)}</td></tr>" for a, v in info)
    body = f"""<div class=pg><div class=logo>{esc(s.name)}</div>
<div class=win><div class=sender>{esc(s.name)} · {esc(' · '.join(s.addr))}</div>{esc(b.name)}<br>{'<br>'.join(esc(x) for x in b.addr())}<br>{country}</div>
<table class=info>{infoh}</table>
<h1>{title}</h1><p>{intro}</p>
<table class=it><thead><tr><th>Pos.</th><th style="width:48%">Beschreibung</th><th class=r>Menge</th><th>Einheit</th><th class=r>Einzelpreis</th><th class=r>Gesamtpreis</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table>
<p class=rc>{rc}</p><p>{outro}</p><p>Mit freundlichen Grüßen<br>{esc(s.boss)}</p>
<div class=foot><div>{esc(s.name)}<br>{'<br>'.join(esc(x) for x in s.addr)}<br>Deutschland</div><div>Tel. {esc(s.phone)}<br>{esc(s.email)}<br>{esc(s.web)}</div>
<div>{esc(s.bank)}<br>IBAN: {iban_sp(s.iban)}<br>BIC: {s.bic}</div><div>USt-IdNr.: {s.vat}<br>Steuernr.: {s.steuernr}<br>{esc(s.court)}, {s.hrb}<br>Geschäftsführer: {esc(s.boss)}</div></div></div>"""
    cssx = """body { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 9.5pt; color: #222; }
.pg { padding: 0 20mm 0 25mm; position: relative; height: 296mm; }
.logo { position: absolute; top: 12mm; right: 20mm; font: bold 15pt 'Liberation Sans'; color: #e4005b; }
.win { position: absolute; top: 45mm; left: 25mm; width: 85mm; line-height: 1.4; } .sender { font-size: 7pt; text-decoration: underline; margin-bottom: 2mm; color: #555; }
.info { position: absolute; top: 50mm; right: 20mm; font-size: 8.5pt; } .info td { padding: 0.4mm 0 0.4mm 6mm; }
h1 { padding-top: 103mm; font-size: 14pt; margin: 0 0 4mm; }
.it { width: 100%; border-collapse: collapse; margin-top: 4mm; } .it th { text-align: left; border-bottom: 1px solid #222; padding: 1.5mm 1mm; font-size: 8.5pt; }
.it td { padding: 1.5mm 1mm; border-bottom: 0.4px solid #ddd; }
.tt { margin-left: auto; width: 80mm; margin-top: 3mm; } .tt td { padding: 1mm; } tr.b td { font-weight: bold; border-top: 1px solid #222; }
.rc { font-size: 8.5pt; }
.foot { position: absolute; bottom: 10mm; left: 25mm; right: 20mm; display: flex; justify-content: space-between; font-size: 7pt; color: #555; line-height: 1.4; border-top: 0.4px solid #aaa; padding-top: 2mm; }"""
    t = truth(num, issue, tot, s, b, "EUR", "credit_note" if credit else "invoice", due=None if credit else due, iban=s.iban, lines=len(lines))
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, title), out, tmp), t, own_of(b), \
        {"language": "de", "country": "DE", "currency": "EUR"}


# =============================================================================================
# 8. Billomat: "Rechnung" with a grey meta box (Rechnungsnummer, Kundennummer, Rechnungsdatum,
#    Lieferdatum, Fällig am), Pos. / Art.-Nr. / Bezeichnung / Menge / Einheit / Preis / Gesamt,
#    Zwischensumme, "Rabatt 5 %", Versandkosten, "Gesamt netto", "MwSt. 0 %", "Gesamtbetrag",
#    intra-community supply note, "Bereits bezahlt" / "Offener Betrag" (WeasyPrint).

def s_billomat(rng, k):
    s = make_seller(rng, "DE")
    b = buyer_for(rng, "de")
    lines = pick_lines(rng, "de", "DE", rng.randint(2, 5), vat=False, goods=True)
    disc = D(rng.choice([3, 5, 10])) if rng.random() < 0.4 else D(0)
    ship = (q(D(rng.choice(["9.90", "14.90", "24.50", "39.00"]))), D(0)) if rng.random() < 0.5 else None
    tot = sums(lines, disc, ship)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "bm", issue)
    paid = q(tot["total"] * D(rng.choice(["0.3", "0.5"]))) if rng.random() < 0.35 else D(0)
    f = F("de", grp=".", dec=",", cur="post", sym="€", sp=" ")
    dd = lambda d: d.strftime("%d.%m.%Y")  # noqa: E731
    rows = ""
    for i, ln in enumerate(lines, 1):
        rows += (f"<tr><td>{i}</td><td>{'A-' + digs(rng, 4)}</td><td>{esc(ln.desc)}</td><td class=r>{f.qty(ln.qty)}</td><td>{'Std.' if 'stunden' in ln.desc or 'schnitt' in ln.desc else 'Stück'}</td>"
                 f"<td class=r>{f.m(ln.unit)}</td><td class=r>{f.m(ln.amount)}</td></tr>")
    tr = f"<tr><td>Zwischensumme</td><td class=r>{f.m(tot['gross'])}</td></tr>"
    if disc:
        tr += f"<tr><td>Rabatt {disc} %</td><td class=r>-{f.m(tot['disc'])}</td></tr>"
    if ship:
        tr += f"<tr><td>Versandkosten</td><td class=r>{f.m(ship[0])}</td></tr>"
    tr += (f"<tr class=l><td>Gesamt netto</td><td class=r>{f.m(tot['sub'])}</td></tr><tr><td>MwSt. 0 %</td><td class=r>{f.m(0)}</td></tr>"
           f"<tr class=b><td>Gesamtbetrag</td><td class=r>{f.m(tot['total'])}</td></tr>")
    due_amt = None
    if paid:
        due_amt = tot["total"] - paid
        tr += f"<tr><td>Bereits bezahlt</td><td class=r>-{f.m(paid)}</td></tr><tr class=b><td>Offener Betrag</td><td class=r>{f.m(due_amt)}</td></tr>"
    country = {"BE": "BELGIEN", "NL": "NIEDERLANDE"}[b.cc]
    meta = [("Rechnungsnummer", num), ("Kundennummer", "K" + digs(rng, 5, "1")), ("Rechnungsdatum", dd(issue)),
            ("Lieferdatum", dd(issue - timedelta(days=rng.randint(0, 5)))), ("Fällig am", dd(due))]
    body = f"""<div class=hd><div class=logo>{esc(s.name)}</div><div class=sender>{esc(s.name)} - {esc(' - '.join(s.addr))}</div></div>
<div class=mid><div class=addr>{esc(b.name)}<br>{'<br>'.join(esc(x) for x in b.addr())}<br>{country}</div>
<table class=meta>{''.join(f'<tr><td>{a}</td><td class=r>{esc(v)}</td></tr>' for a, v in meta)}<tr><td>Ihre USt-IdNr.</td><td class=r>{esc(b.vat)}</td></tr></table></div>
<h1>Rechnung</h1><p>Sehr geehrte Damen und Herren,<br>vielen Dank für Ihre Bestellung. Wir berechnen Ihnen wie folgt:</p>
<table class=it><thead><tr><th>Pos.</th><th>Art.-Nr.</th><th style="width:40%">Bezeichnung</th><th class=r>Menge</th><th>Einheit</th><th class=r>Preis</th><th class=r>Gesamt</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table>
<p class=note>Steuerfreie innergemeinschaftliche Lieferung gemäß § 4 Nr. 1b i.V.m. § 6a UStG.</p>
<p>Bitte überweisen Sie den {'offenen Betrag' if paid else 'Rechnungsbetrag'} bis zum {dd(due)} ohne Abzug auf unser Konto.</p>
<div class=foot><div>{esc(s.name)}<br>{'<br>'.join(esc(x) for x in s.addr)}</div><div>Tel.: {esc(s.phone)}<br>E-Mail: {esc(s.email)}</div>
<div>Bank: {esc(s.bank)}<br>IBAN: {iban_sp(s.iban)}<br>BIC: {s.bic}</div><div>{esc(s.court)} {s.hrb}<br>USt-ID: {s.vat}<br>Geschäftsführung: {esc(s.boss)}</div></div>"""
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Rechnung {num}</title><style>
@page {{ size: A4; margin: 15mm 18mm 32mm 22mm; }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 8.5pt; color: #333; }}
.hd {{ display: flex; justify-content: space-between; }} .logo {{ font-size: 15pt; font-weight: bold; color: #0a6ebd; }}
.sender {{ font-size: 6.5pt; color: #777; margin-top: 18mm; }}
.mid {{ display: flex; justify-content: space-between; margin-top: 2mm; }} .addr {{ line-height: 1.45; font-size: 9pt; }}
.meta {{ background: #f0f0f0; padding: 2mm; font-size: 8pt; }} .meta td {{ padding: 0.5mm 2mm; }}
h1 {{ font-size: 16pt; margin: 10mm 0 2mm; font-weight: normal; }}
.it {{ width: 100%; border-collapse: collapse; margin-top: 3mm; }} .it th {{ background: #0a6ebd; color: #fff; text-align: left; padding: 1.5mm; font-weight: normal; }}
.it td {{ padding: 1.5mm; border-bottom: 0.3pt solid #ccc; }} .r {{ text-align: right; }}
.tt {{ margin-left: auto; width: 75mm; margin-top: 3mm; }} .tt td {{ padding: 0.8mm 1.5mm; }} tr.l td {{ border-top: 0.5pt solid #999; }} tr.b td {{ font-weight: bold; border-top: 1pt solid #333; }}
.note {{ font-size: 8pt; font-style: italic; }}
.foot {{ position: fixed; bottom: -24mm; left: 0; right: 0; display: flex; justify-content: space-between; font-size: 6.5pt; color: #666; line-height: 1.4; border-top: 0.3pt solid #aaa; padding-top: 1.5mm; }}
</style></head><body>{body}</body></html>"""
    t = truth(num, issue, tot, s, b, "EUR", due=due, amount_due=due_amt, iban=s.iban, lines=len(lines))
    return "weasyprint", lambda out, tmp: render_weasy(doc, out, tmp), t, own_of(b), {"language": "de", "country": "DE", "currency": "EUR"}


# =============================================================================================
# 9. SumUp Invoices (formerly Debitoor): a Belgian or Dutch shop or freelancer; logo block at the
#    right, "Invoice 27" / "Factuur" / "Facture" / "Rechnung", a meta column, Description / Qty /
#    Unit / Unit price / VAT / Amount, "Total excl. VAT", one row per VAT rate, "Total EUR",
#    credit notes ("Credit note 3 for invoice 27"), a PAID watermark; en / fr / de (Eupen).

def s_sumup(rng, k):
    lang = rng.choice(["en", "en", "fr", "de"])
    cc = "BE" if lang in ("fr", "de") else rng.choice(["BE", "NL"])
    s = make_seller(rng, cc, {"en": "nl"}.get(lang, lang))
    b = buyer_for(rng, lang) if cc == "BE" else make_buyer(rng, "NL")
    credit = rng.random() < 0.2
    lines = pick_lines(rng, lang, cc, rng.randint(1, 6), multi=rng.random() < 0.6)
    ship = (q(D(rng.choice(["6.95", "9.95", "12.50"]))), RATES[cc]["s"]) if (not credit and rng.random() < 0.35) else None
    if ship:
        lines.append(Line({"en": "Shipping", "fr": "Frais d'envoi", "de": "Versand"}[lang], 1, ship[0], ship[1]))
    tot = sums(lines)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "sumup", issue)
    T = {"en": dict(inv="Invoice", cn="Credit note", no="Invoice no.", cno="Credit note no.", date="Invoice date", due="Due date", cust="Customer no.",
                    desc="Description", qty="Qty", unit="Unit", price="Unit price", vat="VAT", amt="Amount", net="Total excl. VAT", tot="Total",
                    pay=f"Payment terms: {terms} days. Please transfer the amount to", paid="PAID", forinv="for invoice", pcs="pcs", vtot="Total VAT"),
         "fr": dict(inv="Facture", cn="Note de crédit", no="Facture n°", cno="Note de crédit n°", date="Date de facturation", due="Date d'échéance",
                    cust="N° client", desc="Description", qty="Qté", unit="Unité", price="Prix unitaire", vat="TVA", amt="Montant", net="Total HTVA",
                    tot="Total", pay=f"Conditions de paiement : {terms} jours. Merci de virer le montant sur le compte", paid="PAYÉ", forinv="relative à la facture", pcs="pce", vtot="Total TVA"),
         "de": dict(inv="Rechnung", cn="Gutschrift", no="Rechnungsnr.", cno="Gutschriftnr.", date="Rechnungsdatum", due="Fälligkeitsdatum", cust="Kundennr.",
                    desc="Beschreibung", qty="Menge", unit="Einheit", price="Einzelpreis", vat="MwSt.", amt="Betrag", net="Gesamt exkl. MwSt.", tot="Gesamt",
                    pay=f"Zahlungsbedingungen: {terms} Tage. Bitte überweisen Sie den Betrag auf das Konto", paid="BEZAHLT", forinv="zur Rechnung", pcs="Stk.", vtot="MwSt. gesamt")}[lang]
    if lang == "en":
        f = F("en", grp=",", dec=".", cur="pre", sym="€", sp="")
        dd = lambda d: f"{d.day} {MONTHS['en'][d.month - 1][:3]} {d.year}"  # noqa: E731
    else:
        f = F(lang, grp="." if lang == "de" else "\u202f", dec=",", cur="post", sym="€", sp="\u00a0")
        dd = lambda d: d.strftime("%d.%m.%Y" if lang == "de" else "%d/%m/%Y")  # noqa: E731
    cnum = str(rng.randint(1, 30))
    title = f"{T['cn']} {cnum}" if credit else f"{T['inv']} {num}"
    rows = ""
    for ln in lines:
        rows += (f"<tr><td>{esc(ln.desc)}</td><td class=r>{f.qty(ln.qty)}</td><td>{T['pcs']}</td><td class=r>{f.m(ln.unit)}</td>"
                 f"<td class=r>{ln.rate.normalize():f}%</td><td class=r>{f.m(ln.amount)}</td></tr>")
    tr = f"<tr><td>{T['net']}</td><td class=r>{f.m(tot['sub'])}</td></tr>"
    for r, base, v in tot["rows"]:
        tr += f"<tr><td>{T['vat']} {r.normalize():f}% ({f.m(base)})</td><td class=r>{f.m(v)}</td></tr>"
    if len(tot["rows"]) > 1:
        tr += f"<tr><td>{T['vtot']}</td><td class=r>{f.m(tot['vat'])}</td></tr>"
    tr += f"<tr class=b><td>{T['tot']} EUR</td><td class=r>{f.m(tot['total'])}</td></tr>"
    meta = [(T["cno"], cnum)] if credit else [(T["no"], num)]
    meta += [(T["date"], dd(issue))]
    if not credit:
        meta.append((T["due"], dd(due)))
    meta.append((T["cust"], str(rng.randint(1, 140))))
    paid_wm = not credit and rng.random() < 0.3
    vlabel = {"en": "VAT no.", "fr": "N° TVA", "de": "MwSt.-Nr."}[lang]
    country = {"en": en_country(b.cc), "fr": {"BE": "Belgique", "NL": "Pays-Bas"}[b.cc], "de": {"BE": "Belgien", "NL": "Niederlande"}[b.cc]}[lang]
    note = f"{T['pay']} {iban_sp(s.iban)} (BIC {s.bic}), ref. {num}." if not credit else f"{T['cn']} {cnum} {T['forinv']} {num}."
    body = f"""<div class=pg><div class=hd><div class=cust>{esc(b.name)}<br>{'<br>'.join(esc(x) for x in b.addr())}<br>{country}{('<br>' + vlabel + ' ' + esc(b.vat)) if b.vat else ''}</div>
<div class=co><div class=logo>{esc(s.name)}</div>{'<br>'.join(esc(x) for x in s.addr)}<br>{esc(s.phone)}<br>{esc(s.email)}<br>{vlabel} {esc(s.vat)}</div></div>
<h1>{esc(title)}</h1><table class=meta>{''.join(f'<tr><td>{a}</td><td>{esc(v)}</td></tr>' for a, v in meta)}</table>
<table class=it><thead><tr><th style="width:45%">{T['desc']}</th><th class=r>{T['qty']}</th><th>{T['unit']}</th><th class=r>{T['price']}</th><th class=r>{T['vat']}</th><th class=r>{T['amt']}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table><p class=note>{esc(note)}</p>
{'<div class=wm>' + T['paid'] + '</div>' if paid_wm else ''}
<div class=foot>{esc(s.name)} · {esc(', '.join(s.addr))} · {vlabel} {esc(s.vat)} · IBAN {iban_sp(s.iban)} · BIC {s.bic}</div></div>"""
    cssx = """body { font-family: 'DejaVu Sans', sans-serif; font-size: 8.5pt; color: #2b2b2b; }
.pg { padding: 15mm 17mm; position: relative; height: 296mm; } .hd { display: flex; justify-content: space-between; margin-top: 10mm; line-height: 1.45; }
.co { text-align: right; color: #555; } .logo { font-size: 13pt; font-weight: bold; color: #1a1a1a; margin-bottom: 1mm; }
h1 { font-size: 17pt; font-weight: normal; margin: 14mm 0 3mm; } .meta td { padding: 0.5mm 6mm 0.5mm 0; } .meta td:first-child { color: #777; }
.it { width: 100%; border-collapse: collapse; margin-top: 8mm; } .it th { text-align: left; border-bottom: 1px solid #2b2b2b; padding: 1.5mm 1mm; font-weight: normal; color: #777; }
.it td { padding: 2mm 1mm; border-bottom: 0.3px solid #ddd; } .tt { margin-left: auto; margin-top: 3mm; min-width: 80mm; } .tt td { padding: 1mm; }
tr.b td { font-weight: bold; font-size: 10pt; border-top: 1px solid #2b2b2b; } .note { margin-top: 10mm; }
.wm { position: absolute; top: 120mm; left: 40mm; font-size: 90pt; color: rgba(60, 170, 90, .18); transform: rotate(-25deg); font-weight: bold; }
.foot { position: absolute; bottom: 10mm; left: 17mm; right: 17mm; text-align: center; font-size: 7pt; color: #888; }"""
    t = truth(cnum if credit else num, issue, tot, s, b, "EUR", "credit_note" if credit else "invoice", due=None if credit else due,
              iban=s.iban if not credit else None, lines=len(lines))
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, title), out, tmp), t, own_of(b), \
        {"language": lang, "country": cc, "currency": "EUR"}


# =============================================================================================
# 10. Zervant: a French seller; "FACTURE" / "INVOICE", Facture n° 2025-014, dates, "Conditions
#     de paiement", Description / Quantité / Unité / Prix unitaire HT / TVA / Total HT, Total HT,
#     "TVA 0 %", Total TTC, "Acompte versé", "Montant à payer", autoliquidation and late-payment
#     mentions (SIRET, capital).

def s_zervant(rng, k):
    lang = rng.choice(["fr", "fr", "en"])
    s = make_seller(rng, "FR")
    b = buyer_for(rng, "fr" if lang == "fr" else "en")
    lines = pick_lines(rng, "fr" if lang == "fr" else "en", "FR", rng.randint(1, 5), vat=False)
    disc_l = rng.random() < 0.3
    if disc_l:
        lines.append(Line("Remise commerciale 10 %" if lang == "fr" else "Discount 10%", 1, -q(sum((ln.amount for ln in lines), D(0)) * D("0.1")), 0))
    tot = sums(lines)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "zerv", issue)
    dep = q(tot["total"] * D("0.3")) if rng.random() < 0.35 else D(0)
    if lang == "fr":
        f = F("fr", grp="\u202f", dec=",", cur="post", sym="€", sp="\u00a0")
        dd = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
        T = dict(title="FACTURE", no="Facture n°", date="Date de facture", due="Date d'échéance", terms="Conditions de paiement", tv=f"{terms} jours net",
                 ref="Votre référence", desc="Description", qty="Quantité", unit="Unité", pu="Prix unitaire HT", vat="TVA", tht="Total HT",
                 ttc="Total TTC", dep="Acompte versé", pay="Montant à payer", bill="Facturé à", u="pce",
                 rc="Autoliquidation – TVA due par le preneur (art. 283-2 du CGI, art. 196 de la directive 2006/112/CE).",
                 late=f"En cas de retard de paiement, une pénalité égale à 3 fois le taux d'intérêt légal sera exigible, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 €. Pas d'escompte pour paiement anticipé.",
                 bank="Coordonnées bancaires")
    else:
        f = F("en", grp=",", dec=".", cur="pre", sym="€", sp="")
        dd = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
        T = dict(title="INVOICE", no="Invoice no.", date="Invoice date", due="Due date", terms="Payment terms", tv=f"{terms} days net", ref="Your reference",
                 desc="Description", qty="Quantity", unit="Unit", pu="Unit price", vat="VAT", tht="Total excl. VAT", ttc="Total incl. VAT",
                 dep="Deposit paid", pay="Amount to pay", bill="Bill to", u="pcs", rc="Reverse charge – VAT to be paid by the customer (Art. 196, Directive 2006/112/EC).",
                 late="Late payment: penalties at three times the French legal interest rate and a fixed recovery fee of €40.", bank="Bank details")
    rows = "".join(f"<tr><td>{esc(ln.desc)}</td><td class=r>{f.qty(ln.qty)}</td><td>{T['u']}</td><td class=r>{f.m(ln.unit)}</td><td class=r>0 %</td><td class=r>{f.m(ln.amount)}</td></tr>" for ln in lines)
    tr = f"<tr><td>{T['tht']}</td><td class=r>{f.m(tot['sub'])}</td></tr><tr><td>{T['vat']} 0 %</td><td class=r>{f.m(0)}</td></tr><tr class=b><td>{T['ttc']}</td><td class=r>{f.m(tot['total'])}</td></tr>"
    due_amt = None
    if dep:
        due_amt = tot["total"] - dep
        tr += f"<tr><td>{T['dep']}</td><td class=r>-{f.m(dep)}</td></tr><tr class=b><td>{T['pay']}</td><td class=r>{f.m(due_amt)}</td></tr>"
    country = {"BE": "Belgique", "NL": "Pays-Bas"}[b.cc] if lang == "fr" else en_country(b.cc)
    vl = "N° TVA intracom." if lang == "fr" else "VAT no."
    body = f"""<div class=pg><div class=band></div><div class=hd><div><div class=nm>{esc(s.name)}</div>{'<br>'.join(esc(x) for x in s.addr)}<br>France<br>{esc(s.phone)}<br>{esc(s.email)}</div>
<div class=r><div class=title>{T['title']}</div><table class=meta><tr><td>{T['no']}</td><td>{num}</td></tr><tr><td>{T['date']}</td><td>{dd(issue)}</td></tr>
<tr><td>{T['due']}</td><td>{dd(due)}</td></tr><tr><td>{T['terms']}</td><td>{T['tv']}</td></tr></table></div></div>
<div class=bill><div class=lab>{T['bill']}</div><b>{esc(b.name)}</b><br>{'<br>'.join(esc(x) for x in b.addr())}<br>{country}<br>{vl} {esc(b.vat)}</div>
<table class=it><thead><tr><th style="width:42%">{T['desc']}</th><th class=r>{T['qty']}</th><th>{T['unit']}</th><th class=r>{T['pu']}</th><th class=r>{T['vat']}</th><th class=r>{T['tht']}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt>{tr}</table>
<p class=rc>{T['rc']}</p><p class=sm><b>{T['bank']}</b> : IBAN {iban_sp(s.iban)} · BIC {s.bic}</p><p class=sm>{T['late']}</p>
<div class=foot>{esc(s.name)} – SARL au capital de {s.capital} € – SIRET {s.siret[:3]} {s.siret[3:6]} {s.siret[6:9]} {s.siret[9:]} – {vl} {s.vat}</div></div>"""
    cssx = """body { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 9pt; color: #263238; }
.pg { padding: 0 16mm; position: relative; height: 296mm; } .band { height: 6mm; background: #00a3a3; margin: 0 -16mm 10mm; }
.hd { display: flex; justify-content: space-between; line-height: 1.45; } .nm { font-size: 13pt; font-weight: bold; }
.title { font-size: 22pt; color: #00a3a3; font-weight: bold; } .meta td { padding: 0.5mm 0 0.5mm 6mm; } .meta td:first-child { color: #607d8b; }
.bill { margin: 10mm 0 8mm; line-height: 1.45; } .lab { color: #607d8b; font-size: 8pt; text-transform: uppercase; }
.it { width: 100%; border-collapse: collapse; } .it th { background: #eceff1; text-align: left; padding: 2mm; font-size: 8pt; }
.it td { padding: 2mm; border-bottom: 0.4px solid #cfd8dc; } .tt { margin-left: auto; margin-top: 4mm; min-width: 80mm; } .tt td { padding: 1.2mm 2mm; }
tr.b td { font-weight: bold; background: #e0f2f1; } .rc { margin-top: 8mm; font-weight: bold; font-size: 8.5pt; } .sm { font-size: 7.5pt; color: #455a64; }
.foot { position: absolute; bottom: 10mm; left: 16mm; right: 16mm; text-align: center; font-size: 7pt; color: #607d8b; }"""
    t = truth(num, issue, tot, s, b, "EUR", due=due, amount_due=due_amt, iban=s.iban, lines=len(lines))
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, f"{T['title']} {num}"), out, tmp), t, own_of(b), \
        {"language": lang, "country": "FR", "currency": "EUR"}


# =============================================================================================
# 11. Holded: a Spanish seller; "FACTURA" / "INVOICE", "Nº F250123", Fecha / Vencimiento, CONCEPTO /
#     PRECIO / UNIDADES / SUBTOTAL / IVA / TOTAL, BASE IMPONIBLE, "IVA 0%", TOTAL, inversión del
#     sujeto pasivo, a "PAGADA" stamp (WeasyPrint).

def s_holded(rng, k):
    lang = rng.choice(["es", "es", "en"])
    s = make_seller(rng, "ES")
    b = buyer_for(rng, "en")
    lines = pick_lines(rng, lang, "ES", rng.randint(1, 5), vat=False)
    disc = D(rng.choice([5, 10])) if rng.random() < 0.3 else D(0)
    for ln in lines:
        if disc and rng.random() < 0.6:
            ln.disc = disc
            ln.amount = q(ln.qty * ln.unit * (100 - disc) / 100)
    tot = sums(lines)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "holded", issue)
    paid = rng.random() < 0.3
    if lang == "es":
        f = F("es", grp=".", dec=",", cur="post", sym="€", sp="")
        T = dict(title="FACTURA", no="Nº", date="Fecha", due="Vencimiento", c="CONCEPTO", p="PRECIO", u="UNIDADES", dto="DTO.", st="SUBTOTAL", iva="IVA",
                 t="TOTAL", base="BASE IMPONIBLE", paid="PAGADA", pay="Forma de pago: transferencia bancaria",
                 rc="Operación con inversión del sujeto pasivo – art. 84.Uno.2º Ley 37/1992 del IVA; art. 196 Directiva 2006/112/CE.", cif="CIF")
    else:
        f = F("en", grp=",", dec=".", cur="post", sym="€", sp="")
        T = dict(title="INVOICE", no="No.", date="Date", due="Due date", c="CONCEPT", p="PRICE", u="UNITS", dto="DISC.", st="SUBTOTAL", iva="VAT",
                 t="TOTAL", base="TAX BASE", paid="PAID", pay="Payment method: bank transfer", rc="Reverse charge – Article 196 of Directive 2006/112/EC.", cif="VAT")
    dd = lambda d: d.strftime("%d/%m/%Y")  # noqa: E731
    rows = ""
    for ln in lines:
        rows += (f"<tr><td>{esc(ln.desc)}</td><td class=r>{f.m(ln.unit)}</td><td class=r>{f.qty(ln.qty)}</td>"
                 + (f"<td class=r>{f.p(ln.disc) if ln.disc else ''}</td>" if disc else "")
                 + f"<td class=r>{f.m(ln.amount)}</td><td class=r>0%</td><td class=r>{f.m(ln.amount)}</td></tr>")
    country = {"BE": "Bélgica", "NL": "Países Bajos"}[b.cc] if lang == "es" else en_country(b.cc)
    body = f"""<div class=hd><div><div class=logo>{esc(s.name)}</div>{'<br>'.join(esc(x) for x in s.addr)}<br>{'España' if lang == 'es' else 'Spain'}<br>{T['cif']}: {s.vat}<br>{esc(s.email)}</div>
<div class=cl><b>{esc(b.name)}</b><br>{'<br>'.join(esc(x) for x in b.addr())}<br>{country}<br>{'NIF-IVA' if lang == 'es' else 'VAT'}: {esc(b.vat)}</div></div>
<div class=tl><span class=title>{T['title']}</span><span>{T['no']} <b>{num}</b></span><span>{T['date']}: <b>{dd(issue)}</b></span><span>{T['due']}: <b>{dd(due)}</b></span></div>
<table class=it><thead><tr><th style="width:40%">{T['c']}</th><th class=r>{T['p']}</th><th class=r>{T['u']}</th>{'<th class=r>' + T['dto'] + '</th>' if disc else ''}<th class=r>{T['st']}</th><th class=r>{T['iva']}</th><th class=r>{T['t']}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt><tr><td>{T['base']}</td><td class=r>{f.m(tot['sub'])}</td></tr><tr><td>{T['iva']} 0%</td><td class=r>{f.m(0)}</td></tr><tr class=b><td>{T['t']}</td><td class=r>{f.m(tot['total'])}</td></tr></table>
<p class=rc>{T['rc']}</p><p>{T['pay']}<br>IBAN {iban_sp(s.iban)} · BIC {s.bic}</p>
{'<div class=stamp>' + T['paid'] + '</div>' if paid else ''}"""
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{T['title']} {num}</title><style>
@page {{ size: A4; margin: 16mm 15mm 18mm 15mm; @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 7pt; color: #999; }} }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 8.3pt; color: #3a3a3a; }}
.hd {{ display: flex; justify-content: space-between; line-height: 1.5; }} .logo {{ font-size: 14pt; font-weight: bold; color: #f55b54; margin-bottom: 2mm; white-space: nowrap; }}
.cl {{ background: #f7f7f9; padding: 3mm 5mm; width: 75mm; line-height: 1.5; }}
.tl {{ display: flex; gap: 8mm; align-items: baseline; margin: 12mm 0 5mm; border-bottom: 2px solid #f55b54; padding-bottom: 2mm; }} .title {{ font-size: 18pt; font-weight: bold; }}
.it {{ width: 100%; border-collapse: collapse; }} .it th {{ font-size: 7pt; color: #888; text-align: left; border-bottom: 0.5pt solid #ccc; padding: 1.5mm 1mm; }}
.it td {{ padding: 2mm 1mm; border-bottom: 0.3pt solid #eee; }} .r {{ text-align: right; }}
.tt {{ margin-left: auto; margin-top: 4mm; width: 70mm; }} .tt td {{ padding: 1mm; }} tr.b td {{ font-weight: bold; font-size: 11pt; border-top: 1pt solid #3a3a3a; }}
.rc {{ margin-top: 10mm; font-size: 7.5pt; color: #666; }}
.stamp {{ position: absolute; top: 150mm; left: 55mm; border: 3pt solid #2f9e62; color: #2f9e62; font-size: 28pt; font-weight: bold; padding: 1mm 6mm; transform: rotate(-15deg); opacity: .75; }}
</style></head><body>{body}</body></html>"""
    t = truth(num, issue, tot, s, b, "EUR", due=due, iban=s.iban, lines=len(lines))
    return "weasyprint", lambda out, tmp: render_weasy(doc, out, tmp), t, own_of(b), {"language": lang, "country": "ES", "currency": "EUR"}


# =============================================================================================
# 12. Bexio: a Swiss seller in CHF; "Rechnung RE-00231" with a small info table, Pos. /
#     Beschreibung / Menge / Einheit / Preis / Rabatt / Total, "Total CHF" with apostrophe
#     grouping (1'234.50), "nicht steuerbar" export note, and the Swiss QR-bill payment part
#     (Empfangsschein / Zahlteil, Konto / Zahlbar an, Währung, Betrag "1 234.50").

def s_bexio(rng, k):
    s = make_seller(rng, "CH")
    b = buyer_for(rng, "de")
    lines = []
    for r in rng.sample([r for r in CAT if not r[0].startswith(("Specialty", "Olive", "Handmade"))], rng.randint(1, 5)):
        unit = D(rng.randint(r[4], r[5])) if r[5] > 60 else D(rng.randint(r[4], r[5]))
        ln = Line(r[1], rng.choice([1, 1, 2, 3, 4, 8, 10]), unit, 0, disc=rng.choice([0, 0, 0, 10, 20]))
        lines.append(ln)
    tot = sums(lines)
    issue, terms, due = issue_terms(rng)
    num = inv_no(rng, "bexio", issue)

    def chf(x):
        x = q(x)
        ip, fp = f"{abs(x):,.2f}".split(".")
        return ("-" if x < 0 else "") + ip.replace(",", "'") + "." + fp

    def qr_amt(x):
        ip, fp = f"{q(x):,.2f}".split(".")
        return ip.replace(",", " ") + "." + fp
    dd = lambda d: d.strftime("%d.%m.%Y")  # noqa: E731
    rows = "".join(f"<tr><td>{i}</td><td>{esc(ln.desc)}</td><td class=r>{f'{ln.qty:.2f}'}</td><td>{'Std.' if 'stunden' in ln.desc or 'schnitt' in ln.desc else 'Stk.'}</td>"
                   f"<td class=r>{chf(ln.unit)}</td><td class=r>{(f'{ln.disc:.2f}%') if ln.disc else ''}</td><td class=r>{chf(ln.amount)}</td></tr>" for i, ln in enumerate(lines, 1))
    body_ref = num.replace("-", "") + digs(rng, 6)
    ref = f"RF{98 - _alnum_mod97(body_ref + 'RF00'):02d}{body_ref}"
    refp = " ".join(ref[i:i + 4] for i in range(0, len(ref), 4))
    qr = "".join(f'<div style="left:{x * 1.6}mm;top:{y * 1.6}mm"></div>' for y in range(29) for x in range(29)
                 if rng.random() < 0.5 or (x < 7 and y < 7) or (x > 21 and y < 7) or (x < 7 and y > 21))
    country = {"BE": "Belgien", "NL": "Niederlande"}[b.cc]
    baddr = b.addr()
    body = f"""<div class=pg><div class=hd><div class=logo>{esc(s.name)}</div><div class=r>{esc(s.name)}<br>{'<br>'.join(esc(x) for x in s.addr)}<br>{esc(s.phone)}<br>{esc(s.web)}</div></div>
<div class=addr>{esc(b.name)}<br>{'<br>'.join(esc(x) for x in baddr)}<br>{country}</div>
<h1>Rechnung {num}</h1>
<table class=info><tr><td>Rechnungsdatum</td><td>{dd(issue)}</td><td>Kontaktperson</td><td>{esc(rng.choice(['Reto Meier', 'Sandra Keller', 'Lukas Frei', 'Nadine Graf']))}</td></tr>
<tr><td>Zahlbar bis</td><td>{dd(due)}</td><td>MWST-Nr.</td><td>{ch_vat_print(s.vat)} MWST</td></tr></table>
<table class=it><thead><tr><th>Pos.</th><th style="width:42%">Beschreibung</th><th class=r>Menge</th><th>Einheit</th><th class=r>Preis</th><th class=r>Rabatt</th><th class=r>Total</th></tr></thead><tbody>{rows}</tbody></table>
<table class=tt><tr class=b><td>Total CHF</td><td class=r>{chf(tot['total'])}</td></tr></table>
<p class=sm>Leistungen an ein Unternehmen mit Sitz im Ausland – nicht der schweizerischen MWST unterstellt (Empfängerortsprinzip).<br>Zahlbar innert {terms} Tagen netto.</p>
<div class=qrb><div class=rcpt><div class=qt>Empfangsschein</div><div class=ql>Konto / Zahlbar an</div>{iban_sp(s.iban)}<br>{esc(s.name)}<br>{'<br>'.join(esc(x) for x in s.addr)}
<div class=ql>Referenz</div>{refp}<div class=ql>Zahlbar durch</div>{esc(b.name)}<br>{esc(baddr[0])}<br>{esc(baddr[1])}
<div class=amt><div><div class=ql>Währung</div>CHF</div><div><div class=ql>Betrag</div>{qr_amt(tot['total'])}</div></div><div class=ann>Annahmestelle</div></div>
<div class=zt><div class=qt>Zahlteil</div><div class=qrc>{qr}<div class=cross>+</div></div>
<div class=amt><div><div class=ql>Währung</div>CHF</div><div><div class=ql>Betrag</div>{qr_amt(tot['total'])}</div></div></div>
<div class=zr><div class=ql>Konto / Zahlbar an</div>{iban_sp(s.iban)}<br>{esc(s.name)}<br>{'<br>'.join(esc(x) for x in s.addr)}<div class=ql>Referenz</div>{refp}
<div class=ql>Zusätzliche Informationen</div>Rechnung {num}<div class=ql>Zahlbar durch</div>{esc(b.name)}<br>{esc(baddr[0])}<br>{esc(baddr[1])}<br>{country}</div></div></div>"""
    cssx = """body { font-family: 'Liberation Sans', Arial, sans-serif; font-size: 9pt; color: #222; }
.pg { position: relative; height: 296mm; padding: 12mm 15mm 0 20mm; } .hd { display: flex; justify-content: space-between; line-height: 1.4; font-size: 8pt; }
.logo { font-size: 16pt; font-weight: bold; color: #0b7d6e; } .addr { margin: 14mm 0 0 95mm; line-height: 1.4; }
h1 { font-size: 14pt; margin: 12mm 0 3mm; } .info td { padding: 0.5mm 8mm 0.5mm 0; font-size: 8.5pt; } .info td:nth-child(odd) { color: #666; }
.it { width: 100%; border-collapse: collapse; margin-top: 6mm; } .it th { text-align: left; border-bottom: 1px solid #222; padding: 1.3mm 1mm; }
.it td { padding: 1.5mm 1mm; border-bottom: 0.3px solid #ddd; } .tt { margin-left: auto; width: 70mm; margin-top: 2mm; } .tt td { padding: 1.5mm 1mm; }
tr.b td { font-weight: bold; font-size: 10.5pt; border-top: 1px solid #222; border-bottom: 3px double #222; } .sm { font-size: 8pt; margin-top: 6mm; }
.qrb { position: absolute; left: 0; right: 0; bottom: 0; height: 105mm; border-top: 0.4px dashed #000; display: flex; font-size: 8pt; line-height: 1.3; }
.rcpt { width: 62mm; padding: 5mm; border-right: 0.4px dashed #000; position: relative; } .zt { width: 56mm; padding: 5mm; } .zr { padding: 5mm 5mm 5mm 0; flex: 1; }
.qt { font-size: 11pt; font-weight: bold; margin-bottom: 3mm; } .ql { font-size: 6pt; font-weight: bold; margin-top: 2.5mm; }
.qrc { position: relative; width: 46mm; height: 46mm; margin: 3mm 0; } .qrc div { position: absolute; width: 1.6mm; height: 1.6mm; background: #000; }
.qrc .cross { left: 20mm; top: 20mm; width: 6mm; height: 6mm; background: #000; color: #fff; font-weight: bold; text-align: center; line-height: 6mm; border: 0.6mm solid #fff; }
.amt { display: flex; gap: 8mm; } .ann { position: absolute; right: 5mm; bottom: 20mm; font-size: 6pt; font-weight: bold; }"""
    t = truth(num, issue, tot, s, b, "CHF", due=due, iban=s.iban, lines=len(lines), sub=False, vat=False)
    return "chromium", lambda out, tmp: render_chromium(page(cssx, body, f"Rechnung {num}"), out, tmp), t, own_of(b), \
        {"language": "de", "country": "CH", "currency": "CHF"}


# ---------------------------------------------------------------------------------------------

STYLES = {
    "quickbooks": s_quickbooks, "xero": s_xero, "freshbooks": s_freshbooks, "zoho": s_zoho, "wave": s_wave,
    "sage": s_sage, "sevdesk": s_sevdesk, "billomat": s_billomat,
    "sumup": s_sumup, "zervant": s_zervant, "holded": s_holded, "bexio": s_bexio,
}


def main():
    generate_corpus(STYLES, 190, "saas", __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
