#!/usr/bin/env python3
"""Blind Benelux corpus: invoices as the invoicing and accounting software of Belgian and Dutch
small businesses prints them, and as their owners make them in Word or Excel.

Written blind (without reading the reader or its tests). Every party, number and text is
invented; each style imitates the look, wording and habits of a product's printed invoice from
general knowledge of it, no template, logo or code of the product is used. Belgian VAT numbers
and structured communications (mod 97), Dutch VAT numbers (11-test for companies, the mod-97
btw-id of sole traders), betalingskenmerken (weighted mod 11) and IBANs (mod 97) carry valid
check digits.

Usage: benelux.py OUT [--count N] [--seed S] [--styles a,b]
Writes OUT/<renderer>/<style>-NN.pdf, OUT/manifest.json (producer = style) and
OUT/by-renderer/manifest.json (producer = PDF writer). Even instances are the tuning half, odd
ones held out; instance k of a style is the same whatever --count is.
"""

import argparse
import hashlib
import html
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vendors import D, q, digs, ogm, kenmerk, mk_truth, render_chromium, FONT_DIR  # noqa: E402

LIB_DIR = "/usr/share/fonts/truetype/liberation"

# ---------------------------------------------------------------------------------------------
# Identifiers with check digits.


def be_number(rng):
    """A Belgian enterprise number (10 digits, the last two mod 97)."""
    first = rng.choice("0000000001")
    body = first + digs(rng, 7, str(rng.randint(2, 9)) if first == "0" else "0")
    return body + "%02d" % (97 - int(body) % 97)


def be_dotted(n):
    return f"{n[:4]}.{n[4:7]}.{n[7:]}"


def nl_vat_company(rng):
    while True:
        b = digs(rng, 8, str(rng.randint(1, 9)))
        c = sum(int(d) * w for d, w in zip(b, range(9, 1, -1))) % 11
        if c < 10:
            return "NL" + b + str(c) + "B0" + rng.choice("1112")


def _alnum_mod97(s):
    return int("".join(str(ord(ch) - 55) if ch.isalpha() else ch for ch in s)) % 97


def nl_vat_sole(rng):
    """The btw-identificatienummer of a Dutch sole trader (since 2020): mod 97 over NL…B…."""
    while True:
        b = digs(rng, 9, str(rng.randint(0, 9)))
        for s in range(10, 99):
            v = f"NL{b}B{s:02d}"
            if _alnum_mod97(v) == 1:
                return v


BE_BANKS = [("001", "GEBABEBB", "BNP Paribas Fortis"), ("068", "GKCCBEBB", "Belfius"), ("363", "BBRUBEBB", "ING België"),
            ("734", "KREDBEBB", "KBC"), ("735", "KREDBEBB", "KBC"), ("973", "ARSPBE22", "Argenta"), ("751", "AXABBE22", "Crelan"),
            ("143", "GEBABEBB", "BNP Paribas Fortis"), ("310", "BBRUBEBB", "ING België"), ("523", "TRIOBEBB", "Triodos")]
NL_BANKS = [("INGB", "INGBNL2A", "ING"), ("RABO", "RABONL2U", "Rabobank"), ("ABNA", "ABNANL2A", "ABN AMRO"),
            ("TRIO", "TRIONL2U", "Triodos Bank"), ("BUNQ", "BUNQNL2A", "bunq"), ("KNAB", "KNABNL2H", "Knab"), ("SNSB", "SNSBNL2A", "SNS"),
            ("ASNB", "ASNBNL21", "ASN Bank")]


def iban_of(cc, bban):
    return cc + "%02d" % (98 - _alnum_mod97(bban + cc + "00")) + bban


def bank_account(rng, cc):
    if cc == "BE":
        code, bic, bank = rng.choice(BE_BANKS)
        b = code + digs(rng, 7)
        return iban_of("BE", b + "%02d" % (int(b) % 97 or 97)), bic, bank
    code, bic, bank = rng.choice(NL_BANKS)
    return iban_of("NL", code + digs(rng, 10, "0" if code == "INGB" else str(rng.randint(1, 9)))), bic, bank


def iban_sp(i):
    return " ".join(i[k:k + 4] for k in range(0, len(i), 4))


def ogm_plain(rng):
    """A structured communication as digits only (the check is the same)."""
    return ogm(rng).strip("+").replace("/", "")


def ogm_fmt(digits, style="+"):
    s = digits
    core = f"{s[:3]}/{s[3:7]}/{s[7:]}"
    return {"+": f"+++{core}+++", "*": f"***{core}***", "sp": f"+++ {core} +++"}[style]


def ogm_for_invoice(number):
    """A structured communication built from the invoice number's digits, as Belgian tools do."""
    b = "".join(ch for ch in number if ch.isdigit())[-10:].rjust(10, "0")
    c = int(b) % 97 or 97
    return b + "%02d" % c


def kvk(rng):
    return digs(rng, 8, str(rng.randint(1, 9)))


# ---------------------------------------------------------------------------------------------
# Money, numbers and dates as printed.

MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
}


class F:
    """Per-document notation: grouping, euro sign, dates, percentages."""

    def __init__(self, lang, grp=".", dec=",", cur="pre", sym="€", sp=" ", dstyle="dash", pct="%", neg="-"):
        self.lang, self.grp, self.dec, self.cur, self.sym, self.sp = lang, grp, dec, cur, sym, sp
        self.dstyle, self.pct_style, self.neg = dstyle, pct, neg

    def n(self, x, grp=True):
        x = q(x)
        ip, fp = f"{abs(x):,.2f}".split(".")
        ip = ip.replace(",", self.grp if grp else "")
        return ("-" if x < 0 else "") + ip + self.dec + fp

    def m(self, x, cur=None):
        cur = cur or self.cur
        x = q(x)
        s = self.n(abs(x))
        if cur == "pre":
            r = self.sym + self.sp + s
        elif cur == "post":
            r = s + self.sp + self.sym
        elif cur == "code":
            r = "EUR " + s
        elif cur == "code_post":
            r = s + " EUR"
        else:
            r = s
        if x < 0:
            if self.neg == "in" and cur == "pre":
                r = self.sym + self.sp + "-" + s
            else:
                r = "-" + r
        return r

    def d(self, d, style=None):
        st = style or self.dstyle
        mon = MONTHS[self.lang][d.month - 1]
        if st == "long":
            if self.lang == "de":
                return f"{d.day}. {mon} {d.year}"
            if self.lang == "en":
                return f"{d.day} {mon} {d.year}"
            return f"{'1er' if d.day == 1 and self.lang == 'fr' else d.day} {mon} {d.year}"
        if st == "short":
            return f"{d.day} {mon[:3]}{'' if len(mon) <= 4 else '.' if self.lang == 'fr' else ''} {d.year}"
        if st == "dash":
            return d.strftime("%d-%m-%Y")
        if st == "dash1":
            return f"{d.day}-{d.month}-{d.year}"
        if st == "slash":
            return d.strftime("%d/%m/%Y")
        if st == "dot":
            return d.strftime("%d.%m.%Y")
        if st == "iso":
            return d.isoformat()
        raise ValueError(st)

    def p(self, r, style=None):
        st = style or self.pct_style
        r = D(str(r))
        s = f"{r.normalize():f}" if st != "%2" else f"{r:.2f}"
        s = s.replace(".", self.dec)
        if st == " %":
            return s + "\u00a0%"
        return s + "%"

    def qty(self, x, dec=None):
        x = D(str(x))
        if dec is not None:
            return f"{x:.{dec}f}".replace(".", self.dec)
        if x == x.to_integral():
            return str(int(x))
        return f"{x.normalize():f}".replace(".", self.dec)


# ---------------------------------------------------------------------------------------------
# Parties (all invented).

BE_PLACES_NL = [("9000", "Gent"), ("2000", "Antwerpen"), ("3000", "Leuven"), ("8000", "Brugge"), ("2800", "Mechelen"),
                ("3500", "Hasselt"), ("8500", "Kortrijk"), ("9300", "Aalst"), ("2300", "Turnhout"), ("8400", "Oostende"),
                ("9100", "Sint-Niklaas"), ("3800", "Sint-Truiden"), ("2440", "Geel"), ("9800", "Deinze")]
BE_PLACES_FR = [("4000", "Liège"), ("5000", "Namur"), ("7000", "Mons"), ("6000", "Charleroi"), ("1300", "Wavre"),
                ("1400", "Nivelles"), ("7500", "Tournai"), ("6700", "Arlon"), ("4800", "Verviers"), ("1348", "Louvain-la-Neuve")]
BE_PLACES_BXL = [("1000", "Brussel"), ("1050", "Elsene"), ("1060", "Sint-Gillis"), ("1030", "Schaarbeek"), ("1080", "Molenbeek"),
                 ("1040", "Etterbeek"), ("1190", "Vorst"), ("1200", "Sint-Lambrechts-Woluwe")]
BXL_FR = {"Brussel": "Bruxelles", "Elsene": "Ixelles", "Sint-Gillis": "Saint-Gilles", "Schaarbeek": "Schaerbeek",
          "Molenbeek": "Molenbeek-Saint-Jean", "Etterbeek": "Etterbeek", "Vorst": "Forest", "Sint-Lambrechts-Woluwe": "Woluwe-Saint-Lambert"}
BE_PLACES_DE = [("4700", "Eupen"), ("4780", "Sankt Vith"), ("4720", "Kelmis"), ("4730", "Raeren"), ("4760", "Büllingen")]
NL_PLACES = [("3511", "Utrecht"), ("1017", "Amsterdam"), ("5611", "Eindhoven"), ("9711", "Groningen"), ("2511", "Den Haag"),
             ("6811", "Arnhem"), ("3011", "Rotterdam"), ("4811", "Breda"), ("8011", "Zwolle"), ("5211", "'s-Hertogenbosch"),
             ("2311", "Leiden"), ("6211", "Maastricht"), ("7511", "Enschede"), ("1811", "Alkmaar"), ("3811", "Amersfoort")]
STREETS_NL_BE = ["Kerkstraat", "Stationsstraat", "Nieuwstraat", "Molenstraat", "Kortrijksesteenweg", "Dorpsstraat",
                 "Industrieweg", "Brusselsesteenweg", "Ambachtenlaan", "Leopoldlaan", "Veldstraat", "Zandstraat", "Hoogstraat",
                 "Koningin Astridlaan", "Nijverheidsstraat", "Gentsesteenweg", "Langestraat", "Meensesteenweg"]
STREETS_FR = ["Rue de la Station", "Rue Haute", "Chaussée de Bruxelles", "Rue du Moulin", "Avenue des Alliés", "Rue de l'Église",
              "Boulevard de la Sauvenière", "Rue Saint-Gilles", "Chaussée de Louvain", "Rue des Champs", "Place du Marché", "Rue Royale"]
STREETS_BXL = [("Wetstraat", "Rue de la Loi"), ("Louizalaan", "Avenue Louise"), ("Nieuwstraat", "Rue Neuve"),
               ("Kunstlaan", "Avenue des Arts"), ("Vlaamsesteenweg", "Rue de Flandre"), ("Hoogstraat", "Rue Haute"),
               ("Waversesteenweg", "Chaussée de Wavre"), ("Jourdanplein", "Place Jourdan")]
STREETS_DE = ["Aachener Straße", "Bergstraße", "Klötzerbahn", "Hütte", "Gospertstraße", "Hauptstraße", "Malmedyer Straße", "Herbesthaler Straße"]
STREETS_NL = ["Oudegracht", "Keizersgracht", "Stationsweg", "Hoofdstraat", "Industrieweg", "Marktstraat", "Kerkstraat", "Dorpsstraat",
              "Burgemeester Knappertlaan", "Nieuwe Binnenweg", "Havenstraat", "Zuidsingel", "Vestdijk", "Ambachtsweg", "Europalaan"]

FIRST = ["Sofie", "Pieter", "Julie", "Thomas", "Anna", "Lukas", "Camille", "Hugo", "Eva", "Daan", "Lotte", "Jonas", "Bram",
         "Marie", "Wout", "Elise", "Lars", "Nina", "Sander", "Charlotte", "Ruben", "Fien", "Jeroen", "Emma", "Mathieu", "Manon"]
LAST_BE = ["Peeters", "Janssens", "Maes", "Claes", "Wouters", "Goossens", "De Smet", "Van Damme", "Willems", "Hermans",
           "Verbeke", "Dubois", "Lambert", "Dupont", "Lemaire", "Vermeulen", "Mertens", "Jacobs", "Desmet", "Van de Velde"]
LAST_NL = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
           "Peters", "Hendriks", "van Dijk", "Dekker", "van Leeuwen", "Brouwer", "de Wit", "Dijkstra", "Kok"]
LAST_DE = ["Mertens", "Kessler", "Schmitz", "Heinen", "Lentz", "Cremer", "Reuter", "Margraff"]


def surname(who):
    """The surname as Dutch writes it without the first name ("de Vries" -> "De Vries")."""
    last = " ".join(who.split()[1:])
    return last[0].upper() + last[1:]


def person(rng, cc="BE", lang="nl"):
    last = rng.choice(LAST_NL if cc == "NL" else LAST_DE if lang == "de" else LAST_BE)
    return rng.choice(FIRST) + " " + last


class Party:
    def __init__(self, rng, cc, name, lang="nl", kind="company", vat=True, vat_no=None, region=None):
        self.cc, self.name, self.lang, self.kind = cc, name, lang, kind
        self.region = region or ("nl" if cc == "NL" else {"nl": "vl", "fr": "wal", "de": "ost", "en": "vl"}[lang])
        if cc == "NL":
            self.pc4, self.city = rng.choice(NL_PLACES)
            self.pc = f"{self.pc4} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
            self.street = f"{rng.choice(STREETS_NL)} {rng.randint(1, 240)}{rng.choice(['', '', '', '-A', 'a', ' B'])}"
        elif self.region == "bxl":
            self.pc, self.city = rng.choice(BE_PLACES_BXL)
            st = rng.choice(STREETS_BXL)
            no = rng.randint(1, 220)
            self.street = f"{st[0]} {no}"
            self.street_fr = f"{st[1]} {no}"
            self.city_fr = BXL_FR[self.city]
        elif self.region == "wal":
            self.pc, self.city = rng.choice(BE_PLACES_FR)
            self.street = f"{rng.choice(STREETS_FR)} {rng.randint(1, 180)}" + rng.choice(["", "", "", f" boîte {rng.randint(1, 12)}"])
        elif self.region == "ost":
            self.pc, self.city = rng.choice(BE_PLACES_DE)
            self.street = f"{rng.choice(STREETS_DE)} {rng.randint(1, 120)}"
        else:
            self.pc, self.city = rng.choice(BE_PLACES_NL)
            self.street = f"{rng.choice(STREETS_NL_BE)} {rng.randint(1, 260)}" + rng.choice(["", "", "", "", f" bus {rng.randint(1, 12)}"])
        if cc == "BE":
            self.number = be_number(rng)
            self.vat = ("BE" + self.number) if vat else None
            self.kvk = None
        else:
            self.number = None
            self.kvk = kvk(rng)
            self.vat = (nl_vat_sole(rng) if kind == "sole" else nl_vat_company(rng)) if vat else None
        if vat_no:
            self.vat = vat_no
        self.iban, self.bic, self.bank = bank_account(rng, cc)
        import unicodedata
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        slug = "".join(ch for ch in plain.lower().split(" bv")[0].split(" b.v")[0].split(" srl")[0].split(" nv")[0] if ch.isalnum())[:18] or "info"
        self.web = f"www.{slug}.{'be' if cc == 'BE' else 'nl'}"
        self.email = f"{rng.choice(['info', 'facturatie', 'boekhouding', 'hallo', 'admin'] if lang != 'fr' else ['info', 'facturation', 'compta', 'contact'])}@{slug}.{'be' if cc == 'BE' else 'nl'}"
        if cc == "BE":
            self.phone = rng.choice(["+32 9 ", "+32 3 ", "+32 2 ", "+32 16 ", "+32 4 ", "+32 11 ", "+32 50 "]) + f"{rng.randint(200, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        else:
            self.phone = rng.choice(["+31 30 ", "+31 20 ", "+31 40 ", "+31 10 ", "+31 6 "]) + f"{digs(rng, 4)} {digs(rng, 4)}"
        self.contact = person(rng, cc, lang)
        self.court = {"vl": f"RPR {rng.choice(['Gent, afdeling Gent', 'Antwerpen, afdeling Antwerpen', 'Gent, afdeling Brugge', 'Antwerpen, afdeling Mechelen', 'Leuven'])}",
                      "wal": f"RPM {rng.choice(['Liège, division Liège', 'Liège, division Namur', 'Hainaut, division Mons', 'Brabant wallon'])}",
                      "bxl": "RPR Brussel / RPM Bruxelles", "ost": "HRJP Eupen", "nl": ""}[self.region]

    def addr(self, lang=None, country=False):
        lang = lang or self.lang
        st, city = self.street, self.city
        if self.region == "bxl" and lang == "fr":
            st, city = self.street_fr, self.city_fr
        ls = [st, f"{self.pc} {city}"]
        if country:
            ls.append({"nl": {"BE": "België", "NL": "Nederland"}, "fr": {"BE": "Belgique", "NL": "Pays-Bas"},
                       "en": {"BE": "Belgium", "NL": "The Netherlands"}, "de": {"BE": "Belgien", "NL": "Niederlande"}}[lang][self.cc])
        return ls

    def vat_str(self, style=None):
        """The VAT number the way Benelux software prints it."""
        v = self.vat
        if not v:
            return ""
        if v.startswith("BE"):
            n = v[2:]
            return {0: v, 1: "BE " + be_dotted(n), 2: "BE" + be_dotted(n), 3: "BE " + n, 4: "BE-" + be_dotted(n)}[style if style is not None else 1]
        if style == 2:
            return f"{v[:2]}{v[2:6]}.{v[6:8]}.{v[8:11]}.{v[11:]}"
        if style == 3:
            return f"{v[:2]} {v[2:11]} {v[11:]}"
        return v


BUYERS_NL_BE = ["Bakkerij Verhoeven BV", "Studio Lumen BV", "Van Acker Technics BV", "Brasserie Het Anker BV", "Dewaele Architecten BV",
                "Groendienst Peeters BV", "Boekhandel De Uil BV", "Pixelwerf BV", "Fietsatelier Claes BV", "Maes & Wouters Advocaten BV",
                "Hoeve Ter Linde BV", "Tandartsenpraktijk Het Zuiden BV", "Garage Vermeersch NV", "Kapsalon Lies BV",
                "Drukkerij Van Hove NV", "Feestzaal De Linde BV", "Interieur Mertens BV", "Apotheek Goossens BV"]
BUYERS_FR_BE = ["Atelier Dumont SRL", "Comptoir Lambert SRL", "Kinésithérapie Renard SRL", "Imprimerie Delvaux SA",
                "Boucherie Lejeune SRL", "Cabinet Dentaire Collard SRL", "Garage du Pont SA", "Librairie Papyrus SRL",
                "Brasserie La Meuse SRL", "Menuiserie Thiry SRL", "Fleuriste Les Glycines SRL", "Bureau d'études Hainaut SRL"]
BUYERS_DE_BE = ["Schreinerei Mertens GmbH", "Autohaus Kessler AG", "Bäckerei Heinen GmbH", "Elektro Schmitz GmbH", "Buchhandlung Lentz GmbH"]
BUYERS_NL = ["Tandartspraktijk Zuid B.V.", "Koffiebranderij De Boon B.V.", "Van der Meer Installaties B.V.", "Bureau Noordlicht B.V.",
             "Bloemist Het Klaverblad B.V.", "Kraan Logistiek B.V.", "Webstudio Dijkstra B.V.", "De Groene Zaak B.V.",
             "Timmerbedrijf Bakker V.O.F.", "Restaurant De Waag B.V.", "Fysiotherapie Centrum Oost B.V.", "Hoveniersbedrijf Groen B.V.",
             "Drukkerij Het Noorden B.V.", "Autobedrijf Mulder B.V.", "Makelaardij Visser B.V."]


def make_buyer(rng, cc, lang="nl", region=None):
    if cc == "NL":
        name = rng.choice(BUYERS_NL)
    else:
        name = rng.choice({"nl": BUYERS_NL_BE, "fr": BUYERS_FR_BE, "de": BUYERS_DE_BE, "en": BUYERS_NL_BE}[lang])
    return Party(rng, cc, name, lang, region=region)


def own_of(b):
    return {"names": [b.name], "vat_numbers": [b.vat] if b.vat else [], "ibans": []}


SELLERS = {
    ("BE", "it"): ["Codewerf BV", "Bytebrug BV", "Datalys BV", "Webatelier Leie BV", "Netvlecht BV", "Appsolutely BV"],
    ("BE", "it", "fr"): ["Nexio SRL", "Cloudnest SRL", "Logiciel Meuse SRL", "Webfactory Namur SRL"],
    ("BE", "design"): ["Studio Kapok BV", "Grafisch Atelier Roos BV", "Beeldmakers BV", "Ontwerpstudio Blauw BV"],
    ("BE", "design", "fr"): ["Atelier Papier SRL", "Studio Graphique Lumière SRL", "Agence Pixel & Plume SRL"],
    ("BE", "food"): ["Drankenhandel Verbeke BV", "Koffiebranderij Moka BV", "Groothandel De Korf NV", "Brouwerij De Kroon BV"],
    ("BE", "food", "fr"): ["Boissons Lambotte SRL", "Traiteur Delhaye SRL", "Torréfaction Ardennaise SRL"],
    ("BE", "services"): ["Schoonmaakbedrijf Proper BV", "Facility Vermeulen NV", "Poetsdienst Blinck BV"],
    ("BE", "services", "fr"): ["Nettoyage Éclat SRL", "Net & Clair SRL", "Services Lemaire SA"],
    ("BE", "office"): ["Boekhoudkantoor Hermans BV", "Accountancy Verstraete BV", "Fiscaal Kantoor De Cijfers BV"],
    ("BE", "office", "fr"): ["Fiduciaire Collignon SRL", "Bureau comptable Renard SRL", "Fiduciaire du Condroz SRL"],
    ("NL", "it"): ["Pixelhaven B.V.", "Codekraft B.V.", "Dijkstra Digital B.V.", "Bitbaas B.V.", "Wolkwerk B.V."],
    ("NL", "design"): ["Studio Vormvast B.V.", "Ontwerpbureau Lijn & Vlak", "Reclamebureau De Vonk B.V."],
    ("NL", "food"): ["Koffiebranderij Het Zwarte Goud B.V.", "Groothandel Van Leeuwen B.V.", "Bakkerij De Korenbloem V.O.F."],
    ("NL", "services"): ["Schoonmaakbedrijf Blinkend B.V.", "Glazenwasserij Helder B.V.", "Facilitair Bedrijf Noord B.V."],
    ("NL", "office"): ["Administratiekantoor De Balans B.V.", "Accountantskantoor Van Dam B.V.", "Belastingadvies Meijer B.V."],
}


def make_seller(rng, cc, trade, lang="nl", region=None):
    key = (cc, trade, "fr") if lang == "fr" and (cc, trade, "fr") in SELLERS else (cc, trade)
    return Party(rng, cc, rng.choice(SELLERS[key]), lang, region=region)


# ---------------------------------------------------------------------------------------------
# What is sold. Rate classes: "s" standard (21), "r" reduced (BE 6, NL 9), "m" BE middle 12, "z" 0.

CAT = {
    "it": [("Webontwikkeling", "Développement web", "Web development", "uur", "heure", "hour", 65, 105, "s"),
           ("Consultancy", "Consultance", "Consultancy", "uur", "heure", "hour", 80, 125, "s"),
           ("Hosting en onderhoud (maand)", "Hébergement et maintenance (mois)", "Hosting and maintenance (month)", "st", "pc", "pc", 25, 90, "s"),
           ("Licentie boekingsmodule", "Licence module de réservation", "Booking module licence", "st", "pc", "pc", 120, 480, "s"),
           ("Opleiding medewerkers (halve dag)", "Formation du personnel (demi-journée)", "Staff training (half day)", "st", "pc", "pc", 350, 650, "s"),
           ("Domeinnaam .be (1 jaar)", "Nom de domaine .be (1 an)", "Domain name .be (1 year)", "st", "pc", "pc", 9, 18, "s"),
           ("SSL-certificaat", "Certificat SSL", "SSL certificate", "st", "pc", "pc", 39, 89, "s"),
           ("Support tickets", "Tickets de support", "Support tickets", "uur", "heure", "hour", 60, 85, "s"),
           ("Analyse en functioneel ontwerp", "Analyse et design fonctionnel", "Analysis and functional design", "dag", "jour", "day", 550, 900, "s")],
    "design": [("Logo-ontwerp", "Création de logo", "Logo design", "st", "pc", "pc", 450, 1200, "s"),
               ("Huisstijlhandboek", "Charte graphique", "Brand guidelines", "st", "pc", "pc", 600, 1500, "s"),
               ("Fotoshoot op locatie", "Shooting photo sur site", "On-location photo shoot", "uur", "heure", "hour", 75, 130, "s"),
               ("Drukwerk flyers A5 (1000 st.)", "Impression flyers A5 (1000 ex.)", "Printing A5 flyers (1000 pcs)", "st", "pc", "pc", 90, 240, "s"),
               ("Opmaak brochure", "Mise en page brochure", "Brochure layout", "pagina", "page", "page", 40, 85, "s"),
               ("Boek 'Typografie in de praktijk'", "Livre « La typographie en pratique »", "Book 'Typography in practice'", "st", "pc", "pc", 25, 49, "r"),
               ("Reiskosten", "Frais de déplacement", "Travel expenses", "km", "km", "km", D("0.43"), D("0.43"), "s")],
    "food": [("Koffiebonen espresso 1 kg", "Café en grains espresso 1 kg", "Espresso beans 1 kg", "kg", "kg", "kg", 16, 29, "r"),
             ("Thee assortiment (doos 100)", "Thé assortiment (boîte 100)", "Tea assortment (box 100)", "doos", "boîte", "box", 12, 24, "r"),
             ("Koekjes individueel verpakt (200)", "Biscuits emballés (200)", "Wrapped biscuits (200)", "doos", "boîte", "box", 18, 32, "r"),
             ("Melk halfvol 1 l (krat 12)", "Lait demi-écrémé 1 l (casier 12)", "Semi-skimmed milk 1 l (crate 12)", "krat", "casier", "crate", 11, 16, "r"),
             ("Bier blond 33 cl (bak 24)", "Bière blonde 33 cl (bac 24)", "Blond beer 33 cl (crate 24)", "bak", "bac", "crate", 24, 38, "s"),
             ("Wijn rood, fles 75 cl", "Vin rouge, bouteille 75 cl", "Red wine, bottle 75 cl", "fles", "bout.", "btl", 7, 19, "s"),
             ("Koffiemachine huur (maand)", "Location machine à café (mois)", "Coffee machine rental (month)", "st", "pc", "pc", 35, 79, "s"),
             ("Leeggoed bak", "Vidanges bac", "Crate deposit", "st", "pc", "pc", D("3.90"), D("3.90"), "z"),
             ("Broodjeslunch (per persoon)", "Lunch sandwiches (par personne)", "Sandwich lunch (per person)", "pers", "pers", "pers", 9, 16, "m")],
    "services": [("Schoonmaak kantoren", "Nettoyage bureaux", "Office cleaning", "uur", "heure", "hour", 31, 42, "s"),
                 ("Ramen wassen", "Lavage de vitres", "Window cleaning", "st", "pc", "pc", 60, 180, "s"),
                 ("Dieptereiniging tapijt", "Nettoyage en profondeur moquette", "Deep carpet cleaning", "m²", "m²", "m²", D("2.5"), D("4.5"), "s"),
                 ("Verbruiksmateriaal sanitair", "Consommables sanitaires", "Sanitary consumables", "st", "pc", "pc", 20, 90, "s"),
                 ("Ophaling restafval (container 240 l)", "Collecte déchets résiduels (conteneur 240 l)", "Waste collection (240 l bin)", "st", "pc", "pc", 9, 16, "s"),
                 ("Verplaatsingskosten", "Frais de déplacement", "Call-out charge", "st", "pc", "pc", 25, 45, "s")],
    "office": [("Opmaak jaarrekening", "Établissement des comptes annuels", "Annual accounts", "st", "pc", "pc", 650, 1900, "s"),
               ("Btw-aangifte (kwartaal)", "Déclaration TVA (trimestre)", "VAT return (quarter)", "st", "pc", "pc", 120, 260, "s"),
               ("Loonadministratie per werknemer", "Gestion salariale par travailleur", "Payroll per employee", "st", "pc", "pc", 28, 45, "s"),
               ("Fiscaal advies", "Conseil fiscal", "Tax advice", "uur", "heure", "hour", 85, 140, "s"),
               ("Verwerking aankoopfacturen", "Traitement factures d'achat", "Processing purchase invoices", "st", "pc", "pc", D("1.5"), D("3.5"), "s"),
               ("Aangifte vennootschapsbelasting", "Déclaration à l'impôt des sociétés", "Corporate tax return", "st", "pc", "pc", 350, 750, "s")],
}
RATE = {"BE": {"s": 21, "r": 6, "m": 12, "z": 0}, "NL": {"s": 21, "r": 9, "m": 9, "z": 0}}


class Item:
    def __init__(self, desc, qty, unit, rate, uom="", disc=0, code="", extra=None):
        self.desc, self.qty, self.unit, self.rate, self.uom = desc, D(str(qty)), D(str(unit)), D(str(rate)), uom
        self.disc = D(str(disc))
        self.code = code
        self.amount = q(self.qty * self.unit * (100 - self.disc) / 100)
        self.extra = extra or {}

    def vat(self):
        return q(self.amount * self.rate / 100)


def amt(rng, lo, hi):
    lo, hi = D(str(lo)), D(str(hi))
    if lo == hi:
        return lo
    x = D(str(rng.uniform(float(lo), float(hi))))
    if hi >= 100 and rng.random() < 0.6:
        return x.quantize(D("1"), ROUND_HALF_UP)
    return x.quantize(D("0.01"), ROUND_HALF_UP) if hi < 5 else (x * 2).quantize(D("1"), ROUND_HALF_UP) / 2


def pick_items(rng, cc, trade, lang, n, disc_p=0.0, codes=False, qty_dec=False):
    cat = CAT[trade]
    li = {"nl": 0, "fr": 1, "en": 2, "de": 2}[lang]
    out = []
    for row in rng.sample(cat, min(n, len(cat))):
        desc, uom, lo, hi, rc = row[li], row[3 + li], row[6], row[7], row[8]
        if uom in ("uur", "heure", "hour"):
            qty = rng.choice([1, 2, 3, 4, 6, 8, 12, D("1.5"), D("2.5"), D("7.5"), 16, 24])
        elif uom in ("woord", "mot", "word"):
            qty = rng.randint(300, 4800)
        elif uom == "km":
            qty = rng.randint(20, 260)
        elif uom == "m²" or (hi < 5 and rc != "z"):
            qty = rng.randint(20, 400)
        elif hi > 200:
            qty = rng.choice([1, 1, 1, 1, 2, 3])
        else:
            qty = rng.choice([1, 1, 1, 2, 3, 4, 5, 6, 10, 12])
        rate = RATE[cc][rc]
        disc = rng.choice([5, 10, 15, D("2.5")]) if rng.random() < disc_p else 0
        code = (rng.choice(["ART", "P", "D", ""]) + digs(rng, rng.choice([3, 4, 5]))) if codes else ""
        out.append(Item(desc, qty, amt(rng, lo, hi), rate, uom, disc, code))
    return out


def totals(items, per_line=False):
    """VAT per rate on the rate's base (or the sum of the VAT of each line, as some tools do)."""
    groups = {}
    for it in items:
        g = groups.setdefault(it.rate, [D(0), D(0)])
        g[0] += it.amount
        g[1] += it.vat()
    rows = []
    for r in sorted(groups, reverse=True):
        base, lv = groups[r]
        rows.append((r, q(base), q(lv) if per_line else q(base * r / 100)))
    sub = q(sum((b for _, b, _ in rows), D(0)))
    vat = q(sum((v for _, _, v in rows), D(0)))
    return dict(rows=rows, sub=sub, vat=vat, total=q(sub + vat))


def rand_issue(rng):
    d0 = date(2024, 1, 8)
    return d0 + timedelta(days=rng.randint(0, 800))


def end_of_month(d):
    nm = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nm - timedelta(days=1)


def inv_number(rng, issue, style):
    n = rng.randint(1, 480)
    y = issue.year
    return {
        "ydash4": f"{y}-{n:04d}", "ydash3": f"{y}-{n:03d}", "yslash": f"{y}/{n:04d}", "f": f"F{y}{n:04d}",
        "fdash": f"F-{y}-{n:04d}", "yy": f"{y % 100}{n:04d}", "plain": str(rng.randint(1000, 99999)), "vf": f"VF{y}{n:05d}",
        "tl": f"{y} / {n}", "ydot": f"{y}.{n:03d}", "inv": f"INV-{y}-{n:04d}", "fy": f"FA{y % 100}-{n:04d}",
        "num8": f"{y}{n:04d}", "b": f"{y}{rng.randint(1, 9)}{n:04d}",
    }[style]


def esc(s):
    return html.escape(str(s))


def css(s):
    """Text inside a CSS string (page margin boxes): no HTML escaping."""
    return str(s).replace("\\", "\\\\").replace('"', '\\"')


def h(s):
    return esc(s).replace("\n", "<br>")


def L(lang, **kw):
    return kw.get(lang) or kw.get("en") or kw.get("nl")


# ---------------------------------------------------------------------------------------------
# Renderers.

def render_weasy(doc, out, tmp):
    import logging
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    from weasyprint import HTML
    HTML(string=doc).write_pdf(out)


def render_soffice(name, data, out, tmp):
    src = os.path.join(tmp, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(src, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
        f.write(data)
    profile = "file://" + os.path.join(tmp, "lo-profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, src],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240)
    shutil.move(os.path.join(tmp, os.path.splitext(name)[0] + ".pdf"), out)


class Pen:
    """ReportLab canvas in millimetres from the top left."""

    FONTS = {"DejaVuSans": (FONT_DIR, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
             "DejaVuSansCondensed": (FONT_DIR, "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
             "DejaVuSerif": (FONT_DIR, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
             "LiberationSans": (LIB_DIR, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
             "LiberationSerif": (LIB_DIR, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
             "LiberationSansNarrow": (LIB_DIR, "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf")}

    def __init__(self, out, font="Helvetica", title="Factuur"):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
        self.pm = pdfmetrics
        if font in self.FONTS and font not in pdfmetrics.getRegisteredFontNames():
            d, reg, bold = self.FONTS[font]
            pdfmetrics.registerFont(TTFont(font, os.path.join(d, reg)))
            pdfmetrics.registerFont(TTFont(font + "-Bold", os.path.join(d, bold)))
        self.base = font
        self.bold = {"Helvetica": "Helvetica-Bold", "Times-Roman": "Times-Bold", "Courier": "Courier-Bold"}.get(font, font + "-Bold")
        self.mm = 72 / 25.4
        self.W, self.H = 210, 297
        self.c = canvas.Canvas(out, pagesize=(self.W * self.mm, self.H * self.mm))
        self.c.setTitle(title)
        self.c.setAuthor("")

    def f(self, b):
        return self.bold if b else self.base

    def sw(self, s, size, b=False):
        return self.pm.stringWidth(str(s), self.f(b), size) / self.mm

    def t(self, x, y, s, size=9, b=False, a="l", color=None):
        c = self.c
        c.setFont(self.f(b), size)
        c.setFillColor(color or "#1a1a1a")
        X, Y = x * self.mm, (self.H - y) * self.mm
        {"l": c.drawString, "r": c.drawRightString, "c": c.drawCentredString}[a](X, Y, str(s))
        c.setFillColor("#1a1a1a")

    def lines(self, x, y, ls, size=9, lh=None, b_first=False, a="l", color=None):
        lh = lh or size * 0.42
        for i, s in enumerate(ls):
            b = s.startswith("**") or (b_first and i == 0)
            self.t(x, y + i * lh, s.lstrip("*"), size, b, a, color)
        return y + len(ls) * lh

    def line(self, x1, y1, x2, y2, w=0.4, color="#888888"):
        self.c.setStrokeColor(color)
        self.c.setLineWidth(w)
        self.c.line(x1 * self.mm, (self.H - y1) * self.mm, x2 * self.mm, (self.H - y2) * self.mm)

    def rect(self, x, y, w, hh, fill=None, stroke="#666666", lw=0.5):
        c = self.c
        c.setLineWidth(lw)
        if stroke:
            c.setStrokeColor(stroke)
        if fill:
            c.setFillColor(fill)
        c.rect(x * self.mm, (self.H - y - hh) * self.mm, w * self.mm, hh * self.mm, stroke=1 if stroke else 0, fill=1 if fill else 0)
        c.setFillColor("#1a1a1a")

    def wrap(self, s, size, w, b=False):
        out = []
        for para in str(s).split("\n"):
            line = ""
            for wd in para.split(" "):
                tt = (line + " " + wd) if line else wd
                if self.sw(tt, size, b) <= w or not line:
                    line = tt
                else:
                    out.append(line)
                    line = wd
            out.append(line)
        return out

    def para(self, x, y, s, size, w, b=False, lh=None, color=None):
        lh = lh or size * 0.42
        for i, ln in enumerate(self.wrap(s, size, w, b)):
            self.t(x, y + i * lh, ln, size, b, color=color)
            y2 = y + (i + 1) * lh
        return y2

    def page(self):
        self.c.showPage()

    def save(self):
        self.c.save()


def fpdf_doc(fonts=("DejaVu",), core=None):
    """An fpdf2 document with DejaVu / Liberation embedded (or core fonts only)."""
    from fpdf import FPDF
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creator("")
    files = {"DejaVu": (FONT_DIR, "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), "DejaVuCond": (FONT_DIR, "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
             "DejaVuSerif": (FONT_DIR, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
             "Liberation": (LIB_DIR, "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")}
    if not core:
        for fam in fonts:
            d, reg, bold = files[fam]
            pdf.add_font(fam, "", os.path.join(d, reg))
            pdf.add_font(fam, "B", os.path.join(d, bold))
    return pdf


# ---------------------------------------------------------------------------------------------
# Shared pieces of the styles.

def truth(num, issue, tot, s, b, kind="invoice", due=None, amount_due=None, iban=None, lines=None, seller_vat=True,
          sub=True, vat=True, seller_name=None, buyer_name=None):
    return mk_truth(invoice_number=num, issue_date=issue, due_date=due, currency="EUR",
                    subtotal=tot["sub"] if sub else None, vat_amount=tot["vat"] if vat else None, total=tot["total"],
                    amount_due=amount_due, seller_name=seller_name or s.name, seller_vat=s.vat if seller_vat else None,
                    buyer_name=buyer_name or b.name, iban=iban, kind=kind, lines=lines)


def lang_for(rng, cc, weights=(6, 3, 1)):
    """The document language: Dutch, French (Belgium only) or English."""
    if cc == "NL":
        return rng.choices(["nl", "en"], (5, 1))[0]
    return rng.choices(["nl", "fr", "en"], weights)[0]


def trade_for(rng, exclude=()):
    return rng.choice([t for t in ("it", "design", "food", "services", "office") if t not in exclude])


def pay_terms(rng):
    return rng.choice([14, 30, 30, 30, 15, 21, 60])


# =============================================================================================
# 1. Exact Online: customer address in the window, "Factuur" then a row of labels over values,
#    article codes, amounts without a currency sign, totals with "EUR", a dense legal footer.

def s_exact(rng, k):
    cc = rng.choice(["NL", "NL", "BE"])
    lang = lang_for(rng, cc, (5, 2, 2))
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, "fr" if lang == "fr" else "nl")
    b = make_buyer(rng, cc, lang if lang != "en" else "nl")
    credit = rng.random() < 0.15
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 7), disc_p=0.2, codes=True)
    tot = totals(items)
    issue = rand_issue(rng)
    terms = pay_terms(rng)
    due = issue + timedelta(days=terms)
    num = str(rng.randint(20000, 26999)) if rng.random() < 0.6 else inv_number(rng, issue, "num8")
    f = F(lang, grp="." if lang != "en" else ",", dec="," if lang != "en" else ".", cur="none", dstyle="dash" if lang != "fr" else "slash")
    sg = -1 if credit else 1
    debnr = str(rng.randint(1000, 99999))
    ref = rng.choice(["", "", f"PO-{digs(rng, 5)}", f"Offerte {rng.randint(100, 999)}", s.contact.split()[0]])
    title = (L(lang, nl="Creditnota", fr="Note de crédit", en="Credit note") if credit else L(lang, nl="Factuur", fr="Facture", en="Invoice"))
    ogm_d = ogm_for_invoice(num) if cc == "BE" else None
    font = rng.choice(["LiberationSans", "Helvetica"])

    def make(out, tmp):
        p = Pen(out, font, title)
        p.t(18, 24, s.name, 15, True, color="#c8102e" if rng.random() < 0.5 else "#1f3864")
        p.lines(130, 16, [s.street, f"{s.pc} {s.city}", "", f"T {s.phone}", s.email, s.web], 7.5)
        p.t(18, 44, f"{s.name} · {s.street} · {s.pc} {s.city}", 6.5, color="#666666")
        bl = [b.name, L(lang, nl="T.a.v. de administratie", fr="À l'attention de la comptabilité", en="Attn. Accounts payable")] + b.addr()
        if b.vat:
            bl.append(f"{L(lang, nl='Btw-nummer', fr='N° TVA', en='VAT number')}: {b.vat_str(rng.choice([0, 1]))}")
        p.lines(18, 50, bl, 9)
        p.t(18, 92, title, 16, True)
        heads = [L(lang, nl="Factuurnummer", fr="Numéro de facture", en="Invoice number") if not credit else L(lang, nl="Creditnotanummer", fr="Numéro", en="Credit note number"),
                 L(lang, nl="Factuurdatum", fr="Date de facture", en="Invoice date"),
                 L(lang, nl="Vervaldatum", fr="Date d'échéance", en="Due date"), L(lang, nl="Debiteurnummer", fr="Numéro client", en="Customer number"),
                 L(lang, nl="Uw referentie", fr="Votre référence", en="Your reference")]
        vals = [num, f.d(issue), "" if credit else f.d(due), debnr, ref]
        xs = [18, 55, 88, 120, 155]
        for x, hd, v in zip(xs, heads, vals):
            p.t(x, 101, hd, 7.5, True)
            p.t(x, 106, v, 8.5)
        p.line(18, 109, 192, 109, 0.6, "#333333")
        cols = [(18, "l", L(lang, nl="Artikel", fr="Article", en="Item")), (40, "l", L(lang, nl="Omschrijving", fr="Description", en="Description")),
                (120, "r", L(lang, nl="Aantal", fr="Quantité", en="Quantity")), (142, "r", L(lang, nl="Prijs", fr="Prix", en="Price")),
                (155, "r", "%"), (180, "r", L(lang, nl="Bedrag", fr="Montant", en="Amount")), (192, "r", L(lang, nl="Btw", fr="TVA", en="VAT"))]
        y = 115
        for x, a, hd in cols:
            p.t(x, y, hd, 7.5, True, a)
        p.line(18, y + 1.5, 192, y + 1.5, 0.3)
        y += 6
        for it in items:
            dl = p.wrap(it.desc, 8.5, 72)
            vals = [it.code, dl[0], f.qty(it.qty, 2), f.n(it.unit), f.n(it.disc) if it.disc else "", f.n(sg * it.amount), f.p(it.rate)]
            for (x, a, _), v in zip(cols, vals):
                p.t(x, y, v, 8.5, False, a)
            for extra in dl[1:]:
                y += 3.8
                p.t(40, y, extra, 8.5)
            y += 5
        p.line(18, y - 2, 192, y - 2, 0.3)
        y += 4
        rows = [(L(lang, nl="Totaal excl. btw", fr="Total hors TVA", en="Total excl. VAT"), f.n(sg * tot["sub"]), False)]
        for r, base, v in tot["rows"]:
            rows.append((L(lang, nl=f"Btw {f.p(r)} over {f.n(sg * base)}", fr=f"TVA {f.p(r)} sur {f.n(sg * base)}", en=f"VAT {f.p(r)} on {f.n(sg * base)}"), f.n(sg * v), False))
        rows.append((L(lang, nl="Totaal incl. btw", fr="Total TVA comprise", en="Total incl. VAT"), f.n(sg * tot["total"]), True))
        for lab, v, bo in rows:
            p.t(112, y, lab, 8.5, bo)
            p.t(160, y, "EUR", 8.5, bo)
            p.t(192, y, v, 8.5, bo, "r")
            if bo:
                p.line(112, y - 4, 192, y - 4, 0.5, "#333333")
            y += 5
        y += 6
        if credit:
            txt = L(lang, nl="Dit bedrag wordt binnen 14 dagen teruggestort of verrekend met uw volgende factuur.",
                    fr="Ce montant sera remboursé dans les 14 jours ou déduit de votre prochaine facture.",
                    en="This amount will be refunded within 14 days or set off against your next invoice.")
        elif ogm_d:
            txt = L(lang, nl=f"Gelieve het totaalbedrag vóór {f.d(due)} over te maken op {iban_sp(s.iban)} (BIC {s.bic}) met de gestructureerde mededeling {ogm_fmt(ogm_d)}.",
                    fr=f"Veuillez virer le montant total avant le {f.d(due)} sur le compte {iban_sp(s.iban)} (BIC {s.bic}) avec la communication structurée {ogm_fmt(ogm_d)}.",
                    en=f"Please pay the total amount before {f.d(due)} to {iban_sp(s.iban)} (BIC {s.bic}) quoting the structured reference {ogm_fmt(ogm_d)}.")
        else:
            txt = L(lang, nl=f"Wij verzoeken u vriendelijk het totaalbedrag binnen {terms} dagen over te maken op {iban_sp(s.iban)} t.n.v. {s.name} onder vermelding van het factuurnummer.",
                    en=f"We kindly request you to transfer the total amount within {terms} days to {iban_sp(s.iban)} in the name of {s.name}, stating the invoice number.")
        p.para(18, y, txt, 8.5, 174)
        foot = [f"{s.name} | {s.street} | {s.pc} {s.city} | {'KvK ' + s.kvk if s.kvk else ('Ondernemingsnr. ' if lang != 'fr' else 'N° d’entreprise ') + be_dotted(s.number)}",
                f"{L(lang, nl='Btw-nr.', fr='TVA', en='VAT no.')} {s.vat_str(0)} | IBAN {iban_sp(s.iban)} | BIC {s.bic} | {s.bank}"]
        p.line(18, 276, 192, 276, 0.3)
        p.lines(105, 280, foot, 6.8, a="c", color="#555555")
        p.t(192, 290, L(lang, nl="Pagina 1 van 1", fr="Page 1 de 1", en="Page 1 of 1"), 6.5, a="r", color="#777777")
        p.save()

    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due, iban=s.iban, lines=len(items))
    return "reportlab", make, t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 2. Teamleader Focus: clean HTML page, buyer at the right, "Factuur 2026 / 17", discount column,
#    "Reeds betaald" / "Te betalen", the structured communication in a payment sentence.

def s_teamleader(rng, k):
    cc = "BE"
    lang = lang_for(rng, cc, (5, 3, 1))
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang if lang != "en" else "nl")
    credit = rng.random() < 0.12
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 6), disc_p=0.3)
    tot = totals(items)
    issue = rand_issue(rng)
    terms = pay_terms(rng)
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["tl", "tl", "ydash3", "fdash"]))
    if lang == "fr":
        f = F(lang, grp=rng.choice(["\u202f", "\u00a0", "."]), cur="post", sp="\u00a0", dstyle="slash")
    else:
        f = F(lang, grp="." if lang == "nl" else ",", dec="," if lang == "nl" else ".", cur="pre", sp=" " if lang == "nl" else "", dstyle="slash")
    sg = -1 if credit else 1
    paid = q(tot["total"] * rng.choice([D("0.3"), D("0.5")])) if (not credit and rng.random() < 0.25) else D(0)
    ogm_d = ogm_plain(rng)
    show_ogm = not credit
    accent = rng.choice(["#00b2b2", "#2a3b4c", "#e35b3f", "#3d5afe"])
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    title = T(nl="Creditnota", fr="Note de crédit", en="Credit note") if credit else T(nl="Factuur", fr="Facture", en="Invoice")
    rows = ""
    for it in items:
        rows += (f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty)}</td><td class=r>{f.m(it.unit)}</td>"
                 f"<td class=r>{f.p(it.disc) if it.disc else '-'}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(sg * it.amount)}</td></tr>")
    trs = f"<tr><td>{T(nl='Totaal excl. btw', fr='Total hors TVA', en='Total excl. VAT')}</td><td class=r>{f.m(sg * tot['sub'])}</td></tr>"
    for r, base, v in tot["rows"]:
        trs += f"<tr><td>{T(nl='Btw', fr='TVA', en='VAT')} {f.p(r)}</td><td class=r>{f.m(sg * v)}</td></tr>"
    trs += f"<tr class=big><td>{T(nl='Totaal', fr='Total', en='Total')}</td><td class=r>{f.m(sg * tot['total'])}</td></tr>"
    amount_due = None
    if paid:
        amount_due = tot["total"] - paid
        trs += f"<tr><td>{T(nl='Reeds betaald', fr='Déjà payé', en='Already paid')}</td><td class=r>{f.m(-paid)}</td></tr>"
        trs += f"<tr class=big><td>{T(nl='Te betalen', fr='À payer', en='Amount due')}</td><td class=r>{f.m(amount_due)}</td></tr>"
    elif not credit and rng.random() < 0.5:
        amount_due = tot["total"]
        trs += f"<tr class=big><td>{T(nl='Te betalen', fr='À payer', en='Amount due')}</td><td class=r>{f.m(amount_due)}</td></tr>"
    to_pay = amount_due if amount_due is not None else tot["total"]
    if credit:
        orig = inv_number(rng, issue - timedelta(days=rng.randint(5, 40)), "ydash3")
        pay = T(nl=f"Deze creditnota heeft betrekking op factuur {orig}. Het bedrag wordt verrekend of teruggestort.",
                fr=f"Cette note de crédit se rapporte à la facture {orig}. Le montant sera remboursé ou déduit.",
                en=f"This credit note relates to invoice {orig}. The amount will be refunded or set off.")
    else:
        pay = T(nl=f"Gelieve {f.m(to_pay)} te betalen vóór {f.d(due)} op rekeningnummer {iban_sp(s.iban)} met vermelding van {ogm_fmt(ogm_d)}.",
                fr=f"Merci de payer {f.m(to_pay)} avant le {f.d(due)} sur le compte {iban_sp(s.iban)} en mentionnant {ogm_fmt(ogm_d)}.",
                en=f"Please pay {f.m(to_pay)} before {f.d(due)} to account {iban_sp(s.iban)} quoting {ogm_fmt(ogm_d)}.")
    meta = [(T(nl="Factuurnummer", fr="Numéro de facture", en="Invoice number") if not credit else T(nl="Nummer", fr="Numéro", en="Number"), num),
            (T(nl="Factuurdatum", fr="Date de facture", en="Invoice date"), f.d(issue))]
    if not credit:
        meta.append((T(nl="Vervaldatum", fr="Date d'échéance", en="Due date"), f.d(due)))
    if rng.random() < 0.5:
        meta.append((T(nl="Uw referentie", fr="Votre référence", en="Your reference"), rng.choice(["PO " + digs(rng, 6), "Project " + rng.choice(["Website", "Rebranding", "Onderhoud", "Q" + str(rng.randint(1, 4))])])))
    metah = "".join(f"<div class=m><span>{esc(a)}</span><b>{esc(v)}</b></div>" for a, v in meta)
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)} {esc(num)}</title><style>
@page {{ size: A4; margin: 14mm 16mm 20mm 16mm; }}
body {{ font-family: 'Liberation Sans', Arial, sans-serif; font-size: 9pt; color: #333; }}
.top {{ display: flex; justify-content: space-between; align-items: flex-start; }}
.logo {{ font-size: 20pt; font-weight: bold; color: {accent}; letter-spacing: -0.5px; }}
.seller {{ font-size: 8pt; color: #666; line-height: 1.45; margin-top: 2mm; }}
.buyer {{ width: 75mm; margin-top: 14mm; line-height: 1.45; font-size: 9.5pt; }}
h1 {{ font-size: 22pt; font-weight: 300; margin: 10mm 0 3mm 0; color: #222; }}
.metas {{ display: flex; gap: 9mm; margin-bottom: 8mm; }}
.m span {{ display: block; color: #888; font-size: 7.5pt; text-transform: uppercase; letter-spacing: .5px; }}
.m b {{ font-size: 9.5pt; }}
table.l {{ width: 100%; border-collapse: collapse; }}
table.l th {{ text-align: left; font-size: 7.5pt; color: #888; text-transform: uppercase; border-bottom: 1.5px solid {accent}; padding: 2mm 1mm; }}
table.l td {{ padding: 2.2mm 1mm; border-bottom: 0.5px solid #e2e2e2; }}
.r {{ text-align: right !important; }}
table.t {{ margin-left: auto; width: 78mm; margin-top: 5mm; border-collapse: collapse; }}
table.t td {{ padding: 1.2mm 1mm; }}
tr.big td {{ font-weight: bold; font-size: 11pt; border-top: 1px solid #333; }}
.pay {{ margin-top: 10mm; padding: 3mm 4mm; background: #f4f7f7; border-left: 3px solid {accent}; }}
.foot {{ position: fixed; bottom: 0; left: 0; right: 0; text-align: center; font-size: 7pt; color: #888; border-top: 0.5px solid #ddd; padding-top: 2mm; }}
</style></head><body>
<div class=top><div><div class=logo>{esc(s.name)}</div><div class=seller>{h(chr(10).join(s.addr()))}<br>{esc(s.phone)} · {esc(s.email)}</div></div>
<div class=buyer><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr()))}<br>{T(nl='BTW', fr='TVA', en='VAT')} {esc(b.vat_str(rng.choice([1, 2, 0])))}</div></div>
<h1>{esc(title)}</h1><div class=metas>{metah}</div>
<table class=l><thead><tr><th style="width:46%">{T(nl='Omschrijving', fr='Description', en='Description')}</th><th class=r>{T(nl='Aantal', fr='Quantité', en='Quantity')}</th>
<th class=r>{T(nl='Eenheidsprijs', fr='Prix unitaire', en='Unit price')}</th><th class=r>{T(nl='Korting', fr='Remise', en='Discount')}</th>
<th class=r>{T(nl='Btw', fr='TVA', en='VAT')}</th><th class=r>{T(nl='Totaal', fr='Total', en='Total')}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=t>{trs}</table>
<div class=pay>{esc(pay)}</div>
<div class=foot>{esc(s.name)} · {esc(', '.join(s.addr()))} · {T(nl='BTW', fr='TVA', en='VAT')} {esc(s.vat_str(1))} · {esc(s.court)} · IBAN {esc(iban_sp(s.iban))} · BIC {esc(s.bic)}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due, amount_due=amount_due,
              iban=s.iban, lines=len(items))
    return "chromium", lambda out, tmp: render_chromium(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 3. Billit: "FACTUUR" at the right, Klant and Factuurgegevens boxes, a VAT table with
#    "Maatstaf van heffing", "Te betalen", a scan-to-pay square and a Peppol note (WeasyPrint).

def qr_html(rng, n=21, cell=1.2):
    cells = "".join(f"<div style='background:{'#000' if rng.random() < 0.5 or (x < 7 and y < 7) or (x > n - 8 and y < 7) or (x < 7 and y > n - 8) else '#fff'}'></div>"
                    for y in range(n) for x in range(n))
    return f"<div style='display:grid;grid-template-columns:repeat({n},{cell}mm);grid-auto-rows:{cell}mm;width:{n * cell}mm'>{cells}</div>"


def s_billit(rng, k):
    cc = "BE"
    lang = rng.choice(["nl", "nl", "fr"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    credit = rng.random() < 0.12
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 6))
    if rng.random() < 0.4 and not credit:
        extra = pick_items(rng, cc, "food", lang, 1)[0] if trade != "food" else None
        if extra and extra.rate != 0:
            items.append(extra)
    tot = totals(items)
    issue = rand_issue(rng)
    due = issue + timedelta(days=pay_terms(rng))
    num = inv_number(rng, issue, rng.choice(["ydash4", "f", "yy"]))
    if credit:
        num = "CN" + num.lstrip("F")
    f = F(lang, grp=".", cur="pre", sp=" ", dstyle="slash")
    sg = -1 if credit else 1
    ogm_d = ogm_plain(rng)
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    title = T(nl="CREDITNOTA", fr="NOTE DE CRÉDIT") if credit else T(nl="FACTUUR", fr="FACTURE")
    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty, 2)}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(sg * it.amount)}</td></tr>" for it in items)
    vrows = "".join(f"<tr><td>{f.p(r)}</td><td class=r>{f.m(sg * base)}</td><td class=r>{f.m(sg * v)}</td></tr>" for r, base, v in tot["rows"])
    due_lab = T(nl="Vervaldag", fr="Échéance")
    det = [(T(nl="Factuurnummer", fr="N° de facture") if not credit else T(nl="Creditnotanummer", fr="N° de note de crédit"), num),
           (T(nl="Factuurdatum", fr="Date de facture") if not credit else T(nl="Datum", fr="Date"), f.d(issue))]
    if not credit:
        det.append((due_lab, f.d(due)))
    det.append((T(nl="Klantnummer", fr="N° client"), str(rng.randint(100, 9999))))
    if rng.random() < 0.5:
        det.append((T(nl="Ordernummer", fr="N° de commande"), "BO" + digs(rng, 6)))
    if credit:
        det.append((T(nl="Betreft factuur", fr="Concerne facture"), inv_number(rng, issue - timedelta(days=20), "ydash4")))
    deth = "".join(f"<tr><td class=lab>{esc(a)}</td><td>{esc(v)}</td></tr>" for a, v in det)
    amount_due = None if credit else tot["total"]
    payblock = "" if credit else f"""<div class=pay><div>{qr_html(rng)}<div class=small>{T(nl='Scan &amp; betaal', fr='Scannez &amp; payez')}</div></div>
<div><b>{T(nl='Betalingsinformatie', fr='Informations de paiement')}</b><br>
{T(nl='Te betalen vóór', fr='À payer avant le')} {f.d(due)}<br>IBAN: {iban_sp(s.iban)}<br>BIC: {s.bic}<br>
{T(nl='Gestructureerde mededeling', fr='Communication structurée')}: {ogm_fmt(ogm_d)}</div></div>"""
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(num)}</title><style>
@page {{ size: A4; margin: 15mm 15mm 22mm 15mm;
  @bottom-center {{ content: "{css(s.name)} – {css(s.street)}, {css(s.pc)} {css(s.city)} – {T(nl='BTW', fr='TVA')} {css(s.vat_str(1))} – {css(s.email)}"; font-family: 'DejaVu Sans', sans-serif; font-size: 7pt; color: #777; }}
  @bottom-right {{ content: counter(page) "/" counter(pages); font-family: 'DejaVu Sans', sans-serif; font-size: 7pt; color: #777; }} }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 8.5pt; color: #222; }}
.hd {{ display: flex; justify-content: space-between; }}
.brand {{ font-size: 15pt; font-weight: bold; color: #0f4c81; }}
.title {{ font-size: 24pt; font-weight: bold; color: #0f4c81; text-align: right; }}
.boxes {{ display: flex; gap: 6mm; margin: 8mm 0 6mm 0; }}
.box {{ flex: 1; border: 0.6pt solid #bbb; border-radius: 2mm; padding: 3mm; }}
.box h3 {{ margin: 0 0 1.5mm 0; font-size: 8pt; color: #0f4c81; text-transform: uppercase; }}
td.lab {{ color: #666; padding-right: 4mm; }}
table.l {{ width: 100%; border-collapse: collapse; }}
table.l th {{ background: #0f4c81; color: #fff; padding: 1.6mm; text-align: left; font-weight: normal; }}
table.l td {{ padding: 1.6mm; border-bottom: 0.4pt solid #ddd; }}
.r {{ text-align: right !important; }}
.sum {{ display: flex; justify-content: space-between; margin-top: 5mm; }}
table.v {{ border-collapse: collapse; width: 85mm; }} table.v th {{ border-bottom: 0.6pt solid #0f4c81; font-weight: normal; color: #666; text-align: left; padding: 1mm; }}
table.v td {{ padding: 1mm; }}
table.t {{ border-collapse: collapse; width: 75mm; }} table.t td {{ padding: 1.2mm; }}
tr.due td {{ background: #0f4c81; color: #fff; font-weight: bold; font-size: 10pt; }}
.pay {{ display: flex; gap: 6mm; margin-top: 9mm; border-top: 0.6pt solid #bbb; padding-top: 4mm; }}
.small {{ font-size: 6.5pt; color: #666; text-align: center; }}
.peppol {{ margin-top: 6mm; font-size: 7pt; color: #777; }}
</style></head><body>
<div class=hd><div><div class=brand>{esc(s.name)}</div>{h(chr(10).join(s.addr()))}<br>{T(nl='BTW', fr='TVA')} {esc(s.vat_str(1))}<br>{esc(s.phone)}</div><div class=title>{title}</div></div>
<div class=boxes><div class=box><h3>{T(nl='Klant', fr='Client')}</h3><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr()))}<br>{T(nl='BTW', fr='TVA')} {esc(b.vat_str(rng.choice([0, 1, 2])))}</div>
<div class=box><h3>{T(nl='Factuurgegevens', fr='Détails de la facture')}</h3><table>{deth}</table></div></div>
<table class=l><thead><tr><th style="width:50%">{T(nl='Omschrijving', fr='Description')}</th><th class=r>{T(nl='Aantal', fr='Quantité')}</th><th class=r>{T(nl='Eenheidsprijs', fr='Prix unitaire')}</th><th class=r>{T(nl='Btw', fr='TVA')}</th><th class=r>{T(nl='Totaal excl. btw', fr='Total HTVA')}</th></tr></thead><tbody>{rows}</tbody></table>
<div class=sum><table class=v><thead><tr><th>{T(nl='Btw-tarief', fr='Taux TVA')}</th><th class=r>{T(nl='Maatstaf van heffing', fr='Base imposable')}</th><th class=r>{T(nl='Btw-bedrag', fr='Montant TVA')}</th></tr></thead><tbody>{vrows}</tbody></table>
<table class=t><tr><td>{T(nl='Totaal excl. btw', fr='Total HTVA')}</td><td class=r>{f.m(sg * tot['sub'])}</td></tr><tr><td>{T(nl='Totaal btw', fr='Total TVA')}</td><td class=r>{f.m(sg * tot['vat'])}</td></tr>
<tr><td><b>{T(nl='Totaal incl. btw', fr='Total TVAC')}</b></td><td class=r><b>{f.m(sg * tot['total'])}</b></td></tr>
{'' if credit else f"<tr class=due><td>{T(nl='Te betalen', fr='À payer')}</td><td class=r>{f.m(tot['total'])}</td></tr>"}</table></div>
{payblock}
<div class=peppol>{T(nl='Deze factuur werd elektronisch verstuurd via het Peppol-netwerk.', fr='Cette facture a été envoyée électroniquement via le réseau Peppol.')} {esc(s.court)}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due, amount_due=amount_due,
              iban=None if credit else s.iban, lines=len(items))
    return "weasyprint", lambda out, tmp: render_weasy(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 4. Yuki sales invoice: plain ReportLab page in Helvetica, sender line over the address,
#    "Factuurnummer :" rows with spaced colons, Subtotaal / Btw per rate / Totaal, footer line.

def s_yuki(rng, k):
    cc = rng.choice(["NL", "BE"])
    lang = rng.choice(["nl", "nl", "nl", "en"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, "nl")
    b = make_buyer(rng, cc, "nl")
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 6))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = pay_terms(rng)
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["vf", "plain", "ydash4"]))
    f = F(lang, grp="." if lang == "nl" else ",", dec="," if lang == "nl" else ".", cur="pre", sp=" ", dstyle=rng.choice(["dash", "long"]))
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    ref = kenmerk(rng) if cc == "NL" and rng.random() < 0.5 else None
    og = ogm_fmt(ogm_plain(rng)) if cc == "BE" else None
    show_due = rng.random() < 0.7

    def make(out, tmp):
        p = Pen(out, "Helvetica", "Factuur")
        p.t(192, 22, s.name, 14, True, "r")
        p.lines(192, 28, s.addr() + [s.phone, s.email], 8, a="r", color="#444444")
        p.t(20, 50, f"{s.name}, {s.street}, {s.pc} {s.city}", 6.5, color="#777777")
        p.line(20, 51.5, 95, 51.5, 0.3)
        p.lines(20, 57, [b.name] + b.addr() + ([("Btw-nr. " if lang == "nl" else "VAT no. ") + b.vat_str(0)] if b.vat else []), 9.5)
        p.t(20, 92, T(nl="FACTUUR", en="INVOICE"), 17, True)
        kv = [(T(nl="Factuurnummer", en="Invoice number"), num), (T(nl="Factuurdatum", en="Invoice date"), f.d(issue))]
        if show_due:
            kv.append((T(nl="Vervaldatum", en="Due date"), f.d(due)))
        kv.append((T(nl="Klantnummer", en="Customer number"), str(rng.randint(10000, 19999))))
        y = 100
        for a, v in kv:
            p.t(20, y, a, 9)
            p.t(55, y, ":", 9)
            p.t(58, y, v, 9)
            y += 4.6
        y += 6
        cols = [(20, "l", T(nl="Omschrijving", en="Description")), (122, "r", T(nl="Aantal", en="Qty")), (146, "r", T(nl="Prijs", en="Price")),
                (163, "r", T(nl="Btw", en="VAT")), (192, "r", T(nl="Bedrag", en="Amount"))]
        p.rect(20, y - 4, 172, 6, fill="#e8e8e8", stroke=None)
        for x, a, hd in cols:
            p.t(x + (1 if a == "l" else -1), y, hd, 8.5, True, a)
        y += 7
        for it in items:
            for x, a, v in zip([c[0] for c in cols], [c[1] for c in cols], [it.desc, f.qty(it.qty), f.m(it.unit), f.p(it.rate), f.m(it.amount)]):
                p.t(x + (1 if a == "l" else -1), y, v, 8.5, False, a)
            y += 5
        p.line(20, y - 2, 192, y - 2, 0.4)
        y += 4
        rows = [(T(nl="Subtotaal", en="Subtotal"), f.m(tot["sub"]), False)]
        for r, base, v in tot["rows"]:
            rows.append((T(nl=f"Btw {f.p(r)}", en=f"VAT {f.p(r)}"), f.m(v), False))
        rows.append((T(nl="Totaal", en="Total"), f.m(tot["total"]), True))
        for lab, v, bo in rows:
            p.t(130, y, lab, 9, bo)
            p.t(191, y, v, 9, bo, "r")
            y += 5
        y += 8
        if cc == "NL":
            txt = T(nl=f"Wij verzoeken u het totaalbedrag {'vóór ' + f.d(due) if show_due else 'binnen ' + str(terms) + ' dagen'} over te maken op rekening {iban_sp(s.iban)} t.n.v. {s.name}"
                       + (f" onder vermelding van betalingskenmerk {ref}." if ref else f" onder vermelding van factuurnummer {num}."),
                    en=f"Please transfer the total amount {'before ' + f.d(due) if show_due else 'within ' + str(terms) + ' days'} to account {iban_sp(s.iban)} in the name of {s.name}"
                       + (f", payment reference {ref}." if ref else f", quoting invoice number {num}."))
        else:
            txt = T(nl=f"Gelieve het totaalbedrag {'vóór ' + f.d(due) if show_due else 'binnen ' + str(terms) + ' dagen'} over te schrijven op {iban_sp(s.iban)} met mededeling {og}.",
                    en=f"Please pay the total amount {'before ' + f.d(due) if show_due else 'within ' + str(terms) + ' days'} to {iban_sp(s.iban)} with reference {og}.")
        p.para(20, y, txt, 8.5, 170)
        reg = f"KvK {s.kvk}" if s.kvk else f"Ondernemingsnummer {be_dotted(s.number)}"
        p.line(20, 280, 192, 280, 0.3)
        p.t(106, 284, f"{reg}  |  {T(nl='Btw-nr.', en='VAT no.')} {s.vat_str(0)}  |  IBAN {s.iban}  |  BIC {s.bic}", 7, a="c", color="#555555")
        p.save()

    t = truth(num, issue, tot, s, b, due=due if show_due else None, iban=s.iban, lines=len(items))
    return "reportlab", make, t, own_of(b), {"language": lang, "country": cc}


# ---------------------------------------------------------------------------------------------
# fpdf2 helpers.

def ft(pdf, x, y, s, size=9, b=False, a="l", fam=None, color=(30, 30, 30)):
    pdf.set_font(fam or pdf.bx_font, "B" if b else "", size)
    pdf.set_text_color(*color)
    s = str(s)
    w = pdf.get_string_width(s)
    pdf.text(x - (w if a == "r" else w / 2 if a == "c" else 0), y, s)


def fwrap(pdf, s, size, w, b=False):
    pdf.set_font(pdf.bx_font, "B" if b else "", size)
    out = []
    for para in str(s).split("\n"):
        line = ""
        for wd in para.split(" "):
            tt = (line + " " + wd) if line else wd
            if pdf.get_string_width(tt) <= w or not line:
                line = tt
            else:
                out.append(line)
                line = wd
        out.append(line)
    return out


def fpara(pdf, x, y, s, size, w, b=False, lh=None, color=(30, 30, 30)):
    lh = lh or size * 0.43
    for ln in fwrap(pdf, s, size, w, b):
        ft(pdf, x, y, ln, size, b, color=color)
        y += lh
    return y


# =============================================================================================
# 5. Octopus (Belgian accounting): framed boxes, a grid of labels over values, bordered line
#    table, a VAT recap "Maatstaf van heffing / Btw-bedrag", "Totaal te betalen" (fpdf2).

def s_octopus(rng, k):
    cc = "BE"
    lang = rng.choice(["nl", "nl", "fr"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    credit = rng.random() < 0.12
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 7))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([30, 30, 15, 60])
    due = issue + timedelta(days=terms)
    print_due = rng.random() < 0.6
    num = inv_number(rng, issue, rng.choice(["yy", "ydot", "plain"]))
    f = F(lang, grp=".", cur="none", dstyle="slash" if rng.random() < 0.7 else "dot")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    og = ogm_plain(rng)
    custno = str(rng.randint(400000, 499999))

    def make(out, tmp):
        pdf = fpdf_doc(("DejaVu",))
        pdf.bx_font = "DejaVu"
        pdf.add_page()
        pdf.set_draw_color(60, 60, 60)
        pdf.set_line_width(0.3)
        pdf.rect(12, 12, 92, 36)
        ft(pdf, 15, 19, s.name, 12, True)
        y = 24
        for ln in s.addr() + [f"Tel. {s.phone}", s.email, f"{T(nl='BTW', fr='TVA')} {s.vat_str(1)}"]:
            ft(pdf, 15, y, ln, 8)
            y += 3.9
        pdf.rect(110, 24, 88, 32)
        ft(pdf, 113, 29, T(nl="Klant", fr="Client"), 7, color=(110, 110, 110))
        y = 34
        for ln in [b.name] + b.addr() + [f"{T(nl='BTW', fr='TVA')} {b.vat_str(rng.choice([1, 3]))}"]:
            ft(pdf, 113, y, ln, 9, ln == b.name)
            y += 4.3
        ttl = (T(nl="CREDITNOTA", fr="NOTE DE CRÉDIT") if credit else T(nl="FACTUUR", fr="FACTURE"))
        ft(pdf, 12, 66, ttl, 16, True)
        heads = [T(nl="Factuurnr.", fr="N° facture") if not credit else T(nl="Nummer", fr="Numéro"), T(nl="Datum", fr="Date"),
                 T(nl="Klantnr.", fr="N° client"), T(nl="Vervaldag", fr="Échéance"), T(nl="Uw BTW-nr.", fr="Votre n° TVA")]
        vals = [num, f.d(issue), custno, f.d(due) if print_due and not credit else (T(nl=f"{terms} dagen", fr=f"{terms} jours") if not credit else "-"), b.vat_str(3)]
        ws = [34, 30, 30, 36, 56]
        x = 12
        pdf.set_fill_color(225, 225, 225)
        for hd, v, w in zip(heads, vals, ws):
            pdf.rect(x, 70, w, 6, "DF")
            pdf.rect(x, 76, w, 7)
            ft(pdf, x + w / 2, 74.2, hd, 7.5, True, "c")
            ft(pdf, x + w / 2, 80.8, v, 8.5, False, "c")
            x += w
        cols = [(T(nl="Omschrijving", fr="Désignation"), 84, "l"), (T(nl="Hoeveelh.", fr="Quantité"), 20, "r"), (T(nl="Eenheidsprijs", fr="Prix unitaire"), 28, "r"),
                (T(nl="BTW %", fr="TVA %"), 18, "r"), (T(nl="Bedrag excl.", fr="Montant HTVA"), 36, "r")]
        y = 90
        x = 12
        for hd, w, a in cols:
            pdf.rect(x, y, w, 6, "DF")
            ft(pdf, x + (w - 1.5 if a == "r" else 1.5), y + 4.2, hd, 7.5, True, a)
            x += w
        y += 6
        y_top = y
        for it in items:
            dl = fwrap(pdf, it.desc, 8.5, 80)
            vals = [dl, f.qty(it.qty, 2), f.n(it.unit), f.p(it.rate), f.n(it.amount)]
            x = 12
            for (hd, w, a), v in zip(cols, vals):
                if isinstance(v, list):
                    for i, ln in enumerate(v):
                        ft(pdf, x + 1.5, y + 4.3 + i * 3.8, ln, 8.5)
                else:
                    ft(pdf, x + w - 1.5, y + 4.3, v, 8.5, a="r")
                x += w
            y += 3.8 * len(dl) + 2.5
        y = max(y + 4, y_top + 40)
        x = 12
        for hd, w, a in cols:
            pdf.rect(x, y_top, w, y - y_top)
            x += w
        y += 6
        ft(pdf, 12, y, T(nl="BTW-recapitulatie", fr="Récapitulatif TVA"), 8, True)
        y += 2
        rh = [T(nl="Tarief", fr="Taux"), T(nl="Maatstaf van heffing", fr="Base imposable"), T(nl="BTW-bedrag", fr="Montant TVA")]
        x = 12
        for hd, w in zip(rh, [20, 36, 30]):
            pdf.rect(x, y, w, 5.5, "DF")
            ft(pdf, x + w / 2, y + 3.9, hd, 7.5, True, "c")
            x += w
        yy = y + 5.5
        for r, base, v in tot["rows"]:
            x = 12
            for val, w in zip([f.p(r), f.n(base), f.n(v)], [20, 36, 30]):
                pdf.rect(x, yy, w, 5.5)
                ft(pdf, x + w - 1.5, yy + 3.9, val, 8, a="r")
                x += w
            yy += 5.5
        tl = [(T(nl="Totaal excl. BTW", fr="Total HTVA"), tot["sub"]), (T(nl="BTW", fr="TVA"), tot["vat"]),
              (T(nl="Totaal te betalen", fr="Total à payer") if not credit else T(nl="Totaal creditnota", fr="Total note de crédit"), tot["total"])]
        ty = y
        for i, (lab, v) in enumerate(tl):
            last = i == len(tl) - 1
            pdf.rect(128, ty, 40, 6, "DF" if last else "D")
            pdf.rect(168, ty, 30, 6, "DF" if last else "D")
            ft(pdf, 130, ty + 4.2, lab, 8.5, last)
            ft(pdf, 196.5, ty + 4.2, f.n(v), 8.5, last, "r")
            ty += 6
        ft(pdf, 168.5, ty + 3.5, T(nl="Bedragen in EUR", fr="Montants en EUR"), 6.5, color=(100, 100, 100))
        y = max(yy, ty) + 10
        if credit:
            txt = T(nl="Deze creditnota wordt verrekend met uw openstaande facturen.", fr="Cette note de crédit sera imputée sur vos factures ouvertes.")
        else:
            txt = T(nl=f"Betaalbaar binnen {terms} dagen op rekening IBAN {iban_sp(s.iban)} - BIC {s.bic}, met vermelding van de gestructureerde mededeling {ogm_fmt(og)}.",
                    fr=f"Payable dans les {terms} jours sur le compte IBAN {iban_sp(s.iban)} - BIC {s.bic}, avec la communication structurée {ogm_fmt(og)}.")
        y = fpara(pdf, 12, y, txt, 8.5, 186)
        y = fpara(pdf, 12, y + 3, T(nl="Bij laattijdige betaling is van rechtswege en zonder ingebrekestelling een verwijlintrest van 10% en een forfaitaire schadevergoeding van 10% verschuldigd.",
                                    fr="En cas de retard de paiement, un intérêt de retard de 10% et une indemnité forfaitaire de 10% sont dus de plein droit et sans mise en demeure."), 7, 186, color=(90, 90, 90))
        pdf.line(12, 283, 198, 283)
        ft(pdf, 105, 287, f"{s.name} - {T(nl='Ondernemingsnummer', fr='N° d’entreprise')} {be_dotted(s.number)} - {s.court} - {s.bank} {iban_sp(s.iban)}", 6.8, a="c", color=(80, 80, 80))
        pdf.output(out)

    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=due if (print_due and not credit) else None,
              amount_due=None if credit else tot["total"], iban=s.iban, lines=len(items))
    return "fpdf", make, t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 6. WinBooks (Belgian desktop accounting): dense print in core Helvetica (no euro glyph: EUR),
#    journal and document number, article codes, "Total HTVA / TVA / Total TVAC / Net à payer",
#    "30 jours fin de mois" or a printed due date (fpdf2 core fonts).

def s_winbooks(rng, k):
    cc = "BE"
    lang = rng.choice(["fr", "fr", "nl"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    items = pick_items(rng, cc, trade, lang, rng.randint(2, 8), disc_p=0.25, codes=True)
    tot = totals(items)
    issue = rand_issue(rng)
    fdm = rng.random() < 0.5
    due = end_of_month(issue + timedelta(days=30)) if fdm else issue + timedelta(days=30)
    print_due = not fdm or rng.random() < 0.4
    num = f"{issue.year % 100}{rng.randint(1, 1500):05d}"
    f = F(lang, grp=rng.choice([".", " "]), cur="none", dstyle="slash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    og = ogm_fmt(ogm_plain(rng), rng.choice(["+", "*"]))

    def make(out, tmp):
        pdf = fpdf_doc(core=True)
        pdf.bx_font = "Helvetica"
        pdf.add_page()
        ft(pdf, 14, 18, s.name.upper(), 13, True)
        y = 23
        for ln in s.addr() + [f"Tel: {s.phone}", f"{T(fr='TVA', nl='BTW')}: {s.vat_str(2)}", s.court]:
            ft(pdf, 14, y, ln, 8)
            y += 3.6
        ft(pdf, 120, 48, T(fr="Client", nl="Klant") + f" : {rng.randint(1000, 9999)}", 7.5)
        y = 54
        for ln in [b.name] + b.addr():
            ft(pdf, 120, y, ln, 10, ln == b.name)
            y += 4.5
        ft(pdf, 120, y + 1, f"{T(fr='N° TVA', nl='BTW-nr.')} : {b.vat_str(2)}", 8)
        pdf.set_fill_color(235, 235, 235)
        pdf.rect(14, 82, 182, 14, "DF")
        ft(pdf, 17, 88, T(fr="FACTURE", nl="FACTUUR") + f"  N\u00b0 {num}", 12, True)
        ft(pdf, 17, 93.5, T(fr="Journal : VEN", nl="Dagboek : VKP"), 7.5)
        ft(pdf, 120, 88, T(fr="Date facture", nl="Factuurdatum") + " : " + f.d(issue), 8.5)
        if print_due:
            ft(pdf, 120, 93.5, T(fr="Date d'échéance", nl="Vervaldatum") + " : " + f.d(due), 8.5)
        else:
            ft(pdf, 120, 93.5, T(fr="Conditions : 30 jours fin de mois", nl="Voorwaarden : 30 dagen einde maand"), 8.5)
        cols = [(T(fr="Code", nl="Code"), 14, "l"), (T(fr="Désignation", nl="Omschrijving"), 34, "l"), (T(fr="Qté", nl="Aant."), 112, "r"),
                (T(fr="P.U. HTVA", nl="E.P. excl."), 134, "r"), (T(fr="Rem.%", nl="Kort.%"), 150, "r"), (T(fr="Total HTVA", nl="Totaal excl."), 178, "r"),
                (T(fr="TVA", nl="BTW"), 195, "r")]
        y = 104
        for hd, x, a in cols:
            ft(pdf, x, y, hd, 7.5, True, a)
        pdf.line(14, y + 1.5, 196, y + 1.5)
        y += 6
        for it in items:
            vals = [it.code, it.desc, f.qty(it.qty, 2), f.n(it.unit), f.n(it.disc) if it.disc else "", f.n(it.amount), f"{int(it.rate)}%"]
            for (hd, x, a), v in zip(cols, vals):
                ft(pdf, x, y, v[:46], 8, False, a)
            y += 4.4
        pdf.line(14, y, 196, y)
        y += 6
        ft(pdf, 14, y, T(fr="Base", nl="Basis"), 7.5, True)
        ft(pdf, 45, y, T(fr="Taux", nl="Tarief"), 7.5, True, "r")
        ft(pdf, 72, y, T(fr="Montant TVA", nl="BTW-bedrag"), 7.5, True, "r")
        yy = y + 4.5
        for r, base, v in tot["rows"]:
            ft(pdf, 14, yy, f.n(base), 8)
            ft(pdf, 45, yy, f"{int(r)}%", 8, a="r")
            ft(pdf, 72, yy, f.n(v), 8, a="r")
            yy += 4.2
        tl = [(T(fr="Total HTVA", nl="Totaal excl. BTW"), tot["sub"], False), (T(fr="Total TVA", nl="Totaal BTW"), tot["vat"], False),
              (T(fr="Total TVAC", nl="Totaal incl. BTW"), tot["total"], False), (T(fr="NET A PAYER", nl="TE BETALEN"), tot["total"], True)]
        ty = y
        for lab, v, bo in tl:
            if bo:
                pdf.rect(128, ty - 4, 68, 6)
            ft(pdf, 130, ty, lab, 9 if bo else 8.5, bo)
            ft(pdf, 182, ty, f.n(v), 9 if bo else 8.5, bo, "r")
            ft(pdf, 194.5, ty, "EUR", 8, bo, "r")
            ty += 5.5
        y = max(yy, ty) + 8
        txt = T(fr=f"Paiement sur le compte {s.iban} (BIC {s.bic}) avec la communication {og}.",
                nl=f"Betaling op rekening {s.iban} (BIC {s.bic}) met mededeling {og}.")
        y = fpara(pdf, 14, y, txt, 8.5, 180)
        fpara(pdf, 14, y + 3, T(fr="Toute réclamation doit nous parvenir par écrit dans les 8 jours. Nos factures sont payables au comptant sauf stipulation contraire. Conditions générales au verso.",
                                nl="Klachten dienen schriftelijk te gebeuren binnen de 8 dagen. Algemene voorwaarden op de keerzijde."), 7, 180, color=(90, 90, 90))
        ft(pdf, 105, 289, f"{s.name} - {s.street} - {s.pc} {s.city} - {s.bank} {iban_sp(s.iban)}", 6.5, a="c", color=(90, 90, 90))
        pdf.output(out)

    t = truth(num, issue, tot, s, b, due=due if print_due else None, amount_due=tot["total"], iban=s.iban, lines=len(items))
    return "fpdf", make, t, own_of(b), {"language": lang, "country": cc, "variant": "fin de mois" if fdm else "30 jours"}


# =============================================================================================
# 7. Accountable.eu: a Belgian freelancer's app invoice, modern HTML, "Van / Aan" columns, meta
#    cards, "Te betalen" block with the structured communication (Chromium).

FREELANCE = [("UX design", "Design UX", "UX design", [("UX-onderzoek en wireframes", "Recherche UX et wireframes", "UX research and wireframes", 70, 95),
                                                      ("Prototype in Figma", "Prototype Figma", "Figma prototype", 60, 90),
                                                      ("Usability test (5 deelnemers)", "Test utilisateurs (5 participants)", "Usability test (5 participants)", 450, 900)]),
             ("Copywriting", "Rédaction", "Copywriting", [("Teksten website", "Textes site web", "Website copy", 55, 85),
                                                          ("Blogartikel", "Article de blog", "Blog article", 120, 260),
                                                          ("Nieuwsbrief", "Newsletter", "Newsletter", 90, 180)]),
             ("Fotografie", "Photographie", "Photography", [("Bedrijfsreportage", "Reportage d'entreprise", "Corporate shoot", 350, 850),
                                                            ("Nabewerking foto's", "Retouche photos", "Photo editing", 4, 9),
                                                            ("Portretten team", "Portraits équipe", "Team portraits", 45, 85)]),
             ("Development", "Développement", "Development", [("Ontwikkeling WordPress-thema", "Développement thème WordPress", "WordPress theme development", 70, 100),
                                                              ("Bugfixes en onderhoud", "Corrections et maintenance", "Bug fixes and maintenance", 65, 90),
                                                              ("API-koppeling boekhouding", "Connexion API comptabilité", "Accounting API integration", 75, 110)])]


def freelance_items(rng, cc, lang, n):
    trade = rng.choice(FREELANCE)
    li = {"nl": 0, "fr": 1, "en": 2, "de": 2}[lang]
    out = []
    for row in rng.sample(trade[3], min(n, len(trade[3]))):
        lo, hi = row[3], row[4]
        unit = amt(rng, lo, hi)
        qty = rng.choice([1, 2, 3, 4, 6, 8, 10, 12, 16, 20, D("7.5"), D("3.5")]) if hi < 120 else 1
        if hi < 10:
            qty = rng.randint(20, 120)
        out.append(Item(row[li], qty, unit, 21, ""))
    return trade[li], out


def s_accountable(rng, k):
    cc = "BE"
    lang = rng.choice(["nl", "nl", "fr", "en"])
    region = {"nl": "vl", "fr": "wal", "en": rng.choice(["vl", "bxl"])}[lang]
    who = person(rng, cc, lang)
    trade, items = freelance_items(rng, cc, lang, rng.randint(1, 3))
    name = who if rng.random() < 0.6 else f"{who.split()[0][0]}. {who.split()[-1]} {trade}"
    s = Party(rng, cc, name, lang, kind="sole", region=region)
    b = make_buyer(rng, cc, lang if lang != "en" else "nl")
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["ydash3", "ydash4", "inv"]))
    f = F(lang, grp="." if lang != "en" else ",", dec="," if lang != "en" else ".", cur="pre" if lang != "fr" else "post",
          sp="\u00a0" if lang != "en" else "", dstyle="long" if rng.random() < 0.5 else "slash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    og = ogm_plain(rng)
    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty)}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(it.amount)}</td></tr>" for it in items)
    vat_rows = "".join(f"<div class=tr><span>{T(nl='Btw', fr='TVA', en='VAT')} ({f.p(r)})</span><span>{f.m(v)}</span></div>" for r, _, v in tot["rows"])
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(num)}</title><style>
@page {{ size: A4; margin: 0; }}
body {{ margin: 0; font-family: 'DejaVu Sans', sans-serif; font-size: 8.6pt; color: #1d2433; }}
.band {{ background: #1b2a4a; color: #fff; padding: 14mm 16mm 10mm 16mm; display: flex; justify-content: space-between; }}
.band h1 {{ margin: 0; font-size: 26pt; font-weight: 600; }}
.band .no {{ font-size: 11pt; opacity: .85; margin-top: 1mm; }}
.band .who {{ text-align: right; font-size: 8pt; line-height: 1.5; }}
.wrap {{ padding: 9mm 16mm; }}
.cols {{ display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; }}
.lab {{ font-size: 7pt; text-transform: uppercase; letter-spacing: 1px; color: #8a93a6; margin-bottom: 1.5mm; }}
.cards {{ display: flex; gap: 4mm; margin: 8mm 0; }}
.card {{ flex: 1; background: #f2f4f8; border-radius: 2mm; padding: 3mm; }}
.card b {{ display: block; font-size: 10pt; margin-top: 1mm; }}
table {{ width: 100%; border-collapse: collapse; }}
th {{ font-size: 7pt; text-transform: uppercase; color: #8a93a6; text-align: left; padding: 2mm 1mm; border-bottom: 1px solid #d5d9e2; }}
td {{ padding: 2.5mm 1mm; border-bottom: 1px solid #eef0f4; }}
.r {{ text-align: right !important; }}
.tot {{ width: 72mm; margin: 5mm 0 0 auto; }}
.tr {{ display: flex; justify-content: space-between; padding: 1.3mm 0; }}
.tr.g {{ font-weight: bold; font-size: 11pt; border-top: 2px solid #1b2a4a; margin-top: 1mm; padding-top: 2mm; }}
.pay {{ margin-top: 10mm; border: 1px solid #d5d9e2; border-radius: 2mm; padding: 4mm; display: grid; grid-template-columns: 1fr 1fr; gap: 2mm 8mm; }}
.foot {{ position: absolute; bottom: 10mm; left: 16mm; right: 16mm; font-size: 7pt; color: #8a93a6; text-align: center; }}
</style></head><body>
<div class=band><div><h1>{T(nl='Factuur', fr='Facture', en='Invoice')}</h1><div class=no>#{esc(num)}</div></div>
<div class=who><b>{esc(s.name)}</b><br>{h(chr(10).join(s.addr()))}<br>{esc(s.email)}</div></div>
<div class=wrap><div class=cols>
<div><div class=lab>{T(nl='Van', fr='De', en='From')}</div><b>{esc(s.name)}</b><br>{h(chr(10).join(s.addr()))}<br>{T(nl='Btw', fr='TVA', en='VAT')}: {esc(s.vat_str(rng.choice([0, 1])))}</div>
<div><div class=lab>{T(nl='Aan', fr='À', en='Billed to')}</div><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr()))}<br>{T(nl='Btw', fr='TVA', en='VAT')}: {esc(b.vat_str(rng.choice([0, 1])))}</div></div>
<div class=cards><div class=card><span class=lab>{T(nl='Factuurdatum', fr="Date d'émission", en='Date of issue')}</span><b>{f.d(issue)}</b></div>
<div class=card><span class=lab>{T(nl='Vervaldatum', fr="Date d'échéance", en='Due date')}</span><b>{f.d(due)}</b></div>
<div class=card><span class=lab>{T(nl='Te betalen', fr='Montant dû', en='Amount due')}</span><b>{f.m(tot['total'])}</b></div></div>
<table><thead><tr><th style="width:52%">{T(nl='Omschrijving', fr='Description', en='Description')}</th><th class=r>{T(nl='Aantal', fr='Qté', en='Qty')}</th><th class=r>{T(nl='Prijs', fr='Prix', en='Price')}</th><th class=r>{T(nl='Btw', fr='TVA', en='VAT')}</th><th class=r>{T(nl='Totaal', fr='Total', en='Total')}</th></tr></thead><tbody>{rows}</tbody></table>
<div class=tot><div class=tr><span>{T(nl='Subtotaal', fr='Sous-total', en='Subtotal')}</span><span>{f.m(tot['sub'])}</span></div>{vat_rows}
<div class="tr g"><span>{T(nl='Totaal', fr='Total', en='Total')}</span><span>{f.m(tot['total'])}</span></div></div>
<div class=pay><div><div class=lab>IBAN</div>{esc(iban_sp(s.iban))}</div><div><div class=lab>BIC</div>{esc(s.bic)}</div>
<div><div class=lab>{T(nl='Mededeling', fr='Communication', en='Reference')}</div>{ogm_fmt(og)}</div><div><div class=lab>{T(nl='Betaaltermijn', fr='Délai de paiement', en='Payment terms')}</div>{T(nl=f'{terms} dagen', fr=f'{terms} jours', en=f'{terms} days')}</div></div>
</div><div class=foot>{esc(s.name)} · {T(nl='Ondernemingsnummer', fr="Numéro d'entreprise", en='Company number')} {be_dotted(s.number)} · {esc(s.phone)}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, due=due, amount_due=tot["total"], iban=s.iban, lines=len(items))
    return "chromium", lambda out, tmp: render_chromium(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 8. Jortt (Dutch sole traders): informal "je", seller name top right, payment by iDEAL link or
#    transfer "binnen 14 dagen", the sole trader's mod-97 btw-id (Chromium).

def s_jortt(rng, k):
    cc = "NL"
    lang = rng.choice(["nl", "nl", "nl", "en"])
    who = person(rng, "NL")
    trade, items = freelance_items(rng, cc, lang, rng.randint(1, 3))
    name = rng.choice([who, f"{who} {trade}", f"{trade} {who}", f"Studio {surname(who)}"])
    s = Party(rng, cc, name, "nl", kind="sole")
    b = make_buyer(rng, cc)
    if rng.random() < 0.3:
        items.append(Item(L(lang, nl="Reiskosten", en="Travel expenses"), rng.randint(20, 140), D("0.23"), 21, "km"))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 14, 30])
    due = issue + timedelta(days=terms)
    print_due = rng.random() < 0.5
    num = inv_number(rng, issue, rng.choice(["ydash3", "num8", "plain"]))
    f = F(lang, grp="." if lang == "nl" else ",", dec="," if lang == "nl" else ".", cur="pre", sp=" " if lang == "nl" else "", dstyle=rng.choice(["dash", "long"]))
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    ideal = rng.random() < 0.5
    rows = "".join(f"<tr><td>{f.qty(it.qty)}{' ' + it.uom if it.uom else ''}</td><td>{esc(it.desc)}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(it.amount)}</td></tr>" for it in items)
    vr = "".join(f"<tr><td>{T(nl='Btw', en='VAT')} {f.p(r)} {T(nl='over', en='on')} {f.m(base)}</td><td class=r>{f.m(v)}</td></tr>" for r, base, v in tot["rows"])
    when = T(nl=f"vóór {f.d(due)}", en=f"before {f.d(due)}") if print_due else T(nl=f"binnen {terms} dagen", en=f"within {terms} days")
    pay = T(nl=f"We verzoeken je vriendelijk het bedrag van {f.m(tot['total'])} {when} over te maken op {iban_sp(s.iban)} t.n.v. {s.name} o.v.v. factuurnummer {num}.",
            en=f"Please transfer {f.m(tot['total'])} {when} to {iban_sp(s.iban)} in the name of {s.name}, quoting invoice {num}.")
    if ideal:
        pay += T(nl=" Liever direct betalen? Dat kan via iDEAL: ", en=" Prefer to pay right away? Use iDEAL: ") + f"https://app.jortt.nl/betalen/{digs(rng, 10)}"
    meta = [(T(nl="Factuurnummer", en="Invoice number"), num), (T(nl="Factuurdatum", en="Invoice date"), f.d(issue))]
    if print_due:
        meta.append((T(nl="Vervaldatum", en="Due date"), f.d(due)))
    metah = "".join(f"<tr><td class=k>{esc(a)}</td><td>{esc(v)}</td></tr>" for a, v in meta)
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(num)}</title><style>
@page {{ size: A4; margin: 18mm 18mm 16mm 18mm; }}
body {{ font-family: 'Nimbus Sans', 'Liberation Sans', sans-serif; font-size: 9.2pt; color: #2b2b2b; }}
.hd {{ display: flex; justify-content: space-between; align-items: flex-start; }}
.name {{ font-size: 17pt; font-weight: bold; color: #f05a28; text-align: right; }}
.sub {{ text-align: right; font-size: 8pt; color: #666; line-height: 1.5; }}
.to {{ margin-top: 16mm; line-height: 1.5; }}
h1 {{ font-size: 19pt; margin: 12mm 0 3mm 0; }}
td.k {{ color: #777; padding-right: 8mm; }}
table.l {{ width: 100%; border-collapse: collapse; margin-top: 8mm; }}
table.l th {{ text-align: left; border-bottom: 2px solid #f05a28; padding: 1.5mm; font-size: 8.5pt; }}
table.l td {{ padding: 2mm 1.5mm; border-bottom: 1px solid #eee; }}
.r {{ text-align: right !important; }}
table.t {{ margin: 4mm 0 0 auto; border-collapse: collapse; min-width: 85mm; }} table.t td {{ padding: 1.3mm 1.5mm; }}
tr.g td {{ font-weight: bold; border-top: 1.5px solid #2b2b2b; font-size: 10.5pt; }}
.pay {{ margin-top: 12mm; line-height: 1.5; }}
.foot {{ position: fixed; bottom: 0; width: 100%; text-align: center; font-size: 7.5pt; color: #888; }}
</style></head><body>
<div class=hd><div class=to><b>{esc(b.name)}</b><br>{T(nl='t.a.v.', en='attn.')} {esc(person(rng, 'NL'))}<br>{h(chr(10).join(b.addr()))}</div>
<div><div class=name>{esc(s.name)}</div><div class=sub>{h(chr(10).join(s.addr()))}<br>{esc(s.phone)}<br>{esc(s.email)}</div></div></div>
<h1>{T(nl='Factuur', en='Invoice')}</h1><table>{metah}</table>
<table class=l><thead><tr><th>{T(nl='Aantal', en='Qty')}</th><th style="width:50%">{T(nl='Omschrijving', en='Description')}</th><th class=r>{T(nl='Prijs', en='Price')}</th><th class=r>{T(nl='Btw', en='VAT')}</th><th class=r>{T(nl='Bedrag', en='Amount')}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=t><tr><td>{T(nl='Subtotaal', en='Subtotal')}</td><td class=r>{f.m(tot['sub'])}</td></tr>{vr}<tr class=g><td>{T(nl='Totaal', en='Total')}</td><td class=r>{f.m(tot['total'])}</td></tr></table>
<div class=pay>{esc(pay)}</div>
<div class=foot>{esc(s.name)} · KvK {s.kvk} · {T(nl='Btw-id', en='VAT ID')} {s.vat_str(0)} · IBAN {iban_sp(s.iban)}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, due=due if print_due else None, iban=s.iban, lines=len(items))
    return "chromium", lambda out, tmp: render_chromium(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 9. e-Boekhouden.nl: "FACTUUR" at the top right over a relatiecode block, dates without leading
#    zeros (5-3-2026), "Aantal / Omschrijving / Prijs / BTW / Totaal", "BTW 21%" rows, the payment
#    text in the footer zone (fpdf2, DejaVu Sans).

def s_eboekhouden(rng, k):
    cc = "NL"
    lang = "nl"
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade)
    b = make_buyer(rng, cc)
    credit = rng.random() < 0.1
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 8))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30])
    due = issue + timedelta(days=terms)
    num = f"F{rng.randint(10000, 99999)}" if rng.random() < 0.5 else inv_number(rng, issue, "ydash4")
    f = F(lang, grp=".", cur="pre", sp=" ", dstyle="dash1")
    sg = -1 if credit else 1
    kenm = kenmerk(rng) if rng.random() < 0.4 else None
    incl = rng.random() < 0.3  # prices shown incl. BTW per line

    def make(out, tmp):
        pdf = fpdf_doc(("DejaVu",))
        pdf.bx_font = "DejaVu"
        pdf.add_page()
        ft(pdf, 15, 20, s.name, 14, True, color=(0, 70, 140))
        y = 25
        for ln in s.addr() + [s.phone, s.email]:
            ft(pdf, 15, y, ln, 8, color=(80, 80, 80))
            y += 3.8
        ft(pdf, 195, 22, "CREDITFACTUUR" if credit else "FACTUUR", 18, True, "r", color=(0, 70, 140))
        y = 52
        for ln in [b.name] + b.addr():
            ft(pdf, 15, y, ln, 10)
            y += 4.6
        kv = [("Factuurnummer", num), ("Factuurdatum", f.d(issue)), ("Relatiecode", str(rng.randint(1000, 1999)))]
        if not credit:
            kv.insert(2, ("Vervaldatum", f.d(due)))
        y = 52
        for a, v in kv:
            ft(pdf, 130, y, a + ":", 9)
            ft(pdf, 165, y, v, 9)
            y += 4.6
        y = 90
        cols = [("Aantal", 15, "l"), ("Omschrijving", 32, "l"), ("Prijs", 142, "r"), ("BTW", 160, "r"), ("Totaal", 195, "r")]
        pdf.set_fill_color(0, 70, 140)
        pdf.rect(13, y - 4.5, 184, 6.5, "F")
        for hd, x, a in cols:
            ft(pdf, x, y, hd, 8.5, True, a, color=(255, 255, 255))
        y += 7
        for it in items:
            unit = q(it.unit * (100 + it.rate) / 100) if incl else it.unit
            line = q(it.amount * (100 + it.rate) / 100) if incl else it.amount
            dl = fwrap(pdf, it.desc, 8.5, 100)
            for (hd, x, a), v in zip(cols, [f.qty(it.qty, 2), dl[0], f.m(unit), f.p(it.rate), f.m(sg * line)]):
                ft(pdf, x, y, v, 8.5, a=a)
            for extra in dl[1:]:
                y += 4
                ft(pdf, 32, y, extra, 8.5)
            y += 5.2
        pdf.set_draw_color(0, 70, 140)
        pdf.line(13, y - 2, 197, y - 2)
        y += 4
        rows = [("Totaal excl. BTW", tot["sub"], False)] + [(f"BTW {f.p(r)}", v, False) for r, _, v in tot["rows"]] + [("Totaal incl. BTW", tot["total"], True)]
        for lab, v, bo in rows:
            ft(pdf, 130, y, lab, 9, bo)
            ft(pdf, 195, y, f.m(sg * v), 9, bo, "r")
            y += 5
        if incl:
            ft(pdf, 15, y + 2, "Prijzen per regel zijn inclusief BTW.", 7.5, color=(100, 100, 100))
        if credit:
            txt = "Het bedrag van deze creditfactuur wordt binnen 14 dagen teruggestort op uw rekening."
        else:
            txt = (f"Wij verzoeken u vriendelijk het bovenstaande bedrag binnen {terms} dagen na factuurdatum over te maken op IBAN {s.iban} "
                   f"t.n.v. {s.name}" + (f" onder vermelding van betalingskenmerk {kenm}." if kenm else f" onder vermelding van het factuurnummer {num}."))
        fpara(pdf, 15, 262, txt, 8, 180)
        pdf.set_draw_color(180, 180, 180)
        pdf.line(15, 280, 195, 280)
        ft(pdf, 105, 285, f"KvK {s.kvk}  •  BTW-nr. {s.vat_str(0)}  •  IBAN {s.iban}  •  BIC {s.bic}", 7, a="c", color=(90, 90, 90))
        pdf.output(out)

    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due, iban=s.iban, lines=len(items))
    return "fpdf", make, t, own_of(b), {"language": lang, "country": cc, "variant": "incl" if incl else "excl"}


# =============================================================================================
# 10. SnelStart (Dutch desktop): big company name, a grey box with Debiteurnummer /
#     Factuurnummer / Factuurdatum / Vervaldatum, article codes and units, VAT per line summed
#     into a "Btw-specificatie" (grondslag / btw), "Te betalen", betalingskenmerk (ReportLab).

def s_snelstart(rng, k):
    cc = "NL"
    lang = "nl"
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade)
    b = make_buyer(rng, cc)
    credit = rng.random() < 0.12
    items = pick_items(rng, cc, trade, lang, rng.randint(2, 9), disc_p=0.25, codes=True)
    tot = totals(items, per_line=True)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30, 30])
    due = issue + timedelta(days=terms)
    num = f"{issue.year}{rng.randint(1, 2999):04d}" if rng.random() < 0.6 else str(rng.randint(1000, 9999))
    f = F(lang, grp=".", cur="none", dstyle="dash")
    sg = -1 if credit else 1
    kenm = kenmerk(rng)

    def make(out, tmp):
        p = Pen(out, "LiberationSans", "Factuur")
        p.t(15, 22, s.name, 18, True, color="#004b87")
        p.lines(15, 28, [s.street, f"{s.pc}  {s.city.upper()}", f"Telefoon {s.phone}", f"E-mail {s.email}"], 8, color="#444444")
        p.lines(20, 56, [b.name, "T.a.v. crediteurenadministratie"] + [b.street, f"{b.pc}  {b.city.upper()}"], 9.5)
        p.rect(118, 50, 77, 32, fill="#eeeeee", stroke=None)
        p.t(121, 57, "Creditfactuur" if credit else "Factuur", 13, True)
        kv = [("Debiteurnummer", str(rng.randint(10000, 10999))), ("Factuurnummer", num), ("Factuurdatum", f.d(issue))]
        if not credit:
            kv.append(("Vervaldatum", f.d(due)))
        y = 63
        for a, v in kv:
            p.t(121, y, a, 8.5)
            p.t(192, y, v, 8.5, a="r")
            y += 4.4
        y = 94
        p.t(15, y, f"Uw referentie: {rng.choice(['Inkooporder ' + digs(rng, 5), 'Mail ' + s.contact.split()[0], 'Bestelling week ' + str(rng.randint(1, 52))])}", 8.5)
        y += 7
        cols = [(15, "l", "Artikel"), (35, "l", "Omschrijving"), (118, "r", "Aantal"), (128, "l", "Eenh."), (152, "r", "Prijs"), (166, "r", "Korting"),
                (195, "r", "Bedrag")]
        p.line(15, y - 4, 195, y - 4, 0.8, "#004b87")
        for x, a, hd in cols:
            p.t(x, y, hd, 8, True, a)
        p.line(15, y + 1.8, 195, y + 1.8, 0.8, "#004b87")
        y += 6.5
        for it in items:
            for (x, a, _), v in zip(cols, [it.code, it.desc, f.qty(it.qty, 2), it.uom, f.n(it.unit), f.p(it.disc) if it.disc else "", f.n(sg * it.amount)]):
                p.t(x, y, v, 8.3, a=a)
            y += 4.6
        p.line(15, y - 1.5, 195, y - 1.5, 0.3)
        y += 6
        p.t(15, y, "Btw-specificatie", 8.5, True)
        p.t(60, y, "Grondslag", 8, True, "r")
        p.t(80, y, "Btw %", 8, True, "r")
        p.t(102, y, "Btw", 8, True, "r")
        yy = y + 4.5
        for r, base, v in tot["rows"]:
            p.t(60, yy, f.n(sg * base), 8.3, a="r")
            p.t(80, yy, f.p(r), 8.3, a="r")
            p.t(102, yy, f.n(sg * v), 8.3, a="r")
            yy += 4.3
        ty = y
        for lab, v, bo in [("Totaal excl. btw", tot["sub"], False), ("Btw", tot["vat"], False), ("Totaal incl. btw", tot["total"], False),
                           ("Te betalen" if not credit else "Te ontvangen", tot["total"], True)]:
            p.t(130, ty, lab, 9, bo)
            p.t(165, ty, "€", 9, bo)
            p.t(195, ty, f.n(sg * v) if not bo else f.n(v), 9, bo, "r")
            ty += 4.8
        y = max(yy, ty) + 10
        if not credit:
            p.para(15, y, f"Wij verzoeken u het verschuldigde bedrag vóór {f.d(due)} over te maken op rekeningnummer {iban_sp(s.iban)} "
                          f"ten name van {s.name} onder vermelding van betalingskenmerk {kenm}.", 8.5, 178)
        p.line(15, 279, 195, 279, 0.5, "#004b87")
        p.lines(15, 283, [f"{s.name}", f"KvK {s.kvk}"], 7, color="#555555")
        p.lines(80, 283, [f"Btw-nummer {s.vat_str(0)}", f"IBAN {iban_sp(s.iban)}"], 7, color="#555555")
        p.lines(150, 283, [f"BIC {s.bic}", s.web], 7, color="#555555")
        p.save()

    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due,
              amount_due=None if credit else tot["total"], iban=s.iban, lines=len(items))
    return "reportlab", make, t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 11. Rompslomp (Dutch online bookkeeping): long dates "14 maart 2026", "Te voldoen vóór",
#     "Factuurbedrag", btw lines "21% btw over € …", a pay-online link (WeasyPrint).

def s_rompslomp(rng, k):
    cc = "NL"
    lang = "nl"
    trade = trade_for(rng)
    sole = rng.random() < 0.4
    if sole:
        who = person(rng, "NL")
        word = {"it": "Webdesign", "design": "Ontwerpstudio", "food": "Catering", "services": "Schoonmaakdienst", "office": "Administratie"}[trade]
        s = Party(rng, cc, rng.choice([f"{who} {word}", who, f"{word} {surname(who)}"]), "nl", kind="sole")
    else:
        s = make_seller(rng, cc, trade)
    b = make_buyer(rng, cc)
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 6))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["ydash4", "ydash3"]))
    f = F(lang, grp=".", cur="pre", sp="\u00a0", dstyle="long")
    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty)}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(it.amount)}</td></tr>" for it in items)
    vr = "".join(f"<tr><td>{f.p(r)} btw over {f.m(base)}</td><td class=r>{f.m(v)}</td></tr>" for r, base, v in tot["rows"])
    color = rng.choice(["#5b2a86", "#0a7e8c", "#d1495b"])
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Factuur {esc(num)}</title><style>
@page {{ size: A4; margin: 16mm 18mm 24mm 18mm;
  @bottom-left {{ content: "{css(s.name)} · KvK {s.kvk} · btw {s.vat_str(0)} · {iban_sp(s.iban)}"; font: 7pt 'Liberation Sans', sans-serif; color: #777; }}
  @bottom-right {{ content: "pagina " counter(page) " van " counter(pages); font: 7pt 'Liberation Sans', sans-serif; color: #777; }} }}
body {{ font-family: 'Liberation Sans', sans-serif; font-size: 9pt; color: #222; }}
.top {{ border-top: 6px solid {color}; padding-top: 6mm; display: flex; justify-content: space-between; }}
.brand {{ font-size: 16pt; font-weight: bold; color: {color}; }}
.small {{ font-size: 8pt; color: #555; line-height: 1.45; }}
.to {{ margin: 12mm 0 8mm 0; line-height: 1.45; }}
h1 {{ font-size: 20pt; margin: 0 0 4mm 0; font-weight: normal; }}
.meta td {{ padding: 0.6mm 8mm 0.6mm 0; }}
table.l {{ width: 100%; border-collapse: collapse; margin-top: 8mm; }}
table.l th {{ text-align: left; color: {color}; border-bottom: 1pt solid {color}; padding: 1.5mm 1mm; }}
table.l td {{ padding: 1.8mm 1mm; border-bottom: 0.4pt solid #ddd; }}
.r {{ text-align: right !important; }}
table.t {{ margin: 5mm 0 0 auto; border-collapse: collapse; width: 85mm; }} table.t td {{ padding: 1.2mm 1mm; }}
.g td {{ font-weight: bold; font-size: 10.5pt; border-top: 1pt solid #222; }}
.note {{ margin-top: 10mm; padding: 4mm; background: #f6f3f9; }}
</style></head><body>
<div class=top><div><div class=brand>{esc(s.name)}</div><div class=small>{h(chr(10).join(s.addr()))}<br>{esc(s.email)} · {esc(s.phone)}</div></div>
<div class=small style="text-align:right">KvK {s.kvk}<br>Btw-id {s.vat_str(0)}<br>IBAN {iban_sp(s.iban)}<br>BIC {s.bic}</div></div>
<div class=to><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr()))}</div>
<h1>Factuur {esc(num)}</h1>
<table class=meta><tr><td>Factuurdatum</td><td>{f.d(issue)}</td></tr><tr><td>Te voldoen vóór</td><td>{f.d(due)}</td></tr>
<tr><td>Uw btw-nummer</td><td>{esc(b.vat_str(0))}</td></tr></table>
<table class=l><thead><tr><th style="width:50%">Omschrijving</th><th class=r>Aantal</th><th class=r>Prijs</th><th class=r>Btw</th><th class=r>Totaal</th></tr></thead><tbody>{rows}</tbody></table>
<table class=t><tr><td>Subtotaal</td><td class=r>{f.m(tot['sub'])}</td></tr>{vr}<tr class=g><td>Factuurbedrag</td><td class=r>{f.m(tot['total'])}</td></tr></table>
<div class=note>Graag ontvangen wij het factuurbedrag van {f.m(tot['total'])} uiterlijk {f.d(due)} op rekening {iban_sp(s.iban)} ten name van {esc(s.name)}, onder vermelding van factuur {esc(num)}.<br>
Of betaal direct online: https://rompslomp.nl/betalen/{digs(rng, 6)}-{''.join(rng.choice('abcdefghjkmnpqrstuvwxyz') for _ in range(8))}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, due=due, iban=s.iban, lines=len(items))
    return "weasyprint", lambda out, tmp: render_weasy(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 12. Twinfield (Wolters Kluwer): formal Dutch/English print in Helvetica, VAT codes "Hoog" /
#     "Laag" (VH 21%, VL 9%), "Totaal exclusief btw / Btw hoog 21% / Totaal inclusief btw",
#     debtor and period rows (ReportLab).

def s_twinfield(rng, k):
    cc = "NL"
    lang = rng.choice(["nl", "nl", "en"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade)
    b = make_buyer(rng, cc)
    credit = rng.random() < 0.12
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 7), codes=True)
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30, 30, 45])
    due = issue + timedelta(days=terms)
    num = str(rng.randint(100001, 109999)) if rng.random() < 0.6 else f"{issue.year}{rng.randint(1, 9999):05d}"
    f = F(lang, grp="." if lang == "nl" else ",", dec="," if lang == "nl" else ".", cur="none", dstyle="dash" if lang == "nl" else "slash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    sg = -1 if credit else 1
    code = {21: "VH", 9: "VL", 0: "VN"}
    cname = {21: T(nl="hoog", en="high"), 9: T(nl="laag", en="low"), 0: T(nl="nul", en="zero")}
    p0 = issue.replace(day=1)

    def make(out, tmp):
        p = Pen(out, "Helvetica", "Invoice")
        p.t(195, 20, s.name, 12, True, "r")
        p.lines(195, 25, s.addr() + [s.phone], 8, a="r")
        p.lines(22, 52, [b.name, T(nl="Afdeling crediteuren", en="Accounts Payable")] + b.addr(), 9.5)
        p.t(22, 92, T(nl="Creditnota", en="Credit note") if credit else T(nl="Factuur", en="Invoice"), 15, True)
        kv = [(T(nl="Factuurnummer", en="Invoice number"), num), (T(nl="Factuurdatum", en="Invoice date"), f.d(issue)),
              (T(nl="Vervaldatum", en="Due date"), f.d(due) if not credit else "-"), (T(nl="Debiteur", en="Customer"), str(rng.randint(1000, 1999))),
              (T(nl="Periode", en="Period"), f"{issue.year}/{issue.month:02d}"), (T(nl="Uw btw-nummer", en="Your VAT number"), b.vat_str(0))]
        y = 52
        for a, v in kv:
            p.t(120, y, a, 8.5)
            p.t(158, y, v, 8.5)
            y += 4.5
        y = 104
        cols = [(22, "l", T(nl="Artikel", en="Item")), (42, "l", T(nl="Omschrijving", en="Description")), (128, "r", T(nl="Aantal", en="Qty")),
                (150, "r", T(nl="Prijs", en="Price")), (162, "l", T(nl="Btw", en="VAT")), (195, "r", T(nl="Bedrag", en="Amount"))]
        for x, a, hd in cols:
            p.t(x, y, hd, 8.5, True, a)
        p.line(22, y + 1.5, 195, y + 1.5, 0.6, "#000000")
        y += 6
        for it in items:
            for (x, a, _), v in zip(cols, [it.code, it.desc, f.qty(it.qty, 2), f.n(it.unit), code[int(it.rate)], f.n(sg * it.amount)]):
                p.t(x, y, v, 8.5, a=a)
            y += 4.6
        p.line(22, y - 1.5, 195, y - 1.5, 0.3)
        y += 5
        rows = [(T(nl="Totaal exclusief btw", en="Total excluding VAT"), tot["sub"], False)]
        for r, base, v in tot["rows"]:
            rows.append((T(nl=f"Btw {cname[int(r)]} {f.p(r)}", en=f"VAT {cname[int(r)]} {f.p(r)}"), v, False))
        rows.append((T(nl="Totaal inclusief btw", en="Total including VAT"), tot["total"], True))
        for lab, v, bo in rows:
            p.t(110, y, lab, 9, bo)
            p.t(168, y, "EUR", 9, bo)
            p.t(195, y, f.n(sg * v), 9, bo, "r")
            y += 5
        y += 8
        if not credit:
            p.para(22, y, T(nl=f"Wij verzoeken u het totaalbedrag vóór {f.d(due)} te voldoen op IBAN {s.iban} (BIC {s.bic}) t.n.v. {s.name}, onder vermelding van het factuurnummer.",
                            en=f"Please pay the total amount before {f.d(due)} to IBAN {s.iban} (BIC {s.bic}) in the name of {s.name}, quoting the invoice number."), 8.5, 172)
        p.line(22, 278, 195, 278, 0.3)
        p.t(108.5, 282, f"{s.name}  ·  {T(nl='KvK-nummer', en='Chamber of Commerce')} {s.kvk}  ·  {T(nl='Btw-nummer', en='VAT number')} {s.vat_str(0)}", 7, a="c")
        p.t(108.5, 285.5, f"IBAN {s.iban}  ·  BIC {s.bic}  ·  {s.web}", 7, a="c")
        p.save()

    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due, iban=s.iban, lines=len(items))
    return "reportlab", make, t, own_of(b), {"language": lang, "country": cc, "period": p0.isoformat()}


# =============================================================================================
# 13. Visma eAccounting: header grid of labelled cells at the right (Factuurnummer, Factuurdatum,
#     Klantnummer, Vervaldatum, Betalingsvoorwaarden), units column, "Te betalen EUR", a
#     three-column footer (Chromium).

def s_visma(rng, k):
    cc = rng.choice(["NL", "NL", "BE"])
    lang = "nl" if cc == "NL" else rng.choice(["nl", "fr"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    credit = rng.random() < 0.12
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 7))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30, 30])
    due = issue + timedelta(days=terms)
    num = str(rng.randint(1001, 1999)) if rng.random() < 0.5 else str(rng.randint(10001, 12999))
    f = F(lang, grp="." if lang == "nl" else " ", cur="none", dstyle="dash" if lang == "nl" else "slash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    sg = -1 if credit else 1
    ref = kenmerk(rng) if cc == "NL" else ogm_fmt(ogm_plain(rng))
    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty, 2)}</td><td>{esc(it.uom)}</td><td class=r>{f.n(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.n(sg * it.amount)}</td></tr>" for it in items)
    vr = "".join(f"<tr><td>{T(nl='Btw', fr='TVA')} {f.p(r)} ({f.n(sg * base)})</td><td class=r>{f.n(sg * v)}</td></tr>" for r, base, v in tot["rows"])
    cells = [(T(nl="Factuurnummer", fr="N° de facture") if not credit else T(nl="Creditnota", fr="Note de crédit"), num),
             (T(nl="Factuurdatum", fr="Date de facture"), f.d(issue)), (T(nl="Klantnummer", fr="N° client"), str(rng.randint(1, 400)))]
    if not credit:
        cells += [(T(nl="Vervaldatum", fr="Date d'échéance"), f.d(due)), (T(nl="Betalingsvoorwaarden", fr="Conditions de paiement"), T(nl=f"{terms} dagen netto", fr=f"{terms} jours net"))]
    cells += [(T(nl="Onze referentie", fr="Notre référence"), s.contact), (T(nl="Uw referentie", fr="Votre référence"), person(rng, cc, lang))]
    grid = "".join(f"<div class=c><div class=k>{esc(a)}</div><div>{esc(v)}</div></div>" for a, v in cells)
    reg = f"KvK {s.kvk}" if cc == "NL" else f"{T(nl='Ondernemingsnr.', fr='N° BCE')} {be_dotted(s.number)}"
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(num)}</title><style>
@page {{ size: A4; margin: 12mm 14mm 12mm 14mm; }}
body {{ font-family: 'Liberation Sans', Arial, sans-serif; font-size: 8.8pt; color: #111; }}
.hd {{ display: flex; justify-content: space-between; }}
.co {{ font-size: 15pt; font-weight: bold; }}
.tt {{ font-size: 16pt; font-weight: bold; text-align: right; margin-bottom: 3mm; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; width: 92mm; border-top: 0.6pt solid #999; border-left: 0.6pt solid #999; }}
.c {{ border-right: 0.6pt solid #999; border-bottom: 0.6pt solid #999; padding: 1mm 1.5mm; }}
.k {{ font-size: 6.8pt; color: #555; }}
.adr {{ margin: 6mm 0 10mm 0; line-height: 1.4; font-size: 9.5pt; }}
table.l {{ width: 100%; border-collapse: collapse; }}
table.l th {{ text-align: left; border-bottom: 1pt solid #000; padding: 1.2mm; font-size: 8pt; }}
table.l td {{ padding: 1.3mm 1.2mm; }}
.r {{ text-align: right !important; }}
.sums {{ display: flex; justify-content: flex-end; margin-top: 4mm; border-top: 0.6pt solid #999; padding-top: 2mm; }}
.sums table td {{ padding: 0.8mm 2mm; }}
.due {{ font-size: 11pt; font-weight: bold; background: #eef3f8; }}
.foot {{ position: fixed; bottom: 0; left: 0; right: 0; display: grid; grid-template-columns: 1fr 1fr 1fr; font-size: 7.2pt; color: #333; border-top: 0.6pt solid #999; padding-top: 2mm; }}
</style></head><body>
<div class=hd><div><div class=co>{esc(s.name)}</div><div class=adr><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr(country=rng.random() < 0.3)))}<br>{T(nl='Btw-nr.', fr='N° TVA')} {esc(b.vat_str(0))}</div></div>
<div><div class=tt>{T(nl='Creditnota', fr='Note de crédit') if credit else T(nl='Factuur', fr='Facture')}</div><div class=grid>{grid}</div></div></div>
<table class=l><thead><tr><th style="width:46%">{T(nl='Omschrijving', fr='Description')}</th><th class=r>{T(nl='Aantal', fr='Quantité')}</th><th>{T(nl='Eenheid', fr='Unité')}</th><th class=r>{T(nl='Prijs', fr='Prix')}</th><th class=r>{T(nl='Btw %', fr='TVA %')}</th><th class=r>{T(nl='Bedrag', fr='Montant')}</th></tr></thead><tbody>{rows}</tbody></table>
<div class=sums><table><tr><td>{T(nl='Netto', fr='Montant net')}</td><td class=r>{f.n(sg * tot['sub'])}</td></tr>{vr}<tr><td>{T(nl='Totaal btw', fr='Total TVA')}</td><td class=r>{f.n(sg * tot['vat'])}</td></tr>
<tr><td><b>{T(nl='Totaal', fr='Total')}</b></td><td class=r><b>{f.n(sg * tot['total'])}</b></td></tr>
<tr class=due><td>{T(nl='Te betalen EUR', fr='À payer EUR') if not credit else T(nl='Te ontvangen EUR', fr='À recevoir EUR')}</td><td class=r>{f.n(tot['total'])}</td></tr></table></div>
<p style="margin-top:8mm">{T(nl='Betaalreferentie', fr='Référence de paiement')}: {esc(ref)}</p>
<div class=foot><div><b>{T(nl='Adres', fr='Adresse')}</b><br>{esc(s.name)}<br>{h(chr(10).join(s.addr()))}</div>
<div><b>Contact</b><br>{esc(s.phone)}<br>{esc(s.email)}<br>{esc(s.web)}</div>
<div><b>{T(nl='Bankgegevens', fr='Coordonnées bancaires')}</b><br>IBAN {esc(iban_sp(s.iban))}<br>BIC {s.bic}<br>{T(nl='Btw-nr.', fr='N° TVA')} {s.vat_str(0)} · {reg}</div></div>
</body></html>"""
    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due,
              amount_due=None if credit else tot["total"], iban=s.iban, lines=len(items))
    return "chromium", lambda out, tmp: render_chromium(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 14. Tiime / Pennylane for Belgium: French SaaS page, "Facture n° F-2026-0012", Émetteur /
#     Client, HT / TVA / TTC, "Net à payer", amounts "1 234,56 €" with narrow no-break spaces
#     as the browser's number formatting prints them (Chromium).

def s_tiime(rng, k):
    cc = "BE"
    lang = rng.choice(["fr", "fr", "fr", "nl"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    credit = rng.random() < 0.12
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 6))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([15, 30, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["fdash", "fy", "ydash4"]))
    if credit:
        num = "AV" + num.lstrip("F")
    f = F(lang, grp="\u202f", cur="post", sp="\u00a0", dstyle=rng.choice(["slash", "long"]), pct=" %", neg="-")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    sg = -1 if credit else 1
    deposit = q(tot["total"] * D("0.3")) if (not credit and rng.random() < 0.25) else D(0)
    og = ogm_plain(rng)
    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty)}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(sg * it.amount)}</td></tr>" for it in items)
    vr = "".join(f"<tr><td>{T(fr='TVA', nl='Btw')} {f.p(r)}</td><td class=r>{f.m(sg * v)}</td></tr>" for r, _, v in tot["rows"])
    due_amt = tot["total"] - deposit
    extra = ""
    if deposit:
        extra = f"<tr><td>{T(fr='Acompte déjà versé', nl='Reeds betaald voorschot')}</td><td class=r>{f.m(-deposit)}</td></tr>"
    title = T(fr="Avoir", nl="Creditnota") if credit else T(fr="Facture", nl="Factuur")
    doc = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{esc(num)}</title><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 8.4pt; color: #24292f; }}
.hd {{ display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 10mm; }}
.logo {{ width: 16mm; height: 16mm; border-radius: 50%; background: #6c5ce7; color: #fff; font-size: 13pt; font-weight: bold; display: flex; align-items: center; justify-content: center; }}
.ttl {{ text-align: right; }} .ttl h1 {{ margin: 0; font-size: 20pt; }} .ttl div {{ color: #57606a; margin-top: 1mm; }}
.parties {{ display: flex; gap: 8mm; }}
.pty {{ flex: 1; }} .pty .lab {{ font-size: 7pt; color: #6c5ce7; font-weight: bold; text-transform: uppercase; margin-bottom: 1.5mm; }}
.dates {{ display: flex; gap: 10mm; margin: 8mm 0 6mm 0; padding: 3mm 0; border-top: 1px solid #d0d7de; border-bottom: 1px solid #d0d7de; }}
.dates span {{ color: #57606a; display: block; font-size: 7pt; }}
table.l {{ width: 100%; border-collapse: collapse; }} table.l th {{ background: #f6f8fa; text-align: left; padding: 2mm; font-size: 7.5pt; color: #57606a; }}
table.l td {{ padding: 2mm; border-bottom: 1px solid #eaeef2; }}
.r {{ text-align: right !important; }}
table.t {{ width: 80mm; margin: 5mm 0 0 auto; border-collapse: collapse; }} table.t td {{ padding: 1.3mm 2mm; }}
.ttc td {{ font-weight: bold; border-top: 1px solid #24292f; }}
.net td {{ font-weight: bold; font-size: 10.5pt; background: #6c5ce7; color: #fff; }}
.pay {{ margin-top: 10mm; background: #f6f8fa; padding: 4mm; border-radius: 2mm; line-height: 1.6; }}
.legal {{ margin-top: 8mm; font-size: 7pt; color: #57606a; }}
</style></head><body>
<div class=hd><div class=logo>{esc(''.join(w[0] for w in s.name.split()[:2]).upper())}</div>
<div class=ttl><h1>{title} n° {esc(num)}</h1><div>{T(fr="Date d'émission", nl='Uitgiftedatum')} : {f.d(issue)}</div>
{'' if credit else f"<div>{T(fr='Date d’échéance', nl='Vervaldatum')} : {f.d(due)}</div>"}</div></div>
<div class=parties><div class=pty><div class=lab>{T(fr='Émetteur', nl='Verzender')}</div><b>{esc(s.name)}</b><br>{h(chr(10).join(s.addr()))}<br>{T(fr='N° TVA', nl='Btw-nr.')} : {s.vat_str(0)}<br>{esc(s.email)}</div>
<div class=pty><div class=lab>{T(fr='Client', nl='Klant')}</div><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr(country=True)))}<br>{T(fr='N° TVA', nl='Btw-nr.')} : {b.vat_str(0)}</div></div>
<div class=dates><div><span>{T(fr='Conditions de paiement', nl='Betalingsvoorwaarden')}</span>{T(fr=f'{terms} jours', nl=f'{terms} dagen')}</div><div><span>{T(fr='Mode de paiement', nl='Betaalwijze')}</span>{T(fr='Virement bancaire', nl='Overschrijving')}</div>
<div><span>{T(fr='Référence client', nl='Klantreferentie')}</span>CL-{digs(rng, 4)}</div></div>
<table class=l><thead><tr><th style="width:48%">{T(fr='Désignation', nl='Omschrijving')}</th><th class=r>{T(fr='Qté', nl='Aantal')}</th><th class=r>{T(fr='Prix unitaire HT', nl='Eenheidsprijs excl.')}</th><th class=r>{T(fr='TVA', nl='Btw')}</th><th class=r>{T(fr='Total HT', nl='Totaal excl.')}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=t><tr><td>{T(fr='Total HT', nl='Totaal excl. btw')}</td><td class=r>{f.m(sg * tot['sub'])}</td></tr>{vr}
<tr class=ttc><td>{T(fr='Total TTC', nl='Totaal incl. btw')}</td><td class=r>{f.m(sg * tot['total'])}</td></tr>{extra}
{'' if credit else f"<tr class=net><td>{T(fr='Net à payer', nl='Te betalen')}</td><td class=r>{f.m(due_amt)}</td></tr>"}</table>
{'' if credit else f"<div class=pay><b>{T(fr='Paiement par virement', nl='Betaling per overschrijving')}</b><br>IBAN : {iban_sp(s.iban)} · BIC : {s.bic}<br>{T(fr='Communication structurée', nl='Gestructureerde mededeling')} : {ogm_fmt(og)}</div>"}
<div class=legal>{T(fr="En cas de retard de paiement, des intérêts de retard au taux légal ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € sont dus (loi du 2 août 2002).", nl='Bij laattijdige betaling zijn verwijlintresten aan de wettelijke rentevoet en een forfaitaire vergoeding van 40 € verschuldigd (wet van 2 augustus 2002).')}<br>{esc(s.name)} · {T(fr='BCE', nl='KBO')} {be_dotted(s.number)} · {esc(s.court)}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due,
              amount_due=None if credit else due_amt, iban=None if credit else s.iban, lines=len(items))
    return "chromium", lambda out, tmp: render_chromium(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc, "deposit": bool(deposit)}


# =============================================================================================
# 15. Mollie invoicing (payment-link invoices): a status badge (Openstaand / Betaald), a
#     "Betaal nu" button with the mollie.me link, paid invoices with "Betaald op … via iDEAL /
#     Bancontact" and an open amount of 0,00 (Chromium).

def s_mollie(rng, k):
    cc = rng.choice(["NL", "BE"])
    lang = rng.choice(["nl", "nl", "en"] + (["fr"] if cc == "BE" else []))
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang if lang != "en" else "nl")
    b = make_buyer(rng, cc, lang if lang != "en" else "nl")
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 5))
    tot = totals(items)
    issue = rand_issue(rng)
    due = issue + timedelta(days=rng.choice([7, 14, 30]))
    paid = rng.random() < 0.4
    paid_on = issue + timedelta(days=rng.randint(0, 6))
    num = inv_number(rng, issue, rng.choice(["inv", "ydash4", "num8"]))
    en = lang == "en"
    f = F(lang, grp="," if en else ".", dec="." if en else ",", cur="pre", sp="" if en else " ", dstyle="long" if rng.random() < 0.6 else "dash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    method = rng.choice(["iDEAL", "Bancontact", "creditcard", "Apple Pay"]) if cc == "NL" else rng.choice(["Bancontact", "Bancontact", "Payconiq", "KBC/CBC"])
    link = f"https://mollie.me/{''.join(ch for ch in s.name.lower() if ch.isalnum())[:14]}/{digs(rng, 6)}"
    rows = "".join(f"<tr><td>{esc(it.desc)}<div class=sub>{f.qty(it.qty)} × {f.m(it.unit)}</div></td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(it.amount)}</td></tr>" for it in items)
    vr = "".join(f"<div class=row><span>{T(nl='Btw', fr='TVA', en='VAT')} {f.p(r)}</span><span>{f.m(v)}</span></div>" for r, _, v in tot["rows"])
    badge = (f"<span class='badge ok'>{T(nl='Betaald', fr='Payée', en='Paid')}</span>" if paid else f"<span class='badge'>{T(nl='Openstaand', fr='Ouverte', en='Open')}</span>")
    if paid:
        paybox = (f"<div class=paid>{T(nl='Betaald op', fr='Payée le', en='Paid on')} {f.d(paid_on)} {T(nl='via', fr='via', en='via')} {method}</div>"
                  f"<div class='row big'><span>{T(nl='Openstaand bedrag', fr='Montant restant', en='Amount due')}</span><span>{f.m(0)}</span></div>")
    else:
        paybox = (f"<div class='row big'><span>{T(nl='Te betalen', fr='À payer', en='Amount due')}</span><span>{f.m(tot['total'])}</span></div>"
                  f"<div class=btn>{T(nl='Betaal nu', fr='Payer maintenant', en='Pay now')} →</div><div class=link>{link}</div>"
                  f"<div class=alt>{T(nl='Of maak over naar', fr='Ou virez sur', en='Or transfer to')} {iban_sp(s.iban)} {T(nl='t.n.v.', fr='au nom de', en='in the name of')} {esc(s.name)}</div>")
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(num)}</title><style>
@page {{ size: A4; margin: 14mm 16mm; }}
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 8.6pt; color: #0d0d0d; }}
.top {{ display: flex; justify-content: space-between; align-items: center; }}
.co {{ font-size: 14pt; font-weight: bold; }}
.badge {{ display: inline-block; padding: 1mm 3mm; border-radius: 5mm; background: #fff1d6; color: #8a5a00; font-size: 8pt; font-weight: bold; }}
.badge.ok {{ background: #dcf7e3; color: #1b7f3b; }}
h1 {{ font-size: 22pt; margin: 10mm 0 1mm 0; }}
.muted {{ color: #6b6b6b; }}
.cols {{ display: grid; grid-template-columns: 58mm 64mm 1fr; gap: 4mm; margin: 8mm 0; line-height: 1.5; }}
.cols > div:last-child {{ font-size: 7.6pt; overflow-wrap: anywhere; }}
.lab {{ font-size: 7pt; color: #6b6b6b; text-transform: uppercase; }}
table {{ width: 100%; border-collapse: collapse; }} th {{ text-align: left; font-size: 7.5pt; color: #6b6b6b; border-bottom: 1px solid #e5e5e5; padding: 2mm 0; }}
td {{ padding: 2.5mm 0; border-bottom: 1px solid #f0f0f0; }} .r {{ text-align: right !important; }}
.sub {{ color: #6b6b6b; font-size: 7.5pt; margin-top: 0.6mm; }}
.sum {{ width: 80mm; margin: 5mm 0 0 auto; }}
.row {{ display: flex; justify-content: space-between; padding: 1.2mm 0; }}
.row.tot {{ font-weight: bold; border-top: 1px solid #0d0d0d; }}
.row.big {{ font-size: 11pt; font-weight: bold; }}
.btn {{ background: #0d0d0d; color: #fff; text-align: center; padding: 2.5mm; border-radius: 2mm; margin-top: 2mm; font-weight: bold; }}
.link {{ font-size: 7pt; color: #6b6b6b; text-align: center; margin-top: 1mm; }}
.alt {{ font-size: 7.5pt; margin-top: 3mm; color: #333; }}
.paid {{ color: #1b7f3b; font-weight: bold; margin: 2mm 0; }}
.foot {{ position: fixed; bottom: 0; left: 0; right: 0; font-size: 7pt; color: #6b6b6b; text-align: center; }}
</style></head><body>
<div class=top><div class=co>{esc(s.name)}</div>{badge}</div>
<h1>{T(nl='Factuur', fr='Facture', en='Invoice')} {esc(num)}</h1>
<div class=muted>{T(nl='Uitgegeven op', fr='Émise le', en='Issued on')} {f.d(issue)} · {T(nl='Vervalt op', fr='Échéance le', en='Due on')} {f.d(due)}</div>
<div class=cols><div><div class=lab>{T(nl='Van', fr='De', en='From')}</div><b>{esc(s.name)}</b><br>{h(chr(10).join(s.addr()))}<br>{T(nl='Btw', fr='TVA', en='VAT')} {s.vat_str(0)}</div>
<div><div class=lab>{T(nl='Factuur aan', fr='Facturé à', en='Bill to')}</div><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr()))}<br>{T(nl='Btw', fr='TVA', en='VAT')} {b.vat_str(0)}</div>
<div><div class=lab>{T(nl='Contact', fr='Contact', en='Contact')}</div>{esc(s.email)}<br>{esc(s.phone)}<br>{esc(s.web)}</div></div>
<table><thead><tr><th>{T(nl='Omschrijving', fr='Description', en='Description')}</th><th class=r>{T(nl='Btw', fr='TVA', en='VAT')}</th><th class=r>{T(nl='Bedrag', fr='Montant', en='Amount')}</th></tr></thead><tbody>{rows}</tbody></table>
<div class=sum><div class=row><span>{T(nl='Subtotaal', fr='Sous-total', en='Subtotal')}</span><span>{f.m(tot['sub'])}</span></div>{vr}
<div class='row tot'><span>{T(nl='Totaal', fr='Total', en='Total')}</span><span>{f.m(tot['total'])}</span></div>{paybox}</div>
<div class=foot>{esc(s.name)} · {('KvK ' + s.kvk) if s.kvk else ('KBO ' + be_dotted(s.number))} · IBAN {iban_sp(s.iban)} · {T(nl='Betalingen verwerkt door Mollie', fr='Paiements traités par Mollie', en='Payments processed by Mollie')}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, due=due, amount_due=D(0) if paid else tot["total"], iban=s.iban, lines=len(items))
    return "chromium", lambda out, tmp: render_chromium(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc, "variant": "paid" if paid else "open"}


# ---------------------------------------------------------------------------------------------
# Office documents written by hand: a flat ODT (Writer), a flat ODS (Calc) and a minimal DOCX,
# each converted to PDF by LibreOffice as a user exporting from their word processor would.

def xe(s):
    return html.escape(str(s), quote=True)


def xt(s):
    """Text for ODF paragraphs: newlines as line breaks, runs of spaces kept."""
    out = []
    for i, ln in enumerate(str(s).split("\n")):
        if i:
            out.append("<text:line-break/>")
        out.append(xe(ln).replace("  ", " <text:s/>").replace("\t", "<text:tab/>"))
    return "".join(out)


ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
          'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')


class Fodt:
    """A flat ODT: paragraphs and tables with a handful of named styles."""

    def __init__(self, font="Liberation Sans", size=10, lang="nl", country="BE"):
        self.font, self.size, self.lang, self.country = font, size, lang, country
        self.body, self.styles, self.n = [], [], 0
        self.footer = ""

    def pstyle(self, size=None, bold=False, align="start", color=None, space=0.1, italic=False, font=None):
        self.n += 1
        name = f"P{self.n}"
        tp = f'fo:font-size="{size or self.size}pt"' + (' fo:font-weight="bold"' if bold else "") + (f' fo:color="{color}"' if color else "") + \
            (' fo:font-style="italic"' if italic else "") + (f' style:font-name="{font}"' if font else "")
        self.styles.append(f'<style:style style:name="{name}" style:family="paragraph" style:parent-style-name="Standard">'
                           f'<style:paragraph-properties fo:text-align="{align}" fo:margin-top="0cm" fo:margin-bottom="{space}cm"/>'
                           f'<style:text-properties {tp}/></style:style>')
        return name

    def p(self, text, **kw):
        self.body.append(f'<text:p text:style-name="{self.pstyle(**kw)}">{xt(text)}</text:p>')

    def table(self, widths, rows, border="none", head=False, head_bg=None, aligns=None, size=None, bold_last=False, inner=None):
        self.n += 1
        tn = f"T{self.n}"
        tw = sum(widths)
        self.styles.append(f'<style:style style:name="{tn}" style:family="table"><style:table-properties style:width="{tw}cm" table:align="left" fo:margin-top="0.15cm" fo:margin-bottom="0.3cm"/></style:style>')
        cols = ""
        for i, w in enumerate(widths):
            self.styles.append(f'<style:style style:name="{tn}.C{i}" style:family="table-column"><style:table-column-properties style:column-width="{w}cm"/></style:style>')
            cols += f'<table:table-column table:style-name="{tn}.C{i}"/>'
        cb = f"{tn}.cb"
        bd = f'fo:border="{border}"' if inner is None else f'fo:border-bottom="{inner}" fo:border-top="none" fo:border-left="none" fo:border-right="none"'
        self.styles.append(f'<style:style style:name="{cb}" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" {bd}/></style:style>')
        ch = f"{tn}.ch"
        self.styles.append(f'<style:style style:name="{ch}" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" {bd}'
                           f'{f" fo:background-color={chr(34)}{head_bg}{chr(34)}" if head_bg else ""}/></style:style>')
        aligns = aligns or ["start"] * len(widths)
        pst = {}
        out = [f'<table:table table:name="{tn}" table:style-name="{tn}">{cols}']
        for ri, r in enumerate(rows):
            bold = (head and ri == 0) or (bold_last and ri == len(rows) - 1)
            out.append("<table:table-row>")
            for ci, c in enumerate(r):
                key = (aligns[ci], bold)
                if key not in pst:
                    pst[key] = self.pstyle(size=size, bold=bold, align=aligns[ci], space=0)
                out.append(f'<table:table-cell table:style-name="{ch if head and ri == 0 else cb}" office:value-type="string">'
                           f'<text:p text:style-name="{pst[key]}">{xt(c)}</text:p></table:table-cell>')
            out.append("</table:table-row>")
        out.append("</table:table>")
        self.body.append("".join(out))

    def xml(self, title="Factuur"):
        foot = ""
        if self.footer:
            fs = self.pstyle(size=7.5, align="center", color="#555555", space=0)
            foot = f'<style:footer><text:p text:style-name="{fs}">{xt(self.footer)}</text:p></style:footer>'
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {ODF_NS} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{xe(title)}</dc:title></office:meta>
<office:font-face-decls><style:font-face style:name="{xe(self.font)}" svg:font-family="'{xe(self.font)}'"/></office:font-face-decls>
<office:styles><style:default-style style:family="paragraph"><style:text-properties style:font-name="{xe(self.font)}" fo:font-size="{self.size}pt" fo:language="{self.lang}" fo:country="{self.country}"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"/></office:styles>
<office:automatic-styles>{''.join(self.styles)}
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.6cm" fo:margin-bottom="1.2cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
<style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.3cm"/></style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">{foot}</style:master-page></office:master-styles>
<office:body><office:text>{''.join(self.body)}</office:text></office:body></office:document>"""


# =============================================================================================
# 16. A freelancer's or small firm's Word template (written in LibreOffice, .fodt): letterhead,
#     "FACTUUR" heading, a borderless table with "Factuur aan" and the invoice data, a ruled line
#     table, hand-typed amounts (sometimes without thousands separator), the payment sentence.

def s_word(rng, k):
    cc = rng.choice(["BE", "BE", "NL"])
    lang = "nl" if cc == "NL" else rng.choice(["nl", "nl", "fr"])
    who = person(rng, cc, lang)
    trade, items = freelance_items(rng, cc, lang, rng.randint(1, 3))
    name = rng.choice([who, f"{who} – {trade}", f"{trade} {surname(who)}" if cc == "NL" else f"{trade} {who}"])
    s = Party(rng, cc, name, lang, kind="sole")
    b = make_buyer(rng, cc, lang)
    if rng.random() < 0.3:
        items.append(Item(L(lang, nl="Verplaatsingskosten", fr="Frais de déplacement"), rng.randint(20, 180), D("0.43") if cc == "BE" else D("0.23"), 21, "km"))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30, 30])
    due = issue + timedelta(days=terms)
    print_due = rng.random() < 0.6
    num = inv_number(rng, issue, rng.choice(["ydash3", "ydot", "ydash4", "num8"]))
    f = F(lang, grp=rng.choice([".", "."] + ([""] if rng.random() < 0.5 else [" "])), cur=rng.choice(["pre", "post"]), sp=" ",
          dstyle=rng.choice(["long", "slash" if cc == "BE" else "dash"]))
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    og = ogm_fmt(ogm_plain(rng)) if cc == "BE" and rng.random() < 0.6 else None
    font = rng.choice(["Liberation Serif", "Liberation Sans", "Calibri", "DejaVu Sans"])
    d = Fodt(font=font, size=10, lang=lang, country=cc)
    d.p(s.name, size=17, bold=True, color=rng.choice(["#1f3864", "#000000", "#385623"]), space=0.05)
    d.p(f"{s.street} – {s.pc} {s.city}\n{s.phone} – {s.email}\n{T(nl='BTW', fr='TVA')} {s.vat_str(1) if cc == 'BE' else s.vat_str(0)}"
        + (f" – KvK {s.kvk}" if s.kvk else ""), size=9, color="#444444", space=0.6)
    d.p(T(nl="FACTUUR", fr="FACTURE"), size=20, bold=True, align=rng.choice(["start", "center"]), space=0.4)
    left = T(nl="Factuur aan:", fr="Facturé à :") + "\n" + b.name + "\n" + "\n".join(b.addr()) + "\n" + T(nl="BTW ", fr="TVA ") + b.vat_str(rng.choice([0, 1]))
    right = f"{T(nl='Factuurnummer', fr='Facture n°')}:\t{num}\n{T(nl='Factuurdatum', fr='Date')}:\t{f.d(issue)}"
    if print_due:
        right += f"\n{T(nl='Vervaldatum', fr='Échéance')}:\t{f.d(due)}"
    d.table([8.5, 8.5], [[left, right]])
    rows = [[T(nl="Omschrijving", fr="Description"), T(nl="Aantal", fr="Quantité"), T(nl="Prijs", fr="Prix"), T(nl="Totaal", fr="Total")]]
    for it in items:
        rows.append([it.desc, f.qty(it.qty) + (" " + it.uom if it.uom else ""), f.m(it.unit) if it.unit >= 1 else f.m(it.unit).replace(f.n(it.unit), f.n(it.unit)), f.m(it.amount)])
    d.table([8.6, 2.4, 3, 3], rows, border="0.5pt solid #000000", head=True, head_bg="#d9e2f3", aligns=["start", "end", "end", "end"], size=9.5)
    tr = [[T(nl="Subtotaal", fr="Sous-total"), f.m(tot["sub"])]]
    for r, _, v in tot["rows"]:
        tr.append([T(nl=f"BTW {f.p(r)}", fr=f"TVA {f.p(r)}"), f.m(v)])
    tr.append([T(nl="Totaal te betalen", fr="Total à payer"), f.m(tot["total"])])
    d.body.append('<text:p text:style-name="Standard"/>')
    d.table([11, 3, 3], [["", a, v] for a, v in tr], aligns=["start", "start", "end"], bold_last=True)
    when = T(nl=f"vóór {f.d(due)}", fr=f"avant le {f.d(due)}") if print_due else T(nl=f"binnen de {terms} dagen", fr=f"dans les {terms} jours")
    if og:
        pay = T(nl=f"Gelieve het bedrag van {f.m(tot['total'])} {when} over te schrijven op rekeningnummer {iban_sp(s.iban)} met vermelding van {og}.",
                fr=f"Merci de verser le montant de {f.m(tot['total'])} {when} sur le compte {iban_sp(s.iban)} avec la communication {og}.")
    else:
        pay = T(nl=f"Gelieve het bedrag van {f.m(tot['total'])} {when} over te maken op {iban_sp(s.iban)} t.n.v. {s.name}, met vermelding van het factuurnummer.",
                fr=f"Merci de verser le montant de {f.m(tot['total'])} {when} sur le compte {iban_sp(s.iban)} en mentionnant le numéro de facture.")
    d.p(pay, space=0.4)
    d.p(T(nl="Bedankt voor het vertrouwen!", fr="Merci pour votre confiance !"), italic=True)
    d.footer = f"{s.name} – {s.street}, {s.pc} {s.city} – IBAN {iban_sp(s.iban)} – BIC {s.bic}"
    xml = d.xml(T(nl="Factuur", fr="Facture") + " " + num)
    t = truth(num, issue, tot, s, b, due=due if print_due else None, amount_due=tot["total"], iban=s.iban, lines=len(items))
    return "libreoffice", lambda out, tmp: render_soffice("factuur.fodt", xml, out, tmp), t, own_of(b), {"language": lang, "country": cc, "font": font}


# =============================================================================================
# 17. An invoice kept in a spreadsheet and exported to PDF from Calc/Excel (.fods): numbers and
#     dates are real cells with nl-BE / nl-NL formats (currency "€ 1.234,56" or "1.234,56 €"),
#     labels in one column and values in the next, merged title cells, borders on the lines.

def s_sheet(rng, k):
    cc = rng.choice(["BE", "NL"])
    lang = "nl" if cc == "NL" else rng.choice(["nl", "nl", "fr"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    items = pick_items(rng, cc, trade, lang, rng.randint(2, 9))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["ydash3", "plain", "ydash4"]))
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    cur_after = rng.random() < 0.4
    date_fmt = rng.choice(["dmy_slash", "dmy_dash", "long"])
    grid = rng.random() < 0.35
    country = cc
    # The same notation as Calc prints it, for the truth check only.
    ref = kenmerk(rng) if cc == "NL" else ogm_fmt(ogm_plain(rng))

    def cur_style(name):
        sym = f'<number:currency-symbol number:language="{lang}" number:country="{country}">€</number:currency-symbol>'
        num_ = '<number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
        body = (num_ + "<number:text> </number:text>" + sym) if cur_after else (sym + "<number:text> </number:text>" + num_)
        loc = f'number:language="{lang}" number:country="{country}"'
        neg = (f'<number:currency-style style:name="{name}P0" {loc} style:volatile="true">{body}</number:currency-style>'
               f'<number:currency-style style:name="{name}" {loc}><number:text>-</number:text>{body}<style:map style:condition="value()&gt;=0" style:apply-style-name="{name}P0"/></number:currency-style>')
        return neg

    if date_fmt == "long":
        dstyle = ('<number:date-style style:name="ND" number:language="%s" number:country="%s"><number:day/><number:text> </number:text>'
                  '<number:month number:textual="true" number:style="long"/><number:text> </number:text><number:year number:style="long"/></number:date-style>') % (lang, country)
    else:
        sep = "/" if date_fmt == "dmy_slash" else "-"
        dstyle = (f'<number:date-style style:name="ND" number:language="{lang}" number:country="{country}"><number:day number:style="long"/><number:text>{sep}</number:text>'
                  f'<number:month number:style="long"/><number:text>{sep}</number:text><number:year number:style="long"/></number:date-style>')
    pstyle = (f'<number:percentage-style style:name="NP" number:language="{lang}" number:country="{country}"><number:number number:decimal-places="0" number:min-decimal-places="0" number:min-integer-digits="1"/>'
              '<number:text>%</number:text></number:percentage-style>')
    qstyle = f'<number:number-style style:name="NQ" number:language="{lang}" number:country="{country}"><number:number number:decimal-places="2" number:min-decimal-places="0" number:min-integer-digits="1"/></number:number-style>'
    bd = 'fo:border="0.5pt solid #000000"'
    cells = {
        "title": f'<style:table-cell-properties/><style:text-properties fo:font-size="20pt" fo:font-weight="bold" fo:color="#1f4e79"/>',
        "big": f'<style:table-cell-properties/><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/>',
        "txt": '<style:table-cell-properties/>',
        "bold": '<style:table-cell-properties/><style:text-properties fo:font-weight="bold"/>',
        "small": '<style:table-cell-properties/><style:text-properties fo:font-size="8pt" fo:color="#555555"/>',
        "head": f'<style:table-cell-properties {bd} fo:background-color="#ddebf7"/><style:text-properties fo:font-weight="bold"/>',
        "headr": f'<style:table-cell-properties {bd} fo:background-color="#ddebf7"/><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-weight="bold"/>',
        "line": f'<style:table-cell-properties {bd}/>',
    }
    styles = []
    for nm, body in cells.items():
        styles.append(f'<style:style style:name="{nm}" style:family="table-cell" style:parent-style-name="Default">{body}</style:style>')
    for nm, ds, extra in [("money", "NC", ""), ("moneyb", "NC", '<style:text-properties fo:font-weight="bold"/>'), ("moneyl", "NC", ""),
                          ("pct", "NP", ""), ("qty", "NQ", ""), ("date", "ND", '<style:paragraph-properties fo:text-align="start"/>')]:
        bprop = f'<style:table-cell-properties {bd}/>' if nm in ("moneyl", "pct", "qty") else "<style:table-cell-properties/>"
        styles.append(f'<style:style style:name="{nm}" style:family="table-cell" style:parent-style-name="Default" style:data-style-name="{ds}">{bprop}{extra}</style:style>')
    widths = [7.2, 2.0, 2.8, 1.6, 3.3]
    for i, w in enumerate(widths):
        styles.append(f'<style:style style:name="co{i}" style:family="table-column"><style:table-column-properties style:column-width="{w}cm"/></style:style>')

    def c(v="", st="txt", span=1, kind="s"):
        sp = f' table:number-columns-spanned="{span}"' if span > 1 else ""
        if kind == "m":
            x = f'<table:table-cell table:style-name="{st}" office:value-type="currency" office:currency="EUR" office:value="{q(v)}"{sp}><text:p>{q(v)}</text:p></table:table-cell>'
        elif kind == "p":
            x = f'<table:table-cell table:style-name="{st}" office:value-type="percentage" office:value="{D(v) / 100}"{sp}><text:p>{v}%</text:p></table:table-cell>'
        elif kind == "n":
            x = f'<table:table-cell table:style-name="{st}" office:value-type="float" office:value="{v}"{sp}><text:p>{v}</text:p></table:table-cell>'
        elif kind == "d":
            x = f'<table:table-cell table:style-name="{st}" office:value-type="date" office:date-value="{v.isoformat()}"{sp}><text:p>{v.isoformat()}</text:p></table:table-cell>'
        else:
            x = f'<table:table-cell table:style-name="{st}" office:value-type="string"{sp}><text:p>{xe(v)}</text:p></table:table-cell>' if v != "" else f'<table:table-cell table:style-name="{st}"{sp}/>'
        return x + "<table:covered-table-cell/>" * (span - 1)

    R = []

    def row(*cs):
        n = sum(int(x.count("<table:table-cell")) + x.count("<table:covered-table-cell/>") for x in cs)
        R.append("<table:table-row>" + "".join(cs) + c() * max(0, 5 - n) + "</table:table-row>")

    row(c(s.name, "title", 3), c(T(nl="FACTUUR", fr="FACTURE"), "big", 2))
    row(c(s.street, "small"))
    row(c(f"{s.pc} {s.city}", "small"))
    row(c(f"{T(nl='Btw-nummer', fr='N° TVA')}: {s.vat_str(1 if cc == 'BE' else 0)}", "small"))
    row(c(f"IBAN: {iban_sp(s.iban)}   BIC: {s.bic}", "small"))
    row(c(("KvK: " + s.kvk) if s.kvk else f"{s.email}", "small"))
    row()
    row(c(T(nl="Klant", fr="Client"), "bold"), c(), c(T(nl="Factuurnummer", fr="N° facture"), "bold", 2), c(num, "txt"))
    row(c(b.name), c(), c(T(nl="Factuurdatum", fr="Date facture"), "bold", 2), c(issue, "date", kind="d"))
    row(c(b.addr()[0]), c(), c(T(nl="Vervaldatum", fr="Échéance"), "bold", 2), c(due, "date", kind="d"))
    row(c(b.addr()[1]), c(), c(T(nl="Klantnummer", fr="N° client"), "bold", 2), c(str(rng.randint(100, 999))))
    row(c(f"{T(nl='Btw', fr='TVA')}: {b.vat_str(0)}"))
    row()
    row(c(T(nl="Omschrijving", fr="Description"), "head"), c(T(nl="Aantal", fr="Qté"), "headr"), c(T(nl="Eenheidsprijs", fr="Prix unitaire"), "headr"),
        c(T(nl="Btw", fr="TVA"), "headr"), c(T(nl="Totaal", fr="Total"), "headr"))
    for it in items:
        row(c(it.desc, "line"), c(f"{it.qty.normalize():f}", "qty", kind="n"), c(it.unit, "moneyl", kind="m"), c(f"{it.rate.normalize():f}", "pct", kind="p"), c(it.amount, "moneyl", kind="m"))
    row()
    row(c(), c(), c(T(nl="Totaal excl. btw", fr="Total HTVA"), "txt", 2), c(tot["sub"], "money", kind="m"))
    for r, base, v in tot["rows"]:
        row(c(), c(), c(T(nl=f"Btw {int(r)}%", fr=f"TVA {int(r)}%"), "txt", 2), c(v, "money", kind="m"))
    row(c(), c(), c(T(nl="Totaal incl. btw", fr="Total TVAC"), "bold", 2), c(tot["total"], "moneyb", kind="m"))
    row()
    row(c(T(nl=f"Te betalen binnen {terms} dagen op {iban_sp(s.iban)}", fr=f"À payer dans les {terms} jours sur {iban_sp(s.iban)}"), "txt", 5))
    row(c(T(nl="Mededeling: ", fr="Communication : ") + ref, "txt", 5))
    cols = "".join(f'<table:table-column table:style-name="co{i}"/>' for i in range(5))
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {ODF_NS} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:font-face-decls><style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'"/></office:font-face-decls>
<office:styles><style:default-style style:family="table-cell"><style:text-properties style:font-name="Liberation Sans" fo:font-size="10pt" fo:language="{lang}" fo:country="{country}"/></style:default-style>
<style:style style:name="Default" style:family="table-cell"/></office:styles>
<office:automatic-styles>{cur_style('NC')}{dstyle}{pstyle}{qstyle}{''.join(styles)}
<style:style style:name="ta1" style:family="table" style:master-page-name="PM"><style:table-properties table:display="true"/></style:style>
<style:page-layout style:name="pl"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="1.8cm" fo:margin-right="1.5cm" style:print="{'grid ' if grid else ''}objects charts drawings zero-values" style:print-orientation="portrait"/>
<style:header-style/><style:footer-style/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="PM" style:page-layout-name="pl"><style:header style:display="false"/><style:footer style:display="false"/></style:master-page></office:master-styles>
<office:body><office:spreadsheet><table:table table:name="{T(nl='Factuur', fr='Facture')}" table:style-name="ta1">{cols}{''.join(R)}</table:table></office:spreadsheet></office:body></office:document>"""
    t = truth(num, issue, tot, s, b, due=due, iban=s.iban, lines=len(items))
    return "libreoffice", lambda out, tmp: render_soffice("factuur.fods", doc, out, tmp), t, own_of(b), \
        {"language": lang, "country": cc, "variant": ("grid " if grid else "") + ("€ after" if cur_after else "€ before")}


# =============================================================================================
# 18. A Dutch ZZP'er under the KOR (kleineondernemersregeling), written in Word (.docx): no VAT
#     at all, "Vrijgesteld van btw (KOR)", the total only, KvK and sometimes the btw-id.

def docx_bytes(paras_xml, font="Calibri"):
    doc = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{paras_xml}
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1304" w:right="1247" w:bottom="1134" w:left="1247" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>"""
    styles = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/><w:sz w:val="21"/><w:lang w:val="nl-NL"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"""
    ct = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"""
    rels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""
    drels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"""
    import io
    bio = io.BytesIO()
    with zipfile.ZipFile(bio, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", doc)
        z.writestr("word/styles.xml", styles)
        z.writestr("word/_rels/document.xml.rels", drels)
    return bio.getvalue()


def wp(text, size=None, bold=False, align=None, color=None, after=None, italic=False):
    ppr = ""
    if align or after is not None:
        ppr = "<w:pPr>" + (f'<w:spacing w:after="{after}"/>' if after is not None else "") + (f'<w:jc w:val="{align}"/>' if align else "") + "</w:pPr>"
    rpr = "<w:rPr>" + ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + (f'<w:color w:val="{color}"/>' if color else "") + \
        (f'<w:sz w:val="{int(size * 2)}"/>' if size else "") + "</w:rPr>"
    runs = []
    for i, ln in enumerate(str(text).split("\n")):
        if i:
            runs.append(f"<w:r>{rpr}<w:br/></w:r>")
        parts = ln.split("\t")
        for j, part in enumerate(parts):
            if j:
                runs.append(f"<w:r>{rpr}<w:tab/></w:r>")
            runs.append(f'<w:r>{rpr}<w:t xml:space="preserve">{xe(part)}</w:t></w:r>')
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def wtable(widths_twips, rows, borders=True, bold_rows=(), aligns=None, shade_first=False):
    bd = ('<w:tblBorders><w:top w:val="single" w:sz="4" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:color="808080"/>'
          '<w:insideH w:val="single" w:sz="4" w:color="BFBFBF"/></w:tblBorders>') if borders else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths_twips)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths_twips)}" w:type="dxa"/>{bd}<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    aligns = aligns or ["left"] * len(widths_twips)
    for ri, r in enumerate(rows):
        out.append("<w:tr>")
        for ci, (cval, w) in enumerate(zip(r, widths_twips)):
            shade = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' if shade_first and ri == 0 else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr>{wp(cval, bold=ri in bold_rows, align=aligns[ci], after=0)}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def s_kor(rng, k):
    cc = "NL"
    lang = "nl"
    who = person(rng, "NL")
    trade, items = freelance_items(rng, cc, lang, rng.randint(1, 3))
    for it in items:
        it.rate = D(0)
    name = rng.choice([who, f"{who} {trade}", f"{trade} {surname(who)}"])
    s = Party(rng, cc, name, "nl", kind="sole")
    b = make_buyer(rng, cc)
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([14, 14, 30])
    due = issue + timedelta(days=terms)
    print_due = rng.random() < 0.5
    num = inv_number(rng, issue, rng.choice(["ydash3", "num8", "ydash4"]))
    f = F(lang, grp=rng.choice([".", ""]), cur="pre", sp=rng.choice([" ", ""]), dstyle=rng.choice(["long", "dash"]))
    show_vat = rng.random() < 0.5
    note = rng.choice(["Vrijgesteld van btw op grond van de kleineondernemersregeling (KOR).",
                       "Btw vrijgesteld – kleineondernemersregeling (KOR), artikel 25 Wet OB.",
                       "Factuur vrijgesteld van omzetbelasting (KOR). Er wordt geen btw in rekening gebracht.",
                       "Op deze factuur is geen btw berekend: ik maak gebruik van de kleineondernemersregeling."])
    font = rng.choice(["Calibri", "Arial", "Cambria"])
    x = [wp(s.name, size=18, bold=True, color="2F5496", after=0),
         wp("\n".join(s.addr() + [s.email, s.phone]), size=9, color="595959", after=200),
         wp("Factuur", size=22, bold=True, after=120)]
    left = "Aan:\n" + b.name + "\n" + "\n".join(b.addr())
    right = f"Factuurnummer:\t{num}\nFactuurdatum:\t{f.d(issue)}" + (f"\nVervaldatum:\t{f.d(due)}" if print_due else "")
    x.append(wtable([4800, 4600], [[left, right]], borders=False))
    x.append(wp("", after=120))
    rows = [["Omschrijving", "Uren/aantal", "Tarief", "Bedrag"]]
    for it in items:
        rows.append([it.desc, f.qty(it.qty), f.m(it.unit), f.m(it.amount)])
    rows.append(["", "", "Totaal", f.m(tot["total"])])
    x.append(wtable([4900, 1400, 1500, 1600], rows, True, bold_rows=(0, len(rows) - 1), aligns=["left", "right", "right", "right"], shade_first=True))
    x.append(wp("", after=80))
    x.append(wp(note, size=9, italic=True, after=160))
    when = f"vóór {f.d(due)}" if print_due else f"binnen {terms} dagen"
    x.append(wp(f"Graag ontvang ik het totaalbedrag van {f.m(tot['total'])} {when} op rekeningnummer {iban_sp(s.iban)} t.n.v. {s.name}, "
                f"onder vermelding van factuurnummer {num}.", after=240))
    x.append(wp("Met vriendelijke groet,\n" + who, after=400))
    x.append(wp(f"KvK {s.kvk}" + (f"  |  Btw-id {s.vat_str(0)}" if show_vat else "") + f"  |  IBAN {s.iban}", size=8, color="7F7F7F", align="center"))
    data = docx_bytes("".join(x), font)
    t = truth(num, issue, tot, s, b, due=due if print_due else None, iban=s.iban, lines=len(items), seller_vat=show_vat, sub=False, vat=False)
    return "libreoffice", lambda out, tmp: render_soffice("factuur.docx", data, out, tmp), t, own_of(b), {"language": lang, "country": cc, "font": font}


# =============================================================================================
# 19. A Belgian building contractor (fpdf2): the worksite ("Werf" / "Chantier"), measured work in
#     m² / m / st, three regimes: renovation of a home over ten years old at 6 % for a private
#     client with the legal attestation text, "BTW verlegd – medecontractant" / "autoliquidation"
#     for a registered contractor (VAT 0,00), or 21 % new work for a company.

RENO_TEXT = {
    "nl": ("Btw-tarief: Bij gebrek aan schriftelijke betwisting binnen een termijn van één maand vanaf de ontvangst van de factuur, wordt de klant "
           "geacht te erkennen dat (1) de werken worden verricht aan een woning waarvan de eerste ingebruikneming heeft plaatsgevonden in een "
           "kalenderjaar dat ten minste tien jaar voorafgaat aan de datum van de eerste factuur met betrekking tot die werken, (2) de woning, na "
           "uitvoering van die werken, uitsluitend of hoofdzakelijk als privéwoning wordt gebruikt en (3) de werken worden verstrekt en "
           "gefactureerd aan een eindverbruiker. Wanneer minstens één van die voorwaarden niet is voldaan, zal het normale btw-tarief van 21 pct. "
           "van toepassing zijn en is de afnemer ten aanzien van die voorwaarden aansprakelijk voor de betaling van de verschuldigde belasting, "
           "interesten en geldboeten."),
    "fr": ("Taux de TVA : En l'absence de contestation par écrit, dans un délai d'un mois à compter de la réception de la facture, le client est "
           "présumé reconnaître que (1) les travaux sont effectués à un bâtiment d'habitation dont la première occupation a eu lieu au cours d'une "
           "année civile qui précède d'au moins dix ans la date de la première facture relative à ces travaux, (2) qu'après l'exécution de ces "
           "travaux, l'habitation est utilisée, soit exclusivement soit à titre principal comme logement privé et (3) que ces travaux sont fournis "
           "et facturés à un consommateur final. Si au moins une de ces conditions n'est pas remplie, le taux normal de TVA de 21 % sera applicable "
           "et le client endossera, par rapport à ces conditions, la responsabilité quant au paiement de la taxe, des intérêts et des amendes dus."),
}
MEDE_TEXT = {
    "nl": ("Verlegging van heffing. Bij gebrek aan schriftelijke betwisting binnen een termijn van één maand vanaf de ontvangst van de factuur, "
           "wordt de afnemer geacht te erkennen dat hij een belastingplichtige is gehouden tot de indiening van periodieke aangiften. Als die "
           "voorwaarde niet vervuld is, is de afnemer ten aanzien van die voorwaarde aansprakelijk voor de betaling van de verschuldigde belasting, "
           "interesten en geldboeten."),
    "fr": ("Autoliquidation. En l'absence de contestation par écrit, dans un délai d'un mois à compter de la réception de la facture, le client est "
           "présumé reconnaître qu'il est un assujetti tenu au dépôt de déclarations périodiques. Si cette condition n'est pas remplie, le client "
           "endossera, par rapport à cette condition, la responsabilité quant au paiement de la taxe, des intérêts et des amendes dus."),
}
BOUW = [("Afbraak bestaande tegelvloer incl. afvoer puin", "Démolition carrelage existant, évacuation des gravats", "m²", 14, 28),
        ("Leveren en plaatsen chape (6 cm)", "Fourniture et pose de chape (6 cm)", "m²", 18, 32),
        ("Leveren en plaatsen vloertegels 60x60", "Fourniture et pose carrelage 60x60", "m²", 55, 95),
        ("Plaatsen gyprocwanden op metal stud", "Pose cloisons plâtre sur ossature métallique", "m²", 38, 62),
        ("Pleisterwerken muren en plafonds", "Plafonnage murs et plafonds", "m²", 16, 26),
        ("Leveren en plaatsen PVC-raam, dubbel glas", "Fourniture et pose châssis PVC double vitrage", "st", 480, 1250),
        ("Isolatie dak PIR 12 cm", "Isolation toiture PIR 12 cm", "m²", 38, 58),
        ("Elektrische installatie badkamer", "Installation électrique salle de bain", "forfait", 650, 1400),
        ("Sanitair: plaatsen inloopdouche", "Sanitaire : pose douche à l'italienne", "st", 900, 1900),
        ("Regiewerk", "Travaux en régie", "uur", 45, 58),
        ("Plinten leveren en plaatsen", "Fourniture et pose de plinthes", "m", 12, 19),
        ("Containerhuur 10 m³", "Location conteneur 10 m³", "st", 260, 420)]
BOUW_SELLERS = {"nl": ["Bouwonderneming Claes BV", "Renovatie Van Damme BV", "Dakwerken Goossens BV", "Schrijnwerkerij Maes BV",
                       "Algemene Bouw Willems BV", "Tegelwerken Desmet BV"],
                "fr": ["Entreprise Dubois Construct SRL", "Rénovation Lemaire SRL", "Toitures Lambert SRL", "Carrelages Dupont SRL"]}
BOUW_BUYERS = {"nl": ["Bouwbedrijf Hermans BV", "Aannemingen Verbeke NV", "Projectbouw Mertens BV"],
               "fr": ["Construction Renard SA", "Entreprise Collignon SRL", "Bâtiments Thiry SRL"]}


def s_bouw(rng, k):
    cc = "BE"
    lang = rng.choice(["nl", "nl", "fr"])
    regime = ["reno", "reno", "std", "mede", "mede", "std"][k % 6]  # every regime in both halves
    s = Party(rng, cc, rng.choice(BOUW_SELLERS[lang]), lang)
    if regime == "reno":
        ln = rng.choice(LAST_BE)
        ln2 = rng.choice([x for x in LAST_BE if x != ln])
        bname = rng.choice([f"Dhr. en Mevr. {ln}-{ln2}", f"{rng.choice(FIRST)} {ln}", f"Familie {ln}"]) if lang == "nl" else \
            rng.choice([f"M. et Mme {ln}-{ln2}", f"{rng.choice(FIRST)} {ln}", f"Famille {ln}"])
        b = Party(rng, cc, bname, lang, vat=False)
    elif regime == "mede":
        b = Party(rng, cc, rng.choice(BOUW_BUYERS[lang]), lang)
    else:
        b = make_buyer(rng, cc, lang)
    rate = {"reno": 6, "mede": 0, "std": 21}[regime]
    li = 0 if lang == "nl" else 1
    items = []
    for row in rng.sample(BOUW, rng.randint(2, 7)):
        uom = row[2] if lang == "nl" else {"st": "pc", "uur": "h", "forfait": "forfait", "m²": "m²", "m": "m"}[row[2]]
        qty = {"m²": D(rng.randint(60, 900)) / 10, "m": D(rng.randint(80, 600)) / 10, "uur": rng.choice([4, 8, 12, 16, D("6.5")]), "st": rng.choice([1, 1, 2, 3, 4]), "forfait": 1}[row[2]]
        items.append(Item(row[li], qty, amt(rng, row[3], row[4]), rate, uom))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([15, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["yslash", "ydash4", "yy"]))
    f = F(lang, grp=".", cur=rng.choice(["post", "pre"]), sp=" ", dstyle="slash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    og = ogm_plain(rng)
    site = f"{rng.choice(STREETS_NL_BE if lang == 'nl' else STREETS_FR)} {rng.randint(1, 200)}, {b.pc} {b.city}" if regime != "reno" else ", ".join(b.addr())
    werk = rng.choice([T(nl="Renovatie badkamer", fr="Rénovation salle de bain"), T(nl="Verbouwing keuken", fr="Transformation cuisine"),
                       T(nl="Dakrenovatie", fr="Rénovation toiture"), T(nl="Vernieuwen ramen", fr="Remplacement châssis")])

    def make(out, tmp):
        pdf = fpdf_doc(("Liberation",))
        pdf.bx_font = "Liberation"
        pdf.add_page()
        pdf.set_fill_color(230, 120, 20)
        pdf.rect(0, 0, 210, 7, "F")
        ft(pdf, 15, 21, s.name, 16, True, color=(40, 40, 40))
        ft(pdf, 15, 27, T(nl="Algemene bouw- en renovatiewerken", fr="Travaux généraux de construction et rénovation"), 8.5, color=(230, 120, 20))
        y = 32
        for ln in s.addr() + [f"Tel. {s.phone}  –  {s.email}", f"{T(nl='BTW', fr='TVA')} {s.vat_str(1)}  –  {s.court}"]:
            ft(pdf, 15, y, ln, 8, color=(70, 70, 70))
            y += 3.8
        ft(pdf, 118, 48, T(nl="Klant", fr="Client"), 7.5, color=(120, 120, 120))
        y = 53
        for ln in [b.name] + b.addr() + ([f"{T(nl='BTW', fr='TVA')} {b.vat_str(1)}"] if b.vat else []):
            ft(pdf, 118, y, ln, 10, ln == b.name)
            y += 4.6
        ft(pdf, 15, 78, T(nl="FACTUUR", fr="FACTURE") + f" {T(nl='nr.', fr='n°')} {num}", 14, True)
        kv = [(T(nl="Factuurdatum", fr="Date de facture"), f.d(issue)), (T(nl="Vervaldatum", fr="Date d'échéance"), f.d(due)),
              (T(nl="Werf", fr="Chantier"), f"{werk} – {site}"), (T(nl="Offerte", fr="Offre"), f"OFF-{issue.year}-{rng.randint(10, 300):03d}")]
        y = 85
        for a, v in kv:
            ft(pdf, 15, y, a, 8.5, True)
            ft(pdf, 45, y, v, 8.5)
            y += 4.6
        y += 4
        cols = [(T(nl="Omschrijving", fr="Description"), 15, "l"), (T(nl="Hoev.", fr="Qté"), 118, "r"), (T(nl="Eenh.", fr="Unité"), 121, "l"),
                (T(nl="Eenheidsprijs", fr="Prix unit."), 156, "r"), (T(nl="Btw", fr="TVA"), 170, "r"), (T(nl="Totaal", fr="Total"), 195, "r")]
        pdf.set_fill_color(245, 245, 245)
        pdf.rect(13, y - 4.5, 184, 6.5, "F")
        for hd, x, a in cols:
            ft(pdf, x, y, hd, 8, True, a)
        y += 7
        for it in items:
            dl = fwrap(pdf, it.desc, 8.5, 98)
            vr = T(nl="verlegd", fr="autoliq.") if regime == "mede" else f.p(it.rate)
            for (hd, x, a), v in zip(cols, [dl[0], f.qty(it.qty, 2), it.uom, f.m(it.unit), vr, f.m(it.amount)]):
                ft(pdf, x, y, v, 8.5, a=a)
            for extra in dl[1:]:
                y += 4
                ft(pdf, 15, y, extra, 8.5)
            y += 5.5
        pdf.set_draw_color(150, 150, 150)
        pdf.line(13, y - 2, 197, y - 2)
        y += 4
        rows = [(T(nl="Totaal excl. btw", fr="Total HTVA"), f.m(tot["sub"]), False)]
        if regime == "mede":
            rows.append((T(nl="Btw verlegd (medecontractant)", fr="TVA autoliquidation (cocontractant)"), f.m(0), False))
        else:
            rows.append((T(nl=f"Btw {f.p(rate)}", fr=f"TVA {f.p(rate)}"), f.m(tot["vat"]), False))
        rows.append((T(nl="Totaal te betalen", fr="Total à payer"), f.m(tot["total"]), True))
        for lab, v, bo in rows:
            ft(pdf, 120, y, lab, 9, bo)
            ft(pdf, 195, y, v, 9, bo, "r")
            y += 5.2
        y += 4
        if regime == "reno":
            y = fpara(pdf, 15, y, RENO_TEXT[lang], 7, 180, color=(60, 60, 60)) + 3
        elif regime == "mede":
            y = fpara(pdf, 15, y, T(nl="Btw verlegd – medecontractant (art. 20 KB nr. 1). ", fr="Autoliquidation – cocontractant (art. 20 AR n° 1). ") + MEDE_TEXT[lang], 7, 180, color=(60, 60, 60)) + 3
        y = fpara(pdf, 15, y, T(nl=f"Te betalen vóór {f.d(due)} op rekening {iban_sp(s.iban)} (BIC {s.bic}) met gestructureerde mededeling {ogm_fmt(og)}.",
                                fr=f"À payer avant le {f.d(due)} sur le compte {iban_sp(s.iban)} (BIC {s.bic}) avec la communication structurée {ogm_fmt(og)}."), 8.5, 180)
        pdf.set_fill_color(230, 120, 20)
        pdf.rect(0, 290, 210, 7, "F")
        ft(pdf, 105, 294.3, f"{s.name} · {s.street}, {s.pc} {s.city} · {s.vat_str(2)} · {iban_sp(s.iban)}", 7, a="c", color=(255, 255, 255))
        pdf.output(out)

    own = {"names": [b.name], "vat_numbers": [b.vat] if b.vat else [], "ibans": []}
    t = truth(num, issue, tot, s, b, due=due, amount_due=tot["total"], iban=s.iban, lines=len(items))
    return "fpdf", make, t, own, {"language": lang, "country": cc, "variant": regime}


# =============================================================================================
# 20. Belgian small business under the VAT franchise (art. 56bis): no VAT charged, the legal
#     mention "Bijzondere vrijstellingsregeling kleine ondernemingen" / "Régime particulier de
#     franchise des petites entreprises" / "Sonderregelung für Kleinunternehmen" (Eupen), the
#     VAT number still printed, the total only (fpdf2, DejaVu Sans Condensed).

SMALL = {"nl": [("Kapsalon", [("Knippen en brushen", 28, 45), ("Kleuren", 45, 80), ("Verzorgingsproducten", 12, 30)]),
                ("Tuinonderhoud", [("Snoeiwerken haag", 35, 45), ("Gazon maaien", 30, 40), ("Afvoer groenafval", 25, 60)]),
                ("Yoga & coaching", [("Groepsles op locatie", 60, 120), ("Individuele coaching", 55, 85), ("Workshop teambuilding", 250, 600)]),
                ("Klusjesdienst", [("Herstellingswerk", 35, 45), ("Schilderwerk", 32, 42), ("Materiaal", 15, 120)])],
         "fr": [("Salon de coiffure", [("Coupe et brushing", 28, 45), ("Coloration", 45, 80), ("Produits de soin", 12, 30)]),
                ("Entretien de jardins", [("Taille de haies", 35, 45), ("Tonte pelouse", 30, 40), ("Évacuation déchets verts", 25, 60)]),
                ("Photographie", [("Séance photo", 120, 350), ("Retouche", 25, 40), ("Tirages", 2, 6)])],
         "de": [("Gartenpflege", [("Heckenschnitt", 35, 45), ("Rasenmähen", 30, 40), ("Abfuhr Grünschnitt", 25, 60)]),
                ("Übersetzungen", [("Übersetzung DE-FR", 45, 90), ("Korrekturlesen", 35, 50), ("Beglaubigung", 20, 35)]),
                ("Hausmeisterdienst", [("Reparaturarbeiten", 35, 45), ("Malerarbeiten", 32, 42), ("Material", 15, 120)])]}


def s_art56bis(rng, k):
    cc = "BE"
    lang = rng.choice(["nl", "fr", "de"])
    region = {"nl": "vl", "fr": "wal", "de": "ost"}[lang]
    who = person(rng, cc, lang)
    trade, cat = rng.choice(SMALL[lang])
    name = rng.choice([who, f"{trade} {who.split()[0]}", f"{who} – {trade}"])
    s = Party(rng, cc, name, lang, kind="sole", region=region)
    b = make_buyer(rng, cc, lang, region=region)
    items = []
    for desc, lo, hi in rng.sample(cat, rng.randint(1, len(cat))):
        qty = rng.choice([1, 1, 2, 3, 4, D("1.5"), D("2.5")]) if hi < 100 else 1
        items.append(Item(desc, qty, amt(rng, lo, hi), 0))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([8, 14, 30])
    due = issue + timedelta(days=terms)
    print_due = rng.random() < 0.6
    num = inv_number(rng, issue, rng.choice(["ydash3", "ydot", "yslash"]))
    f = F(lang, grp=".", cur=rng.choice(["post", "pre"]), sp=" ", dstyle=rng.choice(["slash", "dot" if lang == "de" else "long"]))
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    og = ogm_plain(rng)
    mention = rng.choice([T(nl="Bijzondere vrijstellingsregeling kleine ondernemingen.", fr="Régime particulier de franchise des petites entreprises.",
                            de="Sonderregelung für Kleinunternehmen."),
                          T(nl="Kleine onderneming onderworpen aan de vrijstellingsregeling van belasting. Btw niet van toepassing (art. 56bis W.Btw).",
                            fr="Petite entreprise soumise au régime de la franchise de taxe. TVA non applicable (art. 56bis du Code de la TVA).",
                            de="Kleinunternehmen, das der Steuerbefreiungsregelung unterliegt. MwSt. nicht anwendbar (Art. 56bis MwStGB).")])
    show_sum = len(items) > 1 and rng.random() < 0.5

    def make(out, tmp):
        pdf = fpdf_doc(("DejaVuCond",))
        pdf.bx_font = "DejaVuCond"
        pdf.add_page()
        ft(pdf, 20, 24, s.name, 15, True, color=(60, 90, 60))
        y = 30
        for ln in s.addr() + [s.phone, s.email, f"{T(nl='Ondernemingsnummer', fr='N° d’entreprise', de='Unternehmensnummer')}: {be_dotted(s.number)}",
                              f"{T(nl='BTW', fr='TVA', de='MwSt.-Nr.')}: {s.vat_str(1)}"]:
            ft(pdf, 20, y, ln, 8.5, color=(70, 70, 70))
            y += 4
        y = 62
        ft(pdf, 120, y - 6, T(nl="Factuur aan", fr="Facturé à", de="Rechnung an"), 8, True, color=(120, 120, 120))
        for ln in [b.name] + b.addr() + [f"{T(nl='BTW', fr='TVA', de='MwSt.-Nr.')} {b.vat_str(1)}"]:
            ft(pdf, 120, y, ln, 10)
            y += 4.8
        ft(pdf, 20, 96, T(nl="Factuur", fr="Facture", de="Rechnung"), 20, True)
        kv = [(T(nl="Factuurnummer", fr="Numéro de facture", de="Rechnungsnummer"), num), (T(nl="Datum", fr="Date", de="Datum"), f.d(issue))]
        if print_due:
            kv.append((T(nl="Te betalen vóór", fr="À payer avant le", de="Zahlbar bis"), f.d(due)))
        y = 104
        for a, v in kv:
            ft(pdf, 20, y, a, 9.5)
            ft(pdf, 62, y, v, 9.5, True)
            y += 5
        y += 6
        cols = [(T(nl="Omschrijving", fr="Description", de="Beschreibung"), 20, "l"), (T(nl="Aantal", fr="Quantité", de="Menge"), 130, "r"),
                (T(nl="Prijs", fr="Prix", de="Preis"), 160, "r"), (T(nl="Bedrag", fr="Montant", de="Betrag"), 190, "r")]
        for hd, x, a in cols:
            ft(pdf, x, y, hd, 9, True, a)
        pdf.set_draw_color(60, 90, 60)
        pdf.line(20, y + 2, 190, y + 2)
        y += 7.5
        for it in items:
            for (hd, x, a), v in zip(cols, [it.desc, f.qty(it.qty), f.m(it.unit), f.m(it.amount)]):
                ft(pdf, x, y, v, 9.5, a=a)
            y += 5.5
        pdf.line(20, y - 2, 190, y - 2)
        y += 4
        if show_sum:
            ft(pdf, 130, y, T(nl="Subtotaal", fr="Sous-total", de="Zwischensumme"), 9.5)
            ft(pdf, 190, y, f.m(tot["sub"]), 9.5, a="r")
            y += 5.5
        ft(pdf, 130, y, T(nl="Totaal te betalen", fr="Total à payer", de="Gesamtbetrag"), 10.5, True)
        ft(pdf, 190, y, f.m(tot["total"]), 10.5, True, "r")
        y += 12
        y = fpara(pdf, 20, y, mention, 9, 170, True)
        y += 4
        when = T(nl=f"vóór {f.d(due)}", fr=f"avant le {f.d(due)}", de=f"bis zum {f.d(due)}") if print_due else T(nl=f"binnen {terms} dagen", fr=f"dans les {terms} jours", de=f"innerhalb von {terms} Tagen")
        fpara(pdf, 20, y, T(nl=f"Gelieve {when} te betalen op {iban_sp(s.iban)} met mededeling {ogm_fmt(og)}.",
                            fr=f"Merci de payer {when} sur le compte {iban_sp(s.iban)} avec la communication {ogm_fmt(og)}.",
                            de=f"Bitte zahlen Sie {when} auf das Konto {iban_sp(s.iban)} mit der strukturierten Mitteilung {ogm_fmt(og)}."), 9.5, 170)
        ft(pdf, 105, 286, f"{s.name} · IBAN {iban_sp(s.iban)} · BIC {s.bic} · {s.email}", 7.5, a="c", color=(110, 110, 110))
        pdf.output(out)

    t = truth(num, issue, tot, s, b, due=due if print_due else None, amount_due=tot["total"], iban=s.iban, lines=len(items),
              sub=show_sum, vat=False)
    return "fpdf", make, t, own_of(b), {"language": lang, "country": cc}


# =============================================================================================
# 21. A credit note naming the invoice it corrects ("Creditnota … betreft factuur … van …" /
#     "Note de crédit … relative à la facture …" / Dutch "Creditfactuur"), with the Belgian
#     mention on the VAT to be repaid, the reason, amounts printed positive or negative
#     (WeasyPrint).

def s_creditnota(rng, k):
    cc = rng.choice(["BE", "BE", "NL"])
    lang = "nl" if cc == "NL" else rng.choice(["nl", "fr"])
    trade = trade_for(rng)
    s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 4))
    tot = totals(items)
    issue = rand_issue(rng)
    orig_date = issue - timedelta(days=rng.randint(6, 70))
    orig = inv_number(rng, orig_date, rng.choice(["ydash4", "f", "yslash"]))
    num = rng.choice(["CN", "C", "CN-", "NC" if lang == "fr" else "CF"]) + inv_number(rng, issue, rng.choice(["ydash4", "num8"]))
    neg = rng.random() < 0.5
    sg = -1 if neg else 1
    f = F(lang, grp=".", cur=rng.choice(["pre", "post"]), sp=" ", dstyle="slash" if cc == "BE" else "dash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    reason = rng.choice([T(nl="Retour van goederen", fr="Retour de marchandises"), T(nl="Commerciële korting na klacht", fr="Geste commercial suite à réclamation"),
                         T(nl="Foutief gefactureerd aantal", fr="Quantité facturée erronée"), T(nl="Annulering van de bestelling", fr="Annulation de la commande")])
    title = T(nl="Creditfactuur" if cc == "NL" and rng.random() < 0.5 else "Creditnota", fr="Note de crédit")
    settle = rng.choice(["refund", "offset"])
    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(sg * it.qty)}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(sg * it.amount)}</td></tr>" for it in items)
    vr = "".join(f"<tr><td>{T(nl='Btw', fr='TVA')} {f.p(r)} {T(nl='op', fr='sur')} {f.m(sg * base)}</td><td class=r>{f.m(sg * v)}</td></tr>" for r, base, v in tot["rows"])
    legal = ""
    if cc == "BE":
        legal = T(nl="Btw terug te storten aan de Staat in de mate waarin ze oorspronkelijk in aftrek werd gebracht.",
                  fr="TVA à reverser à l'État dans la mesure où elle a été initialement déduite.")
    settle_txt = (T(nl=f"Het bedrag van {f.m(tot['total'])} wordt binnen 14 dagen teruggestort op uw rekening.", fr=f"Le montant de {f.m(tot['total'])} sera remboursé sur votre compte dans les 14 jours.")
                  if settle == "refund" else T(nl="Dit bedrag wordt verrekend met uw volgende factuur.", fr="Ce montant sera déduit de votre prochaine facture."))
    reg = f"KvK {s.kvk}" if s.kvk else f"{T(nl='KBO', fr='BCE')} {be_dotted(s.number)} – {s.court}"
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)} {esc(num)}</title><style>
@page {{ size: A4; margin: 18mm 17mm 25mm 17mm;
  @bottom-center {{ content: "{css(s.name)} · {css(', '.join(s.addr()))} · {T(nl='BTW', fr='TVA')} {s.vat_str(0)} · {reg} · IBAN {iban_sp(s.iban)}"; font: 7pt 'DejaVu Serif', serif; color: #666; }} }}
body {{ font-family: 'DejaVu Serif', serif; font-size: 9pt; color: #222; }}
.hd {{ display: flex; justify-content: space-between; border-bottom: 1.5pt solid #8b1e3f; padding-bottom: 3mm; }}
.co {{ font-size: 16pt; font-weight: bold; color: #8b1e3f; }}
.adr {{ margin: 12mm 0 0 95mm; line-height: 1.45; }}
h1 {{ font-size: 18pt; margin: 10mm 0 2mm 0; color: #8b1e3f; }}
.ref {{ border: 0.8pt solid #8b1e3f; padding: 2.5mm 3mm; margin: 4mm 0; }}
table.kv td {{ padding: 0.5mm 6mm 0.5mm 0; }}
table.l {{ width: 100%; border-collapse: collapse; margin-top: 6mm; }}
table.l th {{ border-bottom: 1pt solid #222; text-align: left; padding: 1.5mm 1mm; }}
table.l td {{ padding: 1.6mm 1mm; border-bottom: 0.4pt dotted #999; }}
.r {{ text-align: right !important; }}
table.t {{ width: 90mm; margin: 4mm 0 0 auto; border-collapse: collapse; }} table.t td {{ padding: 1.2mm 1mm; }}
.g td {{ font-weight: bold; border-top: 1pt solid #222; font-size: 10.5pt; }}
.legal {{ font-size: 8pt; font-style: italic; margin-top: 6mm; }}
</style></head><body>
<div class=hd><div class=co>{esc(s.name)}</div><div style="text-align:right;font-size:8pt">{h(chr(10).join(s.addr()))}<br>{esc(s.phone)}<br>{esc(s.email)}</div></div>
<div class=adr><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr()))}<br>{T(nl='BTW', fr='TVA')} {esc(b.vat_str(1 if cc == 'BE' else 0))}</div>
<h1>{esc(title)}</h1>
<table class=kv><tr><td>{T(nl='Nummer', fr='Numéro')}</td><td><b>{esc(num)}</b></td></tr><tr><td>{T(nl='Datum', fr='Date')}</td><td>{f.d(issue)}</td></tr>
<tr><td>{T(nl='Klantnummer', fr='N° client')}</td><td>{rng.randint(1000, 9999)}</td></tr></table>
<div class=ref>{T(nl=f'Betreft factuur {orig} van {f.d(orig_date)}', fr=f'Relative à la facture n° {orig} du {f.d(orig_date)}')}<br>{T(nl='Reden', fr='Motif')}: {esc(reason)}</div>
<table class=l><thead><tr><th style="width:50%">{T(nl='Omschrijving', fr='Description')}</th><th class=r>{T(nl='Aantal', fr='Qté')}</th><th class=r>{T(nl='Eenheidsprijs', fr='Prix unitaire')}</th><th class=r>{T(nl='Btw', fr='TVA')}</th><th class=r>{T(nl='Bedrag', fr='Montant')}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=t><tr><td>{T(nl='Totaal excl. btw', fr='Total HTVA')}</td><td class=r>{f.m(sg * tot['sub'])}</td></tr>{vr}<tr class=g><td>{T(nl='Totaal creditnota', fr='Total note de crédit')}</td><td class=r>{f.m(sg * tot['total'])}</td></tr></table>
<p>{esc(settle_txt)}</p>
<div class=legal>{esc(legal)}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, "credit_note", iban=s.iban, lines=len(items))
    return "weasyprint", lambda out, tmp: render_weasy(doc, out, tmp), t, own_of(b), {"language": lang, "country": cc, "variant": "negative" if neg else "positive"}


# =============================================================================================
# 22. A wholesaler's long invoice over several pages (ReportLab): 45–97 lines, each page closing
#     with "Over te brengen" / "À reporter" and the next opening with "Transport" / "Report" and
#     the same running sum, "Blad 2/3", the VAT table and totals on the last page. Drinks with
#     21 %, water and food with 6 % (BE) or 9 % (NL) and crate deposits outside VAT (0 %).

DRINKS = [("Pils", "Pils", 25, "bak 24 x 25 cl", "casier 24 x 25 cl", 17, 24, "s"), ("Blond bier", "Bière blonde", 33, "bak 24 x 33 cl", "casier 24 x 33 cl", 26, 38, "s"),
          ("Tripel", "Triple", 33, "bak 24 x 33 cl", "casier 24 x 33 cl", 32, 45, "s"), ("Kriek", "Kriek", 25, "bak 24 x 25 cl", "casier 24 x 25 cl", 24, 33, "s"),
          ("Cola", "Cola", 20, "bak 24 x 20 cl", "casier 24 x 20 cl", 16, 22, "s"), ("Cola zero", "Cola zéro", 20, "bak 24 x 20 cl", "casier 24 x 20 cl", 16, 22, "s"),
          ("Limonade citroen", "Limonade citron", 20, "bak 24 x 20 cl", "casier 24 x 20 cl", 15, 21, "s"),
          ("Mineraalwater plat", "Eau plate", 100, "pak 6 x 1 l", "pack 6 x 1 l", 4, 7, "r"), ("Mineraalwater bruis", "Eau pétillante", 100, "pak 6 x 1 l", "pack 6 x 1 l", 4, 7, "r"),
          ("Appelsap", "Jus de pomme", 100, "pak 6 x 1 l", "pack 6 x 1 l", 8, 12, "r"), ("Sinaasappelsap", "Jus d'orange", 100, "pak 6 x 1 l", "pack 6 x 1 l", 9, 13, "r"),
          ("Koffie bonen", "Café grains", 0, "zak 1 kg", "sac 1 kg", 16, 24, "r"), ("Chips zout", "Chips sel", 0, "doos 20 x 40 g", "carton 20 x 40 g", 9, 14, "r"),
          ("Huiswijn rood", "Vin maison rouge", 75, "doos 6 x 75 cl", "carton 6 x 75 cl", 32, 55, "s"), ("Huiswijn wit", "Vin maison blanc", 75, "doos 6 x 75 cl", "carton 6 x 75 cl", 32, 55, "s"),
          ("Cava brut", "Cava brut", 75, "doos 6 x 75 cl", "carton 6 x 75 cl", 45, 70, "s"), ("Ice tea", "Thé glacé", 25, "bak 24 x 25 cl", "casier 24 x 25 cl", 17, 24, "s"),
          ("Tonic", "Tonic", 20, "bak 24 x 20 cl", "casier 24 x 20 cl", 18, 25, "s"), ("Suikerklontjes", "Sucre en morceaux", 0, "doos 1 kg", "boîte 1 kg", 3, 5, "r"),
          ("Melk halfvol", "Lait demi-écrémé", 100, "pak 12 x 1 l", "pack 12 x 1 l", 11, 15, "r")]
WHOLESALE = {("BE", "nl"): ["Drankenhandel Verbeke BV", "Drankencentrale De Kroon NV", "Groothandel De Korf NV"],
             ("BE", "fr"): ["Boissons Lambotte SRL", "Dépôt de boissons Moreau SRL", "Distribution Horeca Wallonie SA"],
             ("NL", "nl"): ["Drankengroothandel Van Leeuwen B.V.", "Horecagroothandel De Kroon B.V.", "Drankenhandel Brouwer B.V."]}
HORECA = {("BE", "nl"): ["Brasserie Het Anker BV", "Feestzaal De Linde BV", "Café De Zwaan BV", "Taverne 't Hoekske BV"],
          ("BE", "fr"): ["Brasserie La Meuse SRL", "Café du Commerce SRL", "Salle des fêtes Le Relais SRL"],
          ("NL", "nl"): ["Restaurant De Waag B.V.", "Café De Jonge B.V.", "Eetcafé Het Pleintje V.O.F."]}
BRANDS = ["Brouwerij Zonnedauw", "Hoeve Kerselaar", "Abdij Ter Hage", "Meander", "Bronneke", "Vallei", "Kristal"]


def s_transport(rng, k):
    cc = rng.choice(["BE", "BE", "NL"])
    lang = "nl" if cc == "NL" else rng.choice(["nl", "fr"])
    li = 0 if lang == "nl" else 1
    s = Party(rng, cc, rng.choice(WHOLESALE[(cc, lang)]), lang)
    b = Party(rng, cc, rng.choice(HORECA[(cc, lang)]), lang)
    n = rng.randint(45, 95)
    pool = []
    for d in DRINKS:
        for br in rng.sample(BRANDS, 5):
            pool.append((f"{d[li]} {br} – {d[3 + li]}", d[5], d[6], d[7]))
    rng.shuffle(pool)
    items = []
    for desc, lo, hi, rc in pool[:n]:
        items.append(Item(desc, rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 10]), amt(rng, lo, hi), RATE[cc][rc], code=digs(rng, 6, "1")))
    crates = sum(int(it.qty) for it in items if "bak" in it.desc or "casier" in it.desc)
    if crates:
        items.append(Item(L(lang, nl="Leeggoed bakken", fr="Vidanges casiers") if cc == "BE" else "Statiegeld kratten", crates, D("3.90") if cc == "BE" else D("3.90"), 0, code="999001"))
        items.append(Item(L(lang, nl="Retour leeggoed bakken", fr="Retour vidanges casiers") if cc == "BE" else "Retour statiegeld kratten", -rng.randint(1, crates), D("3.90"), 0, code="999002"))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([8, 14, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["yy", "b", "plain"]))
    f = F(lang, grp=".", cur="none", dstyle="slash" if cc == "BE" else "dash")
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    ref = ogm_fmt(ogm_plain(rng)) if cc == "BE" else kenmerk(rng)
    per_page_first = rng.randint(40, 44)
    per_page = rng.randint(52, 57)
    chunks, i = [], 0
    while i < len(items):
        m = per_page_first if not chunks else per_page
        chunks.append(items[i:i + m])
        i += m
    if len(chunks) > 1 and len(chunks[-1]) > per_page - 14:
        chunks.append([])  # the totals need room: they go on a page of their own, opened by "Transport"
    npages = len(chunks)
    carry_lab = T(nl="Over te brengen", fr="À reporter")
    from_lab = T(nl="Transport", fr="Report")
    font = rng.choice(["DejaVuSansCondensed", "LiberationSansNarrow"])

    def make(out, tmp):
        p = Pen(out, font, "Factuur")
        run = D(0)
        cols = [(14, "l", T(nl="Art.nr.", fr="Réf.")), (30, "l", T(nl="Omschrijving", fr="Désignation")), (128, "r", T(nl="Aantal", fr="Qté")),
                (150, "r", T(nl="Prijs", fr="Prix")), (163, "r", T(nl="Btw", fr="TVA")), (196, "r", T(nl="Bedrag", fr="Montant"))]
        for pi, chunk in enumerate(chunks):
            if pi == 0:
                p.t(14, 20, s.name, 15, True, color="#7a1f1f")
                p.lines(14, 26, s.addr() + [f"{T(nl='Tel.', fr='Tél.')} {s.phone}", f"{T(nl='BTW', fr='TVA')} {s.vat_str(1 if cc == 'BE' else 0)}"], 8)
                p.lines(118, 30, [b.name] + b.addr() + [f"{T(nl='BTW', fr='TVA')} {b.vat_str(0)}"], 9.5)
                p.t(14, 58, T(nl="FACTUUR", fr="FACTURE") + f"  {num}", 13, True)
                kv = [(T(nl="Factuurdatum", fr="Date de facture"), f.d(issue)), (T(nl="Vervaldatum", fr="Échéance"), f.d(due)),
                      (T(nl="Klantnr.", fr="N° client"), str(rng.randint(10000, 39999))), (T(nl="Leveringsbon", fr="Bon de livraison"), f"LB{digs(rng, 6)}")]
                x = 14
                for a, v in kv:
                    p.t(x, 64, a, 7.5, True)
                    p.t(x, 68, v, 8.5)
                    x += 45
                y = 76
            else:
                p.t(14, 16, f"{s.name} – {T(nl='Factuur', fr='Facture')} {num} – {f.d(issue)}", 8.5, True)
                y = 24
            p.t(196, 16 if pi else 58, T(nl=f"Blad {pi + 1}/{npages}", fr=f"Page {pi + 1}/{npages}"), 8, a="r")
            for x, a, hd in cols:
                p.t(x, y, hd, 7.8, True, a)
            p.line(14, y + 1.3, 196, y + 1.3, 0.6, "#333333")
            y += 5
            if pi > 0:
                p.t(30, y, from_lab, 8, True)
                p.t(196, y, f.n(run), 8, True, "r")
                y += 4.2
            for it in chunk:
                for (x, a, _), v in zip(cols, [it.code, it.desc, f.qty(it.qty), f.n(it.unit), f.p(it.rate), f.n(it.amount)]):
                    p.t(x, y, v, 7.8, a=a)
                run += it.amount
                y += 4.2
            if pi < npages - 1:
                p.line(150, y - 2.5, 196, y - 2.5, 0.4)
                p.t(30, y + 1, carry_lab, 8, True)
                p.t(196, y + 1, f.n(run), 8, True, "r")
                p.t(105, 290, T(nl="Vervolg op volgend blad", fr="Suite page suivante"), 7, a="c", color="#777777")
                p.page()
                continue
            p.line(14, y - 2.5, 196, y - 2.5, 0.4)
            y += 4
            p.t(14, y, T(nl="Btw", fr="TVA"), 8, True)
            p.t(50, y, T(nl="Grondslag", fr="Base"), 8, True, "r")
            p.t(76, y, T(nl="Btw-bedrag", fr="Montant TVA"), 8, True, "r")
            yy = y + 4.3
            for r, base, v in tot["rows"]:
                p.t(14, yy, f.p(r), 8)
                p.t(50, yy, f.n(base), 8, a="r")
                p.t(76, yy, f.n(v), 8, a="r")
                yy += 4
            ty = y
            for lab, v, bo in [(T(nl="Totaal excl. btw", fr="Total HTVA"), tot["sub"], False), (T(nl="Totaal btw", fr="Total TVA"), tot["vat"], False),
                               (T(nl="Totaal te betalen EUR", fr="Total à payer EUR"), tot["total"], True)]:
                p.t(130, ty, lab, 9, bo)
                p.t(196, ty, f.n(v), 9, bo, "r")
                ty += 5
            y = max(yy, ty) + 6
            p.para(14, y, T(nl=f"Betaling vóór {f.d(due)} op {iban_sp(s.iban)} (BIC {s.bic}) met vermelding van {ref}. Leeggoed wordt niet aan btw onderworpen.",
                            fr=f"Paiement avant le {f.d(due)} sur {iban_sp(s.iban)} (BIC {s.bic}) avec la communication {ref}. Les vidanges ne sont pas soumises à la TVA."), 8, 182)
            p.t(105, 290, f"{s.name} · {s.vat_str(0)} · IBAN {iban_sp(s.iban)}", 7, a="c", color="#777777")
        p.save()

    t = truth(num, issue, tot, s, b, due=due, amount_due=tot["total"], iban=s.iban, lines=len(items))
    return "reportlab", make, t, own_of(b), {"language": lang, "country": cc, "pages": npages}


# =============================================================================================
# 23. A bilingual Brussels invoice: every label "Dutch / French" (FACTUUR / FACTURE, Vervaldag /
#     Échéance, Te betalen / À payer), street names in both languages, "RPR Brussel / RPM
#     Bruxelles", amounts "1.234,56 €", dd/mm/yyyy (WeasyPrint).

def s_brussels(rng, k):
    cc = "BE"
    lang = rng.choice(["nl", "fr"])  # the language the descriptions are written in
    trade = trade_for(rng)
    first = rng.choice(["nl", "fr"])
    s = make_seller(rng, cc, trade, lang, region="bxl")
    b = make_buyer(rng, cc, lang, region="bxl")
    credit = rng.random() < 0.1
    items = pick_items(rng, cc, trade, lang, rng.randint(1, 6))
    tot = totals(items)
    issue = rand_issue(rng)
    terms = rng.choice([15, 30, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["ydash4", "yslash", "f"]))
    f = F(lang, grp=".", cur="post", sp=" ", dstyle="slash")
    sg = -1 if credit else 1
    og = ogm_plain(rng)

    def bi(nl, fr):
        return f"{nl} / {fr}" if first == "nl" else f"{fr} / {nl}"

    def addr2(p):
        if first == "nl":
            return [f"{p.street} – {p.street_fr}", f"{p.pc} {p.city} – {p.city_fr}"]
        return [f"{p.street_fr} – {p.street}", f"{p.pc} {p.city_fr} – {p.city}"]

    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty)}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(sg * it.amount)}</td></tr>" for it in items)
    vr = "".join(f"<tr><td>{bi('Btw', 'TVA')} {f.p(r)}</td><td class=r>{f.m(sg * base)}</td><td class=r>{f.m(sg * v)}</td></tr>" for r, base, v in tot["rows"])
    title = bi("CREDITNOTA", "NOTE DE CRÉDIT") if credit else bi("FACTUUR", "FACTURE")
    due_row = "" if credit else f"<tr><td class=k>{bi('Vervaldag', 'Échéance')}</td><td>{f.d(due)}</td></tr>"
    pay = "" if credit else (f"<div class=pay><b>{bi('Betaling', 'Paiement')}</b><br>{bi('Te betalen vóór', 'À payer avant le')} {f.d(due)}<br>"
                             f"IBAN {iban_sp(s.iban)} – BIC {s.bic}<br>{bi('Gestructureerde mededeling', 'Communication structurée')}: {ogm_fmt(og)}</div>")
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(num)}</title><style>
@page {{ size: A4; margin: 14mm 15mm 20mm 15mm;
  @bottom-center {{ content: "{css(s.name)} – {bi('BTW', 'TVA')} {s.vat_str(1)} – RPR Brussel / RPM Bruxelles – {css(s.email)}"; font: 7pt 'Liberation Sans', sans-serif; color: #555; }} }}
body {{ font-family: 'Liberation Sans', Arial, sans-serif; font-size: 8.8pt; color: #111; }}
.hd {{ display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 2pt solid #003f7d; padding-bottom: 2mm; }}
.co {{ font-size: 15pt; font-weight: bold; color: #003f7d; }}
.t {{ font-size: 14pt; font-weight: bold; text-align: right; }}
.two {{ display: flex; justify-content: space-between; margin-top: 7mm; }}
.cl {{ width: 85mm; border: 0.7pt solid #003f7d; padding: 3mm; line-height: 1.45; }}
.lab {{ font-size: 7pt; color: #003f7d; text-transform: uppercase; }}
td.k {{ color: #444; padding-right: 5mm; }}
table.l {{ width: 100%; border-collapse: collapse; margin-top: 7mm; }}
table.l th {{ background: #003f7d; color: #fff; font-weight: normal; padding: 1.5mm; text-align: left; font-size: 7.8pt; }}
table.l td {{ padding: 1.5mm; border-bottom: 0.4pt solid #ccc; }}
.r {{ text-align: right !important; }}
.bot {{ display: flex; justify-content: space-between; margin-top: 5mm; }}
table.v th {{ font-weight: normal; color: #444; text-align: left; border-bottom: 0.6pt solid #003f7d; padding: 1mm 2mm 1mm 0; font-size: 7.8pt; }}
table.v td {{ padding: 1mm 2mm 1mm 0; }}
table.s {{ border-collapse: collapse; width: 82mm; }} table.s td {{ padding: 1.2mm 1mm; }}
.due td {{ font-weight: bold; font-size: 10pt; border-top: 1.2pt solid #003f7d; }}
.pay {{ margin-top: 8mm; background: #eef3f9; padding: 3mm; line-height: 1.5; }}
</style></head><body>
<div class=hd><div><div class=co>{esc(s.name)}</div>{h(chr(10).join(addr2(s)))}<br>Tel. {esc(s.phone)}</div><div class=t>{esc(title)}</div></div>
<div class=two><table>
<tr><td class=k>{bi('Factuurnummer', 'Numéro de facture') if not credit else bi('Nummer', 'Numéro')}</td><td><b>{esc(num)}</b></td></tr>
<tr><td class=k>{bi('Factuurdatum', 'Date de facture') if not credit else bi('Datum', 'Date')}</td><td>{f.d(issue)}</td></tr>{due_row}
<tr><td class=k>{bi('Klantnummer', 'N° client')}</td><td>{rng.randint(100, 9999)}</td></tr>
<tr><td class=k>{bi('Btw-nr. klant', 'N° TVA client')}</td><td>{esc(b.vat_str(1))}</td></tr></table>
<div class=cl><div class=lab>{bi('Klant', 'Client')}</div><b>{esc(b.name)}</b><br>{h(chr(10).join(addr2(b)))}</div></div>
<table class=l><thead><tr><th style="width:46%">{bi('Omschrijving', 'Description')}</th><th class=r>{bi('Aantal', 'Qté')}</th><th class=r>{bi('Eenheidsprijs', 'Prix unitaire')}</th><th class=r>{bi('Btw', 'TVA')}</th><th class=r>{bi('Bedrag', 'Montant')}</th></tr></thead><tbody>{rows}</tbody></table>
<div class=bot><table class=v><tr><th>{bi('Tarief', 'Taux')}</th><th class=r>{bi('Basis', 'Base')}</th><th class=r>{bi('Btw', 'TVA')}</th></tr>{vr}</table>
<table class=s><tr><td>{bi('Totaal excl. btw', 'Total HTVA')}</td><td class=r>{f.m(sg * tot['sub'])}</td></tr><tr><td>{bi('Btw', 'TVA')}</td><td class=r>{f.m(sg * tot['vat'])}</td></tr>
<tr class=due><td>{bi('Te betalen', 'À payer') if not credit else bi('Totaal', 'Total')}</td><td class=r>{f.m(sg * tot['total'])}</td></tr></table></div>
{pay}
</body></html>"""
    t = truth(num, issue, tot, s, b, "credit_note" if credit else "invoice", due=None if credit else due,
              amount_due=None if credit else tot["total"], iban=s.iban, lines=len(items))
    return "weasyprint", lambda out, tmp: render_weasy(doc, out, tmp), t, own_of(b), {"language": first + "/" + ("fr" if first == "nl" else "nl"), "country": cc}


# =============================================================================================
# 24. Deposit and final invoices: a "Voorschotfactuur" / "Facture d'acompte" of 30–50 % of a
#     quote (one line), or the final invoice ("Eindfactuur" / "Slotfactuur" / "Facture finale")
#     whose totals deduct the deposit already paid ("Reeds betaald voorschot (factuur … van …)"),
#     so the amount due differs from the total (Chromium).

def s_voorschot(rng, k):
    cc = rng.choice(["BE", "BE", "NL"])
    lang = "nl" if cc == "NL" else rng.choice(["nl", "nl", "fr"])
    trade = rng.choice(["it", "design", "bouw"])
    if trade == "bouw":
        s = Party(rng, cc, rng.choice(BOUW_SELLERS[lang]) if cc == "BE" else rng.choice(["Bouwbedrijf Hendriks B.V.", "Installatiebedrijf Dekker B.V."]), lang)
    else:
        s = make_seller(rng, cc, trade, lang)
    b = make_buyer(rng, cc, lang)
    T = lambda **kw: L(lang, **kw)  # noqa: E731
    li = 0 if lang == "nl" else 1
    if trade == "bouw":
        items = []
        for row in rng.sample(BOUW, rng.randint(2, 6)):
            qty = {"m²": D(rng.randint(60, 900)) / 10, "m": D(rng.randint(80, 600)) / 10, "uur": rng.choice([8, 16, 24]), "st": rng.choice([1, 2, 3]), "forfait": 1}[row[2]]
            items.append(Item(row[li], qty, amt(rng, row[3], row[4]), 21, row[2]))
    else:
        items = pick_items(rng, cc, trade, lang, rng.randint(2, 6))
        for it in items:
            it.rate = D(21)
    project = {"it": T(nl="Nieuwe website en webshop", fr="Nouveau site web et e-shop"), "design": T(nl="Huisstijl en verpakking", fr="Identité visuelle et emballage"),
               "bouw": rng.choice([T(nl="Renovatie kantoor", fr="Rénovation bureau"), T(nl="Verbouwing winkelruimte", fr="Transformation surface commerciale")])}[trade]
    issue = rand_issue(rng)
    quote = f"{T(nl='OF', fr='DEV')}-{issue.year}-{rng.randint(10, 250):03d}"
    quote_date = issue - timedelta(days=rng.randint(30, 120))
    pct = rng.choice([30, 30, 40, 50])
    deposit_kind = k % 4 in (0, 3)  # each half gets deposits and final invoices alike
    full = totals(items)
    f = F(lang, grp=".", cur="pre" if lang == "nl" else "post", sp=" ", dstyle=rng.choice(["slash" if cc == "BE" else "dash", "long"]))
    terms = rng.choice([8, 14, 30])
    due = issue + timedelta(days=terms)
    num = inv_number(rng, issue, rng.choice(["ydash4", "f", "yslash"]))
    og = ogm_fmt(ogm_plain(rng)) if cc == "BE" else None
    ref_line = (T(nl=f"Mededeling: {og}", fr=f"Communication : {og}") if og else f"Betalingskenmerk: {kenmerk(rng)}")
    if deposit_kind:
        base = q(full["sub"] * pct / 100)
        items_p = [Item(T(nl=f"Voorschot {pct}% volgens offerte {quote} van {f.d(quote_date)} – {project}",
                          fr=f"Acompte de {pct} % selon devis {quote} du {f.d(quote_date)} – {project}"), 1, base, 21)]
        tot = totals(items_p)
        title = T(nl="Voorschotfactuur", fr="Facture d'acompte")
        paid = D(0)
        dep_ref = ""
    else:
        items_p = items
        tot = full
        title = rng.choice([T(nl="Eindfactuur", fr="Facture finale"), T(nl="Slotfactuur", fr="Facture de solde"), T(nl="Factuur", fr="Facture")])
        paid = q(q(tot["sub"] * pct / 100) * D("1.21"))
        dep_date = quote_date + timedelta(days=rng.randint(3, 20))
        dep_ref = inv_number(rng, dep_date, "ydash4")
    rows = "".join(f"<tr><td>{esc(it.desc)}</td><td class=r>{f.qty(it.qty)}{' ' + it.uom if it.uom else ''}</td><td class=r>{f.m(it.unit)}</td><td class=r>{f.p(it.rate)}</td><td class=r>{f.m(it.amount)}</td></tr>" for it in items_p)
    trs = f"<tr><td>{T(nl='Totaal excl. btw', fr='Total HTVA')}</td><td class=r>{f.m(tot['sub'])}</td></tr>"
    trs += "".join(f"<tr><td>{T(nl='Btw', fr='TVA')} {f.p(r)}</td><td class=r>{f.m(v)}</td></tr>" for r, _, v in tot["rows"])
    trs += f"<tr class=b><td>{T(nl='Totaal incl. btw', fr='Total TVAC')}</td><td class=r>{f.m(tot['total'])}</td></tr>"
    due_amt = tot["total"] - paid
    if paid:
        trs += (f"<tr><td>{T(nl=f'Reeds betaald voorschot (factuur {dep_ref} van {f.d(dep_date)})', fr=f'Acompte déjà payé (facture {dep_ref} du {f.d(dep_date)})')}</td>"
                f"<td class=r>{f.m(-paid)}</td></tr>")
    trs += f"<tr class=due><td>{T(nl='Saldo te betalen' if paid else 'Te betalen', fr='Solde à payer' if paid else 'À payer')}</td><td class=r>{f.m(due_amt)}</td></tr>"
    intro = (T(nl=f"Conform onze offerte {quote} van {f.d(quote_date)} factureren wij u een voorschot van {pct}% voor het project “{project}”.",
               fr=f"Conformément à notre devis {quote} du {f.d(quote_date)}, nous vous facturons un acompte de {pct} % pour le projet « {project} ».")
             if deposit_kind else
             T(nl=f"Project: {project} – offerte {quote}. Werken opgeleverd op {f.d(issue - timedelta(days=rng.randint(1, 10)))}.",
               fr=f"Projet : {project} – devis {quote}. Travaux réceptionnés le {f.d(issue - timedelta(days=rng.randint(1, 10)))}."))
    reg = f"KvK {s.kvk}" if s.kvk else f"{T(nl='Ondernemingsnr.', fr='N° entreprise')} {be_dotted(s.number)}"
    doc = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)} {esc(num)}</title><style>
@page {{ size: A4; margin: 16mm 16mm 18mm 16mm; }}
body {{ font-family: 'Nimbus Sans', Helvetica, sans-serif; font-size: 9pt; color: #222; }}
.hd {{ display: grid; grid-template-columns: 1fr 1fr; }}
.co {{ font-size: 16pt; font-weight: bold; color: #2d6a4f; }}
.sm {{ font-size: 8pt; color: #555; line-height: 1.45; }}
.to {{ margin-top: 14mm; line-height: 1.5; }}
h1 {{ font-size: 17pt; color: #2d6a4f; margin: 10mm 0 2mm 0; }}
.meta {{ display: flex; gap: 12mm; margin-bottom: 5mm; }} .meta span {{ display: block; font-size: 7.5pt; color: #777; }}
.intro {{ margin: 3mm 0 5mm 0; }}
table.l {{ width: 100%; border-collapse: collapse; }} table.l th {{ text-align: left; border-bottom: 1.2pt solid #2d6a4f; padding: 1.5mm 1mm; }}
table.l td {{ padding: 1.8mm 1mm; border-bottom: 0.4pt solid #ddd; }} .r {{ text-align: right !important; white-space: nowrap; }}
table.t {{ width: 105mm; margin: 5mm 0 0 auto; border-collapse: collapse; }} table.t td {{ padding: 1.3mm 1mm; }}
tr.b td {{ font-weight: bold; border-top: 0.8pt solid #222; }}
tr.due td {{ font-weight: bold; font-size: 11pt; background: #d8f3dc; }}
.pay {{ margin-top: 9mm; line-height: 1.55; }}
.foot {{ position: fixed; bottom: 0; left: 0; right: 0; font-size: 7.2pt; color: #777; text-align: center; }}
</style></head><body>
<div class=hd><div><div class=co>{esc(s.name)}</div><div class=sm>{h(chr(10).join(s.addr()))}<br>{esc(s.phone)} · {esc(s.email)}</div></div>
<div class=to><b>{esc(b.name)}</b><br>{h(chr(10).join(b.addr()))}<br>{T(nl='Btw', fr='TVA')} {esc(b.vat_str(1 if cc == 'BE' else 0))}</div></div>
<h1>{esc(title)}</h1>
<div class=meta><div><span>{T(nl='Factuurnummer', fr='Numéro de facture')}</span><b>{esc(num)}</b></div><div><span>{T(nl='Factuurdatum', fr='Date de facture')}</span>{f.d(issue)}</div>
<div><span>{T(nl='Vervaldatum', fr="Date d'échéance")}</span>{f.d(due)}</div><div><span>{T(nl='Offerte', fr='Devis')}</span>{quote}</div></div>
<div class=intro>{esc(intro)}</div>
<table class=l><thead><tr><th style="width:50%">{T(nl='Omschrijving', fr='Description')}</th><th class=r>{T(nl='Aantal', fr='Quantité')}</th><th class=r>{T(nl='Eenheidsprijs', fr='Prix unitaire')}</th><th class=r>{T(nl='Btw', fr='TVA')}</th><th class=r>{T(nl='Totaal', fr='Total')}</th></tr></thead><tbody>{rows}</tbody></table>
<table class=t>{trs}</table>
<div class=pay>{T(nl=f'Gelieve {f.m(due_amt)} te betalen vóór {f.d(due)} op rekening {iban_sp(s.iban)} (BIC {s.bic}).', fr=f'Merci de payer {f.m(due_amt)} avant le {f.d(due)} sur le compte {iban_sp(s.iban)} (BIC {s.bic}).')}<br>{esc(ref_line)}</div>
<div class=foot>{esc(s.name)} · {T(nl='BTW', fr='TVA')} {s.vat_str(1 if cc == 'BE' else 0)} · {reg} · IBAN {iban_sp(s.iban)}</div>
</body></html>"""
    t = truth(num, issue, tot, s, b, due=due, amount_due=due_amt, iban=s.iban, lines=len(items_p))
    return "chromium", lambda out, tmp: render_chromium(doc, out, tmp), t, own_of(b), \
        {"language": lang, "country": cc, "variant": "deposit" if deposit_kind else "final"}


# ---------------------------------------------------------------------------------------------

STYLES = {
    "exact": s_exact, "teamleader": s_teamleader, "billit": s_billit, "yuki": s_yuki, "octopus": s_octopus, "winbooks": s_winbooks,
    "accountable": s_accountable, "jortt": s_jortt, "eboekhouden": s_eboekhouden, "snelstart": s_snelstart, "rompslomp": s_rompslomp,
    "twinfield": s_twinfield, "visma": s_visma, "tiime": s_tiime, "mollie": s_mollie, "word": s_word, "sheet": s_sheet, "kor": s_kor,
    "bouw": s_bouw, "art56bis": s_art56bis, "creditnota": s_creditnota, "transport": s_transport, "brussels": s_brussels, "voorschot": s_voorschot,
}


def generate_corpus(styles, default_seed, name, description):
    """The command line of a corpus of vendor styles (`OUT [--count N] [--seed S] [--styles a,b]`):
    each style renders `--count` documents, even instances tuning and odd ones held out, into
    OUT with `manifest.json` and `by-renderer/manifest.json`. saas.py uses it too."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=4, help="documents per style")
    ap.add_argument("--seed", type=int, default=default_seed)
    ap.add_argument("--styles", default=",".join(styles))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix=f"billify-{name}-")
    try:
        for style in args.styles.split(","):
            if style not in styles:
                sys.exit(f"unknown style {style}; known: {', '.join(styles)}")
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{style}-{k}".encode()).hexdigest())
                renderer, make, truth_, own, meta = styles[style](rng, k)
                os.makedirs(os.path.join(args.out, renderer), exist_ok=True)
                rel = f"{renderer}/{style}-{k:02d}.pdf"
                make(os.path.join(args.out, rel), tmp)
                manifest.append(dict(path=rel, producer=style, family=style, renderer=renderer, split="tune" if k % 2 == 0 else "heldout",
                                     own=own, truth=truth_, **meta))
                print(f"{rel} {meta}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    os.makedirs(os.path.join(args.out, "by-renderer"), exist_ok=True)
    by_renderer = [dict(m, path="../" + m["path"], producer=m["renderer"]) for m in manifest]
    with open(os.path.join(args.out, "by-renderer", "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(by_renderer, f, indent=1, ensure_ascii=False)


def main():
    generate_corpus(STYLES, 170, "benelux", __doc__.split("\n")[0])


if __name__ == "__main__":
    main()
