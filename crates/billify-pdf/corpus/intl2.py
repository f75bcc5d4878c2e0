#!/usr/bin/env python3
"""Invoices a Belgian or Dutch small business receives from suppliers in ten more European countries.

The companion of ``intl.py`` (whose identifiers, producers, layouts and split scheme it reuses) for
Finland, Hungary, Romania, Slovakia, Slovenia, Croatia, the Baltic states and Norway, plus bilingual
(local language / English) invoices from any of them. Each document is written in the supplier's
language and conventions (labels, tax identifiers, number and date formats, currencies, local extras
such as the Finnish viitenumero, the Slovak variabilný symbol, the Croatian poziv na broj or the
Norwegian KID). The reading organisation (``own``) is always the Belgian or Dutch buyer.

Usage: ``intl2.py OUT [--count N] [--seed S] [--families fi,hu]``. Writes ``OUT/<family>-NN.pdf``,
``OUT/manifest.json`` (``producer`` = family) and ``OUT/by-renderer/manifest.json`` (``producer`` =
PDF producer). Instance ``k`` of a family is the same whatever ``--count`` is; even instances are
the tuning half, odd ones held out.
"""

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intl  # noqa: E402
from intl import (L as INTL_L, BUYERS, digits, fmt_num, fmt_qty, fmt_rate, iban_check, iban_print, money, q,  # noqa: E402
                  render_chromium, render_drawn, render_libreoffice, to_html, vat_be, vat_nl)

FAMILIES = ["fi", "hu", "ro", "sk", "si", "hr", "baltic", "no", "multi"]
PRODUCER_CYCLE = intl.PRODUCER_CYCLE


# ---------------------------------------------------------------------------------------------
# Identifiers with valid check digits: (VAT number or None, national identifiers).

def id_fi(rng):
    while True:
        body = digits(rng, 7, str(rng.randint(1, 3)))
        r = sum(int(c) * w for c, w in zip(body, [7, 9, 10, 5, 8, 4, 2])) % 11
        if r != 1:
            full = body + str(0 if r == 0 else 11 - r)
            return "FI" + full, dict(ytunnus=f"{full[:7]}-{full[7]}")


def id_hu(rng):
    body = digits(rng, 7, str(rng.randint(1, 2)))
    full = body + str((10 - sum(int(c) * w for c, w in zip(body, [9, 7, 3, 1, 9, 7, 3])) % 10) % 10)
    return "HU" + full, dict(adoszam=f"{full}-2-{rng.choice(['41', '42', '13', '09', '20'])}")


def id_ro(rng):
    body = digits(rng, rng.choice([7, 8]), str(rng.randint(1, 4)))
    key = "753217532"[-len(body):]
    r = sum(int(c) * int(w) for c, w in zip(body, key)) * 10 % 11
    full = body + str(0 if r == 10 else r)
    return "RO" + full, dict(cui=full, regcom=f"J{rng.choice(['40', '12', '22', '35'])}/{rng.randint(100, 9999)}/{rng.randint(2005, 2022)}")


def id_sk(rng):
    while True:
        n = int(str(rng.randint(1, 4)) + "0" + rng.choice("234789") + digits(rng, 7))
        n -= n % 11
        s = str(n)
        if len(s) == 10 and s[2] in "234789":
            break
    ico = digits(rng, 7, str(rng.randint(3, 5)))
    r = sum(int(c) * w for c, w in zip(ico, range(8, 1, -1))) % 11
    ico += str((11 - r) % 10)
    return "SK" + s, dict(dic=s, ico=ico)


def id_si(rng):
    while True:
        body = digits(rng, 7, str(rng.randint(1, 9)))
        r = 11 - sum(int(c) * w for c, w in zip(body, range(8, 1, -1))) % 11
        if r != 11:
            return "SI" + body + str(0 if r == 10 else r), dict(maticna=digits(rng, 7, str(rng.randint(1, 9))) + "000")


def mod11_10(body):
    p = 10
    for c in body:
        s = (int(c) + p) % 10 or 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


def id_hr(rng):
    body = digits(rng, 10, str(rng.randint(1, 9)))
    oib = body + mod11_10(body)
    return "HR" + oib, dict(oib=oib)


def id_lt(rng):
    while True:
        body = digits(rng, 7, "1") + "1"
        r = sum(int(c) * (1 + i % 9) for i, c in enumerate(body)) % 11
        if r == 10:
            r = sum(int(c) * (1 + (i + 2) % 9) for i, c in enumerate(body)) % 11
        if r != 10:
            return "LT" + body + str(r), dict(kodas="30" + digits(rng, 7))


def id_lv(rng):
    while True:
        body = "4000" + digits(rng, 6)
        s = sum(int(c) * w for c, w in zip(body, [9, 1, 4, 8, 3, 10, 2, 5, 7, 6]))
        d = (3 - s) % 11
        if d < 10:
            return "LV" + body + str(d), dict(regnr=body + str(d))


def id_ee(rng):
    body = "10" + digits(rng, 6)
    s = sum(int(c) * w for c, w in zip(body, [3, 7, 1, 3, 7, 1, 3, 7]))
    return "EE" + body + str((10 - s % 10) % 10), dict(regkood=rng.choice(["10", "11", "12", "14", "16"]) + digits(rng, 6))


def id_no(rng):
    while True:
        body = rng.choice("89") + digits(rng, 7)
        r = 11 - sum(int(c) * w for c, w in zip(body, [3, 2, 7, 6, 5, 4, 3, 2])) % 11
        if r != 10:
            return None, dict(orgnr=body + str(0 if r == 11 else r))


IBAN = {"FI": (14, 0), "HU": (24, 0), "RO": (16, 4), "SK": (20, 0), "SI": (15, 0), "HR": (17, 0), "LT": (16, 0), "LV": (13, 4),
        "EE": (16, 0), "NO": (11, 0)}


def make_iban(rng, cc):
    n, letters = IBAN[cc]
    bank = {"RO": ["BTRL", "RNCB", "INGB", "BRDE"], "LV": ["HABA", "UNLA", "RIKO"]}.get(cc)
    bban = (rng.choice(bank) if letters else "") + digits(rng, n)
    return cc + iban_check(cc, bban) + bban


def ref_fi(rng):
    body = digits(rng, rng.randint(5, 9), "1")
    s = sum(int(c) * [7, 3, 1][i % 3] for i, c in enumerate(reversed(body)))
    ref = body + str((10 - s % 10) % 10)
    return ref


def kid_no(rng):
    body = digits(rng, rng.choice([7, 9, 11]), "1")
    return body + intl.luhn_digit(body)


def ref_ee(rng):
    body = digits(rng, rng.randint(4, 8), "1")
    s = sum(int(c) * [7, 3, 1][i % 3] for i, c in enumerate(reversed(body)))
    return body + str((10 - s % 10) % 10)


# ---------------------------------------------------------------------------------------------
# Dates the local way.

MONTHS = {
    "fi": "tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta lokakuuta marraskuuta joulukuuta",
    "hu": "január február március április május június július augusztus szeptember október november december",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
    "sk": "januára februára marca apríla mája júna júla augusta septembra októbra novembra decembra",
    "sl": "januar februar marec april maj junij julij avgust september oktober november december",
    "hr": "siječnja veljače ožujka travnja svibnja lipnja srpnja kolovoza rujna listopada studenoga prosinca",
    "lt": "sausio vasario kovo balandžio gegužės birželio liepos rugpjūčio rugsėjo spalio lapkričio gruodžio",
    "lv": "janvāris februāris marts aprīlis maijs jūnijs jūlijs augusts septembris oktobris novembris decembris",
    "et": "jaanuar veebruar märts aprill mai juuni juuli august september oktoober november detsember",
    "nb": "januar februar mars april mai juni juli august september oktober november desember",
}


def fmt_date(d, style, lang):
    m = MONTHS[lang].split()[d.month - 1]
    return {
        "dm.y": f"{d.day}.{d.month}.{d.year}",
        "dmy.": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "dmy..": f"{d.day:02d}.{d.month:02d}.{d.year}.",
        "dm. y": f"{d.day}. {d.month}. {d.year}",
        "ymd.": f"{d.year}.{d.month:02d}.{d.day:02d}.",
        "ymd. ": f"{d.year}. {d.month:02d}. {d.day:02d}.",
        "iso": d.isoformat(),
        "dmy/": f"{d.day:02d}/{d.month:02d}/{d.year}",
        "long.": f"{d.day}. {m} {d.year}",
        "long": f"{d.day} {m} {d.year}",
        "hu_long": f"{d.year}. {m} {d.day}.",
        "lt_long": f"{d.year} m. {m} {d.day} d.",
        "lv_long": f"{d.year}. gada {d.day}. {m}",
    }[style]


# ---------------------------------------------------------------------------------------------
# Labels per language (the keys of intl.L, plus vat_sum).

def lab(title, credit, number, date_, due, terms, bill_to, seller, buyer_box, cust, order, desc, qty, price, vat_pct, amount,
        subtotal, vat, vat_sum, total, deposit, due_amount, bd, refund, corrects, thanks, page, pay, buyer_vat, rc):
    return dict(title=title, credit=credit, number=number, date=date_, due=due, terms=terms, bill_to=bill_to, seller=seller,
                buyer_box=buyer_box, cust=cust, order=order, desc=desc, qty=qty, price=price, vat_pct=vat_pct, amount=amount,
                subtotal=subtotal, vat=vat, vat_sum=vat_sum, total=total, deposit=deposit, due_amount=due_amount, bd=bd,
                refund=refund, corrects=corrects, thanks=thanks, page=page, pay=pay, buyer_vat=buyer_vat, rc=rc)


L = {
    "fi": lab("Lasku", "Hyvityslasku", "Laskun numero", "Laskun päivämäärä", "Eräpäivä", "Maksuehto: {n} pv netto", "Laskutusosoite",
              "Myyjä", "Ostaja", "Asiakasnumero", "Viitteenne", "Kuvaus", "Määrä", "À-hinta", "ALV %", "Veroton", "Veroton yhteensä",
              "ALV {r} %", "ALV yhteensä", "Yhteensä", "Ennakkomaksu", "Maksettava", ("ALV %", "Veroton", "Vero"), "Hyvitettävä",
              "Hyvitys laskuun {n} ({d})", "Kiitos tilauksestanne!", "Sivu 1/1", "Maksu tilisiirrolla", "ALV-tunniste",
              "Käännetty verovelvollisuus"),
    "hu": lab("Számla", "Helyesbítő számla", "Számla sorszáma", "Számla kelte", "Fizetési határidő", "Fizetési feltétel: átutalás, {n} nap",
              "Vevő", "Eladó", "Vevő", "Vevőkód", "Rendelésszám", "Megnevezés", "Mennyiség", "Nettó egységár", "ÁFA %", "Nettó érték",
              "Nettó összesen", "ÁFA {r}%", "ÁFA összesen", "Bruttó összesen", "Levont előleg", "Fizetendő", ("ÁFA-kulcs", "Nettó", "ÁFA"),
              "Visszatérítendő", "Helyesbítés a(z) {n} sz. számlához ({d})", "Köszönjük megrendelését!", "1/1. oldal",
              "Fizetési mód: átutalás", "Közösségi adószám", "Fordított adózás"),
    "ro": lab("Factură fiscală", "Factură de stornare", "Nr. factură", "Data emiterii", "Data scadenței", "Termen de plată: {n} zile",
              "Cumpărător", "Furnizor", "Cumpărător", "Cod client", "Comandă", "Denumirea produselor sau serviciilor", "Cant.",
              "Preț unitar (fără TVA)", "Cota TVA", "Valoare", "Total fără TVA", "TVA {r}%", "Total TVA", "Total factură", "Avans încasat",
              "Total de plată", ("Cota", "Baza de impozitare", "TVA"), "De restituit", "Stornare factura {n} din {d}", "Vă mulțumim!",
              "Pagina 1 din 1", "Modalitate de plată: ordin de plată", "Cod TVA", "Taxare inversă"),
    "sk": lab("Faktúra", "Dobropis", "Číslo faktúry", "Dátum vyhotovenia", "Dátum splatnosti", "Splatnosť: {n} dní", "Odberateľ",
              "Dodávateľ", "Odberateľ", "Číslo zákazníka", "Objednávka", "Popis", "Množstvo", "Jedn. cena", "DPH %", "Bez DPH",
              "Základ dane", "DPH {r} %", "DPH spolu", "Spolu", "Uhradené zálohy", "Suma na úhradu", ("Sadzba", "Základ dane", "DPH"),
              "Suma na vrátenie", "Opravná faktúra k faktúre {n} zo dňa {d}", "Ďakujeme za objednávku.", "Strana 1/1",
              "Forma úhrady: prevodným príkazom", "IČ DPH", "Prenesenie daňovej povinnosti"),
    "sl": lab("Račun", "Dobropis", "Račun št.", "Datum izdaje", "Rok plačila", "Plačilni pogoji: {n} dni", "Kupec", "Izdajatelj", "Kupec",
              "Šifra kupca", "Naročilo", "Opis", "Količina", "Cena", "DDV %", "Vrednost", "Skupaj brez DDV", "DDV {r} %", "Skupaj DDV",
              "Skupaj z DDV", "Predplačilo", "Za plačilo", ("Stopnja", "Osnova", "DDV"), "Za vračilo", "Dobropis k računu št. {n} z dne {d}",
              "Hvala za zaupanje.", "Stran 1/1", "Način plačila: nakazilo na TRR", "ID za DDV", "Obrnjena davčna obveznost"),
    "hr": lab("Račun", "Storno račun", "Račun br.", "Datum izdavanja", "Datum dospijeća", "Rok plaćanja: {n} dana", "Kupac", "Prodavatelj",
              "Kupac", "Šifra kupca", "Narudžba", "Opis", "Količina", "Jed. cijena", "PDV %", "Iznos", "Osnovica", "PDV {r}%", "Ukupno PDV",
              "Ukupno", "Predujam", "Za platiti", ("Stopa", "Osnovica", "PDV"), "Za povrat", "Storno računa br. {n} od {d}",
              "Zahvaljujemo na povjerenju.", "Stranica 1/1", "Način plaćanja: transakcijski račun", "PDV ID", "Prijenos porezne obveze"),
    "lt": lab("PVM sąskaita faktūra", "Kreditinė PVM sąskaita faktūra", "Nr.", "Išrašymo data", "Apmokėti iki", "Apmokėjimo terminas: {n} d.",
              "Pirkėjas", "Pardavėjas", "Pirkėjas", "Kliento kodas", "Užsakymas", "Pavadinimas", "Kiekis", "Kaina", "PVM %", "Suma",
              "Suma be PVM", "PVM {r} %", "PVM suma", "Iš viso", "Avansas", "Mokėti", ("Tarifas", "Apmokestinama vertė", "PVM"),
              "Grąžinti", "Koreguojama sąskaita {n}, {d}", "Dėkojame!", "Puslapis 1 iš 1", "Mokėjimas pavedimu", "PVM mokėtojo kodas",
              "Atvirkštinis apmokestinimas"),
    "lv": lab("Rēķins", "Kredītrēķins", "Rēķina Nr.", "Datums", "Apmaksāt līdz", "Apmaksas termiņš: {n} dienas", "Maksātājs", "Piegādātājs",
              "Saņēmējs", "Klienta Nr.", "Pasūtījums", "Nosaukums", "Daudz.", "Cena", "PVN %", "Summa", "Summa bez PVN", "PVN {r}%",
              "PVN kopā", "Kopā", "Avanss", "Kopā apmaksai", ("Likme", "Bāze", "PVN"), "Atmaksājams", "Kredītrēķins rēķinam {n} no {d}",
              "Paldies!", "Lapa 1 no 1", "Apmaksa ar pārskaitījumu", "PVN reģ. nr.", "Nodokļa apgrieztā maksāšana"),
    "et": lab("Arve", "Kreeditarve", "Arve nr", "Kuupäev", "Maksetähtaeg", "Maksetingimus: {n} päeva", "Maksja", "Müüja", "Ostja",
              "Kliendi nr", "Tellimus", "Kirjeldus", "Kogus", "Hind", "KM %", "Summa", "Summa käibemaksuta", "Käibemaks {r}%",
              "Käibemaks kokku", "Kokku", "Ettemaks", "Tasuda", ("Määr", "Maksustatav", "KM"), "Tagastada", "Kreeditarve arvele {n} ({d})",
              "Täname!", "Lk 1/1", "Tasumine pangaülekandega", "KMKR", "Pöördmaksustamine"),
    "nb": lab("Faktura", "Kreditnota", "Fakturanr.", "Fakturadato", "Forfallsdato", "Betalingsbetingelser: {n} dager netto", "Kunde",
              "Leverandør", "Kunde", "Kundenr.", "Deres ref.", "Beskrivelse", "Antall", "Enhetspris", "MVA %", "Beløp", "Sum eks. mva",
              "MVA {r} %", "Sum mva", "Sum inkl. mva", "Forskudd", "Å betale", ("Sats", "Grunnlag", "MVA"), "Til gode",
              "Kreditering av faktura {n} datert {d}", "Takk for handelen!", "Side 1 av 1", "Betales til konto", "MVA-nr.",
              "Omvendt avgiftsplikt"),
}
EN = dict(INTL_L["en"], buyer_box="Buyer", vat_sum="Total VAT", seller="Seller")


def bilingual(loc):
    out = {}
    for k, v in loc.items():
        e = EN.get(k)
        if isinstance(v, tuple):
            out[k] = tuple(f"{a} / {b}" for a, b in zip(v, e))
        elif k in ("corrects", "rc", "thanks", "terms", "page"):
            out[k] = f"{v} / {e}" if k in ("rc", "thanks") else v
        else:
            out[k] = f"{v} / {e}"
    return out


# ---------------------------------------------------------------------------------------------
# Countries.

COUNTRY = {
    "fi": dict(lang="fi", name="Suomi", en="Finland", rates=[25.5, 14, 10], cur=["EUR"], num=["space", "nbsp"], dates=["dm.y", "dmy."],
               ids=id_fi, iban="FI", phone=358, forms=["Oy", "Oy", "Oyj", "Ky"],
               cities=[("Mannerheimintie 12 B", "00100 Helsinki"), ("Hämeenkatu 25", "33200 Tampere"), ("Aurakatu 8", "20100 Turku")],
               stems=["Saimaan Puutyö", "Pohjolan Painotalo", "Kalevan Metalli", "Järvisuomen Ohjelmisto", "Lapin Villa"],
               items=["Konsultointi", "Rahti", "Mäntypöytä 180 cm", "Painotyöt A4", "Ohjelmistolisenssi", "Villahuopa"]),
    "hu": dict(lang="hu", name="Magyarország", en="Hungary", rates=[27, 18, 5], cur=["HUF", "HUF", "EUR"], num=["space", "nbsp", "dot"],
               dates=["ymd.", "ymd.", "ymd. ", "hu_long"], ids=id_hu, iban="HU", phone=36, forms=["Kft.", "Zrt.", "Bt."],
               cities=[("Andrássy út 52.", "1062 Budapest"), ("Kossuth Lajos u. 14.", "6720 Szeged"), ("Piac tér 3.", "4024 Debrecen")],
               stems=["Tisza Nyomda", "Balaton Bútor", "Mátra Gépgyártó", "Dunakanyar Szoftver", "Hortobágyi Textil"],
               items=["Tanácsadás", "Szállítási díj", "Tölgy asztal", "Nyomtatás A4 katalógus", "Szoftverlicenc", "Gyapjú takaró"]),
    "ro": dict(lang="ro", name="România", en="Romania", rates=[19, 9, 5], cur=["RON", "RON", "EUR"], num=["dot", "comma"], dates=["dmy.", "dmy/"],
               ids=id_ro, iban="RO", phone=40, forms=["S.R.L.", "S.A.", "SRL"],
               cities=[("Str. Victoriei nr. 45", "010061 București, Sector 1"), ("Bd. Eroilor nr. 12", "400129 Cluj-Napoca"), ("Str. Lăpușneanu nr. 7", "700057 Iași")],
               stems=["Carpați Tipografie", "Mobila Bihor", "Dunărea Logistic", "Softeh Timiș", "Țesătoria Argeș"],
               items=["Servicii de consultanță", "Transport", "Masă din stejar", "Tipărire cataloage", "Licență software", "Pătură din lână"]),
    "sk": dict(lang="sk", name="Slovensko", en="Slovakia", rates=[20, 10], cur=["EUR"], num=["space", "nbsp"], dates=["dmy.", "dm. y", "dm.y"],
               ids=id_sk, iban="SK", phone=421, forms=["s.r.o.", "a.s.", "spol. s r.o."],
               cities=[("Obchodná 22", "811 06 Bratislava"), ("Hlavná 41", "040 01 Košice"), ("Štúrova 9", "949 01 Nitra")],
               stems=["Tatry Tlač", "Drevovýroba Orava", "Strojáreň Považie", "Dunaj Softvér", "Šafránka Textil"],
               items=["Poradenské služby", "Doprava", "Dubový stôl", "Tlač katalógov", "Softvérová licencia", "Vlnená deka"]),
    "si": dict(lang="sl", name="Slovenija", en="Slovenia", rates=[22, 9.5], cur=["EUR"], num=["dot"], dates=["dmy.", "dm. y", "dm.y"],
               ids=id_si, iban="SI", phone=386, forms=["d.o.o.", "d.d.", "s.p."],
               cities=[("Slovenska cesta 54", "1000 Ljubljana"), ("Partizanska cesta 13", "2000 Maribor"), ("Prešernova ulica 6", "4000 Kranj")],
               stems=["Triglav Tisk", "Pohištvo Savinja", "Kovinarstvo Krka", "Soča Programska oprema", "Volna Bohinj"],
               items=["Svetovanje", "Prevoz", "Hrastova miza", "Tisk katalogov", "Licenca programske opreme", "Volnena odeja"]),
    "hr": dict(lang="hr", name="Hrvatska", en="Croatia", rates=[25, 13, 5], cur=["EUR"], num=["dot"], dates=["dmy..", "dmy.", "dm.y"],
               ids=id_hr, iban="HR", phone=385, forms=["d.o.o.", "d.d.", "j.d.o.o."],
               cities=[("Ilica 45", "10000 Zagreb"), ("Riva 16", "21000 Split"), ("Korzo 22", "51000 Rijeka")],
               stems=["Jadran Tisak", "Slavonija Drvo", "Kvarner Metal", "Dalmacija Softver", "Lika Vuna"],
               items=["Savjetovanje", "Prijevoz", "Hrastov stol", "Tisak kataloga", "Softverska licenca", "Vunena deka"]),
    "lt": dict(lang="lt", name="Lietuva", en="Lithuania", rates=[21, 9], cur=["EUR"], num=["space", "nbsp"], dates=["iso", "iso", "lt_long"],
               ids=id_lt, iban="LT", phone=370, forms=["UAB", "AB", "MB"], prefix_form=True,
               cities=[("Gedimino pr. 20", "LT-01103 Vilnius"), ("Laisvės al. 53", "LT-44309 Kaunas"), ("Tiltų g. 8", "LT-91246 Klaipėda")],
               stems=["Baltijos spauda", "Nemuno baldai", "Žalgirio metalas", "Vilniaus programinė įranga", "Aukštaitijos vilna"],
               items=["Konsultavimo paslaugos", "Transportas", "Ąžuolinis stalas", "Katalogų spausdinimas", "Programinės įrangos licencija", "Vilnonis pledas"]),
    "lv": dict(lang="lv", name="Latvija", en="Latvia", rates=[21, 12], cur=["EUR"], num=["space", "comma"], dates=["dmy.", "lv_long", "iso"],
               ids=id_lv, iban="LV", phone=371, forms=["SIA", "AS"], prefix_form=True,
               cities=[("Brīvības iela 68", "Rīga, LV-1011"), ("Lielā iela 15", "Jelgava, LV-3001"), ("Rīgas iela 4", "Daugavpils, LV-5401")],
               stems=["Daugavas Druka", "Kurzemes Mēbeles", "Gaujas Metāls", "Rīgas Programmatūra", "Vidzemes Vilna"],
               items=["Konsultāciju pakalpojumi", "Transports", "Ozolkoka galds", "Katalogu druka", "Programmatūras licence", "Vilnas pleds"]),
    "ee": dict(lang="et", name="Eesti", en="Estonia", rates=[22, 9], cur=["EUR"], num=["space", "nbsp"], dates=["dmy.", "dm.y"],
               ids=id_ee, iban="EE", phone=372, forms=["OÜ", "AS"],
               cities=[("Narva mnt 7", "10117 Tallinn"), ("Rüütli 11", "51007 Tartu"), ("Rüütli 40", "80010 Pärnu")],
               stems=["Toompea Trükk", "Saaremaa Mööbel", "Peipsi Metall", "Tallinna Tarkvara", "Hiiumaa Vill"],
               items=["Konsultatsioon", "Transport", "Tammepuust laud", "Kataloogide trükk", "Tarkvara litsents", "Villane pleed"]),
    "no": dict(lang="nb", name="Norge", en="Norway", rates=[25, 15, 12], cur=["NOK", "NOK", "EUR"], num=["space", "nbsp"], dates=["dmy.", "dm.y"],
               ids=id_no, iban="NO", phone=47, forms=["AS", "AS", "ASA", "DA"],
               cities=[("Karl Johans gate 22", "0159 Oslo"), ("Bryggen 15", "5003 Bergen"), ("Munkegata 20", "7011 Trondheim")],
               stems=["Fjordtrykk", "Nordmarka Møbler", "Vestland Mekaniske", "Oslo Programvare", "Lofoten Ull"],
               items=["Konsulenttjenester", "Frakt", "Eikebord 180 cm", "Trykking av kataloger", "Programvarelisens", "Ullpledd"]),
}
BALTIC = ["lt", "lv", "ee"]
BUYER_COUNTRY = {"fi": ("Belgia", "Alankomaat"), "hu": ("Belgium", "Hollandia"), "ro": ("Belgia", "Țările de Jos"), "sk": ("Belgicko", "Holandsko"),
                 "sl": ("Belgija", "Nizozemska"), "hr": ("Belgija", "Nizozemska"), "lt": ("Belgija", "Nyderlandai"), "lv": ("Beļģija", "Nīderlande"),
                 "et": ("Belgia", "Holland"), "nb": ("Belgia", "Nederland"), "en": ("Belgium", "Netherlands")}
SYM = {"EUR": ["€", "EUR"], "HUF": ["Ft", "HUF"], "RON": ["lei", "RON"], "NOK": ["kr", "NOK"]}


def seller_id_lines(country, vat, ids, rng, en):
    b = vat[2:] if vat else ""
    c = {
        "fi": lambda: [[f"Y-tunnus: {ids['ytunnus']}", f"ALV-tunniste: {vat}"], [f"Y-tunnus {ids['ytunnus']}", f"ALV-rek. {vat}"],
               [f"Y-tunnus / VAT: {ids['ytunnus']} / FI {b}"]],
        "hu": lambda: [[f"Adószám: {ids['adoszam']}", f"Közösségi adószám: {vat}"], [f"Adószám: {ids['adoszam']}  EU adószám: {vat}"],
               [f"Közösségi adószám: HU {b}", f"Cégjegyzékszám: 01-09-{digits(rng, 6)}"]],
        "ro": lambda: [[f"CUI: {vat}", f"Nr. Reg. Com.: {ids['regcom']}"], [f"Cod fiscal: RO {b}", f"Reg. Com.: {ids['regcom']}"],
               [f"CIF: {vat}"], [f"Nr. ord. reg. com.: {ids['regcom']}", f"Cod de înregistrare în scopuri de TVA: {vat}"]],
        "sk": lambda: [[f"IČO: {ids['ico']}", f"DIČ: {ids['dic']}", f"IČ DPH: {vat}"], [f"IČO: {ids['ico']}  DIČ: {ids['dic']}  IČ DPH: {vat}"]],
        "si": lambda: [[f"ID za DDV: {vat}", f"Matična številka: {ids['maticna']}"], [f"Identifikacijska številka za DDV: SI {b}"], [f"DDV ID: {vat}"]],
        "hr": lambda: [[f"OIB: {ids['oib']}"], [f"OIB: {ids['oib']}", f"PDV ID: {vat}"], [f"PDV ID broj: {vat}"]],
        "lt": lambda: [[f"Įmonės kodas: {ids['kodas']}", f"PVM mokėtojo kodas: {vat}"], [f"PVM kodas: {vat}"]],
        "lv": lambda: [[f"Reģ. nr. {ids['regnr']}", f"PVN reģ. nr. {vat}"], [f"PVN maksātāja Nr.: {vat}"]],
        "ee": lambda: [[f"Registrikood: {ids['regkood']}", f"KMKR: {vat}"], [f"Reg.kood {ids['regkood']}  KMKR nr {vat}"]],
        "no": lambda: [[f"Org.nr. {ids['orgnr'][:3]} {ids['orgnr'][3:6]} {ids['orgnr'][6:]} MVA"], [f"Foretaksregisteret NO {ids['orgnr']} MVA"],
               [f"Org.nr: {ids['orgnr']} MVA"]],
    }[country]()
    out = rng.choice(c)
    if en and vat and rng.random() < 0.5:
        out = out + [f"VAT No.: {vat}"]
    return out


def make_number(rng, country, d, credit):
    n = rng.randint(12, 2400)
    y, yy = d.year, d.strftime("%y")
    if country == "hr":
        return f"{n}-{rng.randint(1, 3)}-{rng.randint(1, 2)}" if not credit else f"{n}-1-1"
    if credit:
        return rng.choice({"fi": [f"{90000 + n}"], "hu": [f"SZT-{y}-{n:05d}", f"HSZ{y}/{n:04d}"], "ro": [f"STB{n:05d}", f"FS-{n:04d}"],
                           "sk": [f"{y}9{n:05d}", f"DB{y}{n:04d}"], "si": [f"{yy}-300-{n:06d}", f"D-{y}-{n}"],
                           "lt": [f"KR{n:06d}", f"PVMK-{n:05d}"], "lv": [f"KR-{y}/{n}"], "ee": [f"K{y}{n:04d}"], "no": [f"{80000 + n}"]}[country])
    return rng.choice({"fi": [f"{10000 + n}", f"{y}{n:04d}"], "hu": [f"{y}/{n:05d}", f"SZLA-{y}-{n:05d}", f"E-KFT-{y}-{n}"],
                       "ro": [f"BVX{n:05d}", f"CJ{n:06d}", f"FCT-{n:04d}"], "sk": [f"{y}0{n:05d}", f"FA{y}{n:04d}"],
                       "si": [f"{yy}-100-{n:06d}", f"{y}-{n:05d}"], "lt": [f"ABC{n:06d}", f"VLN-{n:05d}"],
                       "lv": [f"{y}/{n}", f"RK-{n:05d}"], "ee": [f"{y}{n:04d}", f"{n + 1000}"], "no": [f"{10000 + n}", f"{y}{n:04d}"]}[country])


def country_meta(rng, country, lang, issue, D, number):
    out = []
    if country == "hu":
        out.append(("Teljesítés dátuma", D(issue - timedelta(days=rng.choice([0, 0, 2])))))
    if country == "ro" and rng.random() < 0.5:
        out.append(("Seria", "".join(c for c in number if c.isalpha()) or "FCT"))
    if country == "sk":
        out.append(("Dátum dodania", D(issue - timedelta(days=rng.choice([0, 1, 3])))))
    if country == "si":
        out.append(("Datum opravljene storitve", D(issue - timedelta(days=rng.choice([0, 2])))))
    if country == "hr":
        out.append(("Vrijeme izdavanja", f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"))
        out.append(("Datum isporuke", D(issue)))
    return out


def local_extras(rng, country, lang, number, iban):
    """Payment references: (label, value) and notes."""
    if country == "fi":
        return [("Viitenumero", ref_fi(rng))]
    if country == "sk":
        return [("Variabilný symbol", "".join(c for c in number if c.isdigit())[-10:]), ("Konštantný symbol", "0308")]
    if country == "si":
        return [("Sklic", f"SI00 {digits(rng, 8)}")]
    if country == "hr":
        return [("Poziv na broj", f"HR00 {number}"), ("Model", "HR00")]
    if country == "no":
        return [("KID-nummer", kid_no(rng))]
    if country == "ee":
        return [("Viitenumber", ref_ee(rng))]
    if country == "ro":
        return [("Banca", rng.choice(["Banca Transilvania", "BRD - Groupe Société Générale", "ING Bank"]))]
    if country == "hu":
        return [("Bankszámlaszám", f"{iban[4:12]}-{iban[12:20]}-{iban[20:28]}")]
    return []


def footer_line(country, seller, rng):
    return {
        "fi": f"{seller['name']} · Kotipaikka {seller['city'].split()[-1]} · Y-tunnus {seller['ids'].get('ytunnus', '')}",
        "hu": f"Cégjegyzékszám: Cg. 01-09-{digits(rng, 6)} · Fővárosi Törvényszék Cégbírósága",
        "ro": f"Capital social: {rng.choice(['200', '1.000', '45.000'])} lei · Factura circulă fără semnătură și ștampilă conform art. 319 Cod fiscal",
        "sk": f"Spoločnosť je zapísaná v Obchodnom registri Okresného súdu Bratislava I, oddiel Sro, vložka č. {rng.randint(10000, 150000)}/B",
        "si": f"Družba je vpisana v sodni register pri Okrožnem sodišču v Ljubljani, osnovni kapital {rng.choice(['7.500,00', '25.000,00'])} EUR",
        "hr": f"Trgovački sud u Zagrebu, MBS {digits(rng, 9, '0')}, temeljni kapital {rng.choice(['2.500,00', '20.000,00'])} EUR uplaćen u cijelosti",
        "lt": f"Juridinių asmenų registras, įmonės kodas {seller['ids'].get('kodas', '')}",
        "lv": f"Reģistrēts Uzņēmumu reģistrā, reģ. nr. {seller['ids'].get('regnr', '')}",
        "ee": f"Registrikood {seller['ids'].get('regkood', '')} · Äriregister",
        "no": f"Foretaksregisteret · Org.nr. {seller['ids'].get('orgnr', '')} MVA",
    }[country]


def make_lines(rng, items, rates, n, second_rate, whole):
    lines = []
    for i in range(n):
        qty = Decimal(rng.choice([1, 1, 2, 3, 5, 10, 12, 24])) if rng.random() < 0.85 else Decimal(rng.choice(["2.5", "7.5", "16"]))
        price = Decimal(rng.randint(5, 900) * 100) if whole else q(Decimal(rng.randint(300, 90000)) / 100)
        rate = rates[1] if (second_rate and i % 2 == 1) else rates[0]
        net = q(qty * price)
        if whole:
            net = net.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        lines.append(dict(desc=rng.choice(items), qty=qty, price=price, rate=Decimal(str(rate)), net=net))
    return lines


def make_invoice(rng, fam, k):
    if fam == "baltic":
        country = BALTIC[k % 3]
    elif fam == "multi":
        country = rng.choice(["fi", "hu", "ro", "sk", "si", "hr", "lt", "lv", "ee", "no"])
    else:
        country = fam
    c = COUNTRY[country]
    lang = c["lang"]
    multi = fam == "multi"
    lb = bilingual(L[lang]) if multi else dict(L[lang])
    if country == "ro" and rng.random() < 0.4:
        lb["title"] = "Factură" + (" / Invoice" if multi else "")
    credit = k % 7 == 3
    cur = rng.choice(c["cur"])
    whole = cur == "HUF"
    numstyle = rng.choice(c["num"])
    datestyle = rng.choice(c["dates"])
    if multi and rng.random() < 0.3:
        datestyle = "iso"

    vat, ids = c["ids"](rng)
    stem = rng.choice(c["stems"])
    form = rng.choice(c["forms"])
    name = f"{form} {stem}" if c.get("prefix_form") and rng.random() < 0.7 else f"{stem} {form}"
    if country == "lt" and name.startswith(form):
        name = f"{form} „{stem}“" if rng.random() < 0.5 else name
    street, city = rng.choice(c["cities"])
    seller = dict(name=name, brand=stem.split()[0].upper(), street=street, city=city, vat=vat, ids=ids, iban=make_iban(rng, c["iban"]),
                  bic=rng.choice(["OKOY", "NDEA", "BTRL", "TATR", "LJBA", "ZABA", "HABA", "EEUH", "DNBA", "OTPV"]) + c["iban"] + rng.choice(["HH", "22", "2X", "BX"]),
                  phone=f"+{c['phone']} {digits(rng, 2)} {digits(rng, 3)} {digits(rng, 4)}", email=f"info@{intl.ascii_word(stem)}.example")
    bname, bstreet, bcity, bc = rng.choice(BUYERS)
    buyer = dict(name=bname, street=bstreet, city=bcity, cc=bc, vat=vat_be(rng) if bc == "BE" else vat_nl(rng))

    reverse = not credit and rng.random() < 0.2
    rates = c["rates"]
    if country == "ee":
        rates = [22, 9]
    second_rate = len(rates) > 1 and not reverse and rng.random() < 0.3
    lines = make_lines(rng, c["items"], rates, rng.randint(1, 6), second_rate, whole)
    if reverse:
        for ln in lines:
            ln["rate"] = Decimal(0)
    subtotal = sum((ln["net"] for ln in lines), Decimal(0))
    breakdown = []
    for r in sorted({ln["rate"] for ln in lines}, reverse=True):
        base = sum((ln["net"] for ln in lines if ln["rate"] == r), Decimal(0))
        v = q(base * r / 100)
        if whole:
            v = v.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        breakdown.append((r, base, v))
    vat_total = sum((b[2] for b in breakdown), Decimal(0))
    total = subtotal + vat_total
    deposit = Decimal(0)
    if not credit and rng.random() < 0.2:
        deposit = q(total * Decimal(rng.choice([20, 30, 50])) / 100).quantize(Decimal("1") if (whole or rng.random() < 0.5) else CENT2)
    due_amount = total - deposit

    issue = date(rng.choice([2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
    if country == "fi" and issue < date(2024, 9, 1):
        issue = issue.replace(year=2025)
    days = rng.choice([7, 14, 14, 30, 30, 45])
    due = issue + timedelta(days=days)
    due_mode = "none" if credit else rng.choice(["meta", "meta", "meta", "text", "terms"])
    number = make_number(rng, country, issue, credit)
    D = lambda d: fmt_date(d, datestyle, lang)  # noqa: E731
    sym = rng.choice(SYM[cur])
    decimals = not (whole and rng.random() < 0.6)
    sign = -1 if credit and rng.random() < 0.6 else 1

    def A(x, s=True):
        if not decimals:
            txt = fmt_num(x, numstyle)[:-3]
            return f"{txt} {sym}" if s else txt
        return money(x, numstyle, sym if s else "", prefix=(sym == "€" and numstyle == "comma"))

    doc = dict(fam=fam, country=country, lang=lang if not multi else "en", lab=lb, credit=credit)
    doc["title"] = lb["credit"] if credit else lb["title"]
    en_ids = multi
    sl = [seller["name"], seller["street"], seller["city"]]
    if multi or rng.random() < 0.4:
        sl.append(f"{c['name']} / {c['en']}" if multi else c["name"])
    sl += seller_id_lines(country, vat, ids, rng, en_ids)
    sl.append(f"Tel. {seller['phone']}")
    if rng.random() < 0.5:
        sl.append(seller["email"])
    doc["seller"] = sl
    doc["brand"] = seller["brand"]
    doc["buyer_label"] = lb["bill_to"]
    bcountry = BUYER_COUNTRY[lang][0 if bc == "BE" else 1]
    if multi:
        bcountry = f"{bcountry} / {BUYER_COUNTRY['en'][0 if bc == 'BE' else 1]}"
    bvat_label = rng.choice([lb["buyer_vat"], "VAT", "ALV-tunnus" if lang == "fi" else lb["buyer_vat"]])
    doc["buyer"] = [buyer["name"], buyer["street"], buyer["city"], bcountry, f"{bvat_label}: {buyer['vat']}"]

    meta = [(lb["number"], number), (lb["date"], D(issue))]
    meta += country_meta(rng, country, lang, issue, D, number)
    if rng.random() < 0.5:
        meta.append((lb["cust"], str(rng.randint(1000, 99999))))
    if rng.random() < 0.3:
        meta.append((lb["order"], f"PO-{rng.randint(1000, 9999)}"))
    if due_mode == "meta":
        meta.append((lb["due"], D(due)))
    extras = local_extras(rng, country, lang, number, seller["iban"])
    if extras and extras[0][0] in ("Viitenumero", "Variabilný symbol", "KID-nummer", "Viitenumber") and rng.random() < 0.5:
        meta.append(extras.pop(0))
    doc["meta"] = meta

    notes = []
    if credit:
        orig = issue - timedelta(days=rng.randint(10, 60))
        notes.append(lb["corrects"].format(n=make_number(rng, country, orig, False), d=D(orig)))
    if reverse:
        notes.append(lb["rc"] + (" – Art. 196 Directive 2006/112/EC" if country != "no" else ""))
    if cur == "EUR" and country in ("hu", "ro", "no") and vat_total:
        fx = {"hu": Decimal("395.12"), "ro": Decimal("4.9752"), "no": Decimal("11.6420")}[country]
        local = q(vat_total * fx)
        word = {"hu": ("Az ÁFA összege forintban", "Ft"), "ro": ("TVA în lei la cursul BNR", "lei"), "no": ("MVA i NOK", "kr")}[country]
        notes.append(f"{word[0]} ({str(fx).replace('.', ',')}): {fmt_num(local, numstyle)} {word[1]}")
    doc["notes"] = notes

    cols = [lb["desc"], lb["qty"], lb["price"], lb["vat_pct"], lb["amount"]]
    rows = []
    for ln in lines:
        rate = f"{fmt_rate(ln['rate'], numstyle)} %" if not reverse else rng.choice(["0 %", "AE", "—"])
        rows.append([ln["desc"], fmt_qty(ln["qty"], numstyle), A(sign * ln["price"], False), rate, A(sign * ln["net"], rng.random() < 0.2)])
    doc["cols"], doc["rows"] = cols, rows

    tot = [(lb["subtotal"], A(sign * subtotal))]
    for r, base, v in breakdown:
        tot.append((lb["vat"].format(r=fmt_rate(r, numstyle)), A(sign * v)))
    if len(breakdown) > 1 or rng.random() < 0.3:
        if len(breakdown) > 1:
            tot.append((lb["vat_sum"], A(sign * vat_total)))
        else:
            tot[-1] = (lb["vat_sum"] + f" ({fmt_rate(breakdown[0][0], numstyle)} %)", tot[-1][1])
    total_label = lb["total"]
    if country == "sk" and not deposit and rng.random() < 0.5:
        total_label = lb["due_amount"]
    tot.append((total_label, A(sign * total), "bold"))
    if deposit:
        tot.append((lb["deposit"], A(-deposit)))
    printed_due = bool(deposit or (not credit and rng.random() < 0.5))
    if total_label == lb["due_amount"]:
        printed_due = True
    elif printed_due:
        tot.append((lb["due_amount"] + (f" ({cur})" if rng.random() < 0.3 else ""), A(due_amount), "bold"))
    if credit and rng.random() < 0.4:
        tot.append((lb["refund"], A(total), "bold"))
        printed_due = True
    doc["totals"] = tot
    doc["breakdown"] = None
    if len(breakdown) > 1 or rng.random() < 0.35:
        doc["breakdown"] = dict(head=list(lb["bd"]) + ["Total" if lang not in ("hu", "fi") else {"hu": "Bruttó", "fi": "Verollinen"}[lang]],
                                rows=[[fmt_rate(r, numstyle) + " %", A(sign * b, False), A(sign * v, False), A(sign * (b + v), False)] for r, b, v in breakdown])

    pay = [lb["pay"]]
    iban_printed = True
    if country == "no" and rng.random() < 0.4:
        acct = digits(rng, 11)
        pay.append(f"Kontonr. {acct[:4]}.{acct[4:6]}.{acct[6:]}")
        iban_printed = rng.random() < 0.5
    if iban_printed:
        pay.append(f"IBAN: {iban_print(seller['iban']) if rng.random() < 0.7 else seller['iban']}")
        pay.append(f"BIC: {seller['bic']}")
    for k_, v_ in extras:
        pay.append(f"{k_}: {v_}")
    if due_mode == "text":
        pay.append({"fi": "Eräpäivä {d}, maksettava {a}", "hu": "Fizetési határidő: {d} – fizetendő {a}", "ro": "Vă rugăm să achitați {a} până la {d}",
                    "sk": "Splatné do {d}", "sl": "Rok plačila: {d}", "hr": "Molimo uplatite {a} do {d}", "lt": "Apmokėti iki {d}",
                    "lv": "Lūdzam apmaksāt līdz {d}", "et": "Palume tasuda hiljemalt {d}", "nb": "Betales innen {d}"}[lang].format(d=D(due), a=A(due_amount))
                   + (f" / Please pay by {D(due)}" if multi else ""))
    elif due_mode == "terms":
        pay.append(lb["terms"].format(n=days))
    doc["pay"] = pay
    doc["footer"] = [footer_line(country, seller, rng)]
    doc["thanks"] = lb["thanks"]
    doc["qr"] = None

    truth = dict(invoice_number=number, issue_date=issue.isoformat(), currency=cur, subtotal=str(q(subtotal)), vat_amount=str(q(vat_total)),
                 total=str(q(total)), seller_name=seller["name"], buyer_name=buyer["name"], kind="credit_note" if credit else "invoice",
                 lines=len(lines))
    if vat:
        truth["seller_vat"] = vat
    if due_mode in ("meta", "text"):
        truth["due_date"] = due.isoformat()
    if printed_due:
        truth["amount_due"] = str(q(due_amount))
    if iban_printed:
        truth["iban"] = seller["iban"]
    own = dict(names=[buyer["name"]], vat_numbers=[buyer["vat"]], ibans=[])
    return doc, truth, own


CENT2 = Decimal("0.01")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=12)
    ap.add_argument("--seed", type=int, default=150)
    ap.add_argument("--families", default=",".join(FAMILIES))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest = []
    tmp = tempfile.mkdtemp(prefix="billify-intl2-")
    try:
        for family in args.families.split(","):
            fi = FAMILIES.index(family)
            for k in range(args.count):
                rng = random.Random(hashlib.sha256(f"{args.seed}-{family}-{k}".encode()).hexdigest())
                doc, truth, own = make_invoice(rng, family, k)
                producer = PRODUCER_CYCLE[(k // 2 + fi) % len(PRODUCER_CYCLE)]
                layout = rng.choice(["letter", "boxed", "footer"])
                doc_id = f"{family}-{k:02d}"
                out = os.path.join(args.out, doc_id + ".pdf")
                if producer == "chromium":
                    render_chromium(to_html(doc, rng, layout), out, tmp)
                elif producer == "libreoffice":
                    render_libreoffice(to_html(doc, rng, layout), out, tmp)
                else:
                    render_drawn(doc, rng, layout, out, producer)
                split = "tune" if k % 2 == 0 else "heldout"
                manifest.append(dict(path=f"{doc_id}.pdf", producer=family, family=family, split=split, own=own, truth=truth,
                                     renderer=producer, layout=layout, language=doc["lang"] if family != "multi" else f"{COUNTRY[doc['country']]['lang']}+en",
                                     country=doc["country"]))
                print(f"{doc_id} {producer} {layout}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=False)
    os.makedirs(os.path.join(args.out, "by-renderer"), exist_ok=True)
    by_renderer = [dict(m, path="../" + m["path"], producer=m["renderer"]) for m in manifest]
    with open(os.path.join(args.out, "by-renderer", "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(by_renderer, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
