#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Independent evaluation data set for cross-border record linkage of returnees
(Central Asia: KZ, KG, TJ, TM, UZ).  Standard library only, fixed seed.

    python3 gen.py            # writes KZ.csv ... UZ.csv, truth.csv, family_truth.csv,
                              # lookalikes.csv, README.md next to this script
"""
import csv
import os
import re
import sys
from collections import Counter, defaultdict
import random

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from names import (ARABIC, KK_M, KK_F, KK_S, KY_M, KY_F, KY_S, TG_M, TG_F, TG_S, TK_M, TK_F, TK_S,
                   UZ_M, UZ_F, UZ_S, RU_M, RU_F, RU_S, TT_M, TT_F, TT_S, UG_M, UG_F, UG_S,
                   CE_M, CE_F, CE_S, AR_M, AR_S, PLACES, COUNTRY, CAMP_LOCALITIES)

SEED = 20240611
R = random.Random(SEED)
OUT = os.path.dirname(os.path.abspath(__file__))
NODES = ['KZ', 'KG', 'TJ', 'TM', 'UZ']
TARGET_PER_NODE = 400
FAMILIES = 170
NAMESAKES = 32
HEADER = ['record_id', 'given_name', 'family_name', 'patronymic', 'sex', 'date_of_birth',
          'place_of_birth', 'nationality', 'document_number', 'mother_given_name',
          'mother_family_name', 'locality']


def chance(p):
    return R.random() < p


def wchoice(items, weights):
    return R.choices(items, weights=weights, k=1)[0]


# ============================================================== name tokens
class Nm:
    """One name (given name or family name) in its two source spellings."""
    __slots__ = ('eth', 'nat', 'ru', 'concept', 'variants', 'tr')

    def __init__(self, eth, nat, ru, concept=None, variants=None, tr=None):
        self.eth, self.nat, self.ru, self.concept = eth, nat, ru, concept
        self.variants, self.tr = variants, tr   # only for Arab surnames

    def key(self):
        return self.eth + ':' + self.nat


def parse_table(eth, text):
    out = []
    for line in text.strip().splitlines():
        parts = line.strip().split('|')
        nat, ru = parts[0], parts[1]
        con = parts[2] if len(parts) > 2 and parts[2] else None
        out.append(Nm(eth, nat, ru, con))
    return out


def parse_ru(eth, text):
    out = []
    for item in text.split('|'):
        if ':' in item:
            n, c = item.split(':')
        else:
            n, c = item, None
        out.append(Nm(eth, n, n, c))
    return out


GIVEN = {
    'kk': (parse_table('kk', KK_M), parse_table('kk', KK_F)),
    'ky': (parse_table('ky', KY_M), parse_table('ky', KY_F)),
    'tg': (parse_table('tg', TG_M), parse_table('tg', TG_F)),
    'tk': (parse_table('tk', TK_M), parse_table('tk', TK_F)),
    'uz': (parse_table('uz', UZ_M), parse_table('uz', UZ_F)),
    'ru': (parse_ru('ru', RU_M), parse_ru('ru', RU_F)),
    'tt': (parse_ru('tt', TT_M), parse_ru('tt', TT_F)),
    'ug': (parse_ru('ug', UG_M), parse_ru('ug', UG_F)),
    'ce': (parse_ru('ce', CE_M), parse_ru('ce', CE_F)),
    'ar': (parse_table('ar', AR_M), []),
}
SURN = {
    'kk': parse_table('kk', KK_S), 'ky': parse_table('ky', KY_S), 'tk': parse_table('tk', TK_S),
    'uz': parse_table('uz', UZ_S), 'ru': parse_ru('ru', RU_S), 'tt': parse_ru('tt', TT_S),
    'ug': parse_ru('ug', UG_S), 'ce': parse_ru('ce', CE_S),
    'ar': [Nm('ar', a, b, None, c, d) for a, b, c, d in AR_S],
}
TG_SURN = [tuple(l.strip().split('|')) for l in TG_S.strip().splitlines()]


def pick_name(lst, arabic_share):
    """Zipf-like choice; arabic_share = probability of drawing an Arabic-origin name."""
    ar = [n for n in lst if n.concept]
    nat = [n for n in lst if not n.concept]
    pool = ar if (ar and (not nat or chance(arabic_share))) else nat
    w = [1.0 / (i + 1) ** 0.8 for i in range(len(pool))]
    return wchoice(pool, w)


def pick_surname(eth):
    lst = SURN[eth]
    w = [1.0 / (i + 1) ** 0.6 for i in range(len(lst))]
    return wchoice(lst, w)


# ============================================================== transliteration
CYR_VOW = set('аеёиоуыэюяәөұүіӣӯў')

T_ICAO = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                  ['a', 'b', 'v', 'g', 'd', 'e', 'e', 'zh', 'z', 'i', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                   's', 't', 'u', 'f', 'kh', 'ts', 'ch', 'sh', 'shch', 'ie', 'y', '', 'e', 'iu', 'ia']))
T_ICAO.update({'ә': 'a', 'ғ': 'g', 'қ': 'k', 'ң': 'n', 'ө': 'o', 'ұ': 'u', 'ү': 'u', 'һ': 'h', 'і': 'i',
               'ӣ': 'i', 'ӯ': 'u', 'ҳ': 'h', 'ҷ': 'dzh', 'ў': 'u', 'җ': 'dzh'})
T_ICAO_Y = dict(T_ICAO, **{'й': 'y', 'ю': 'yu', 'я': 'ya', 'ъ': ''})

T_BGN = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                 ['a', 'b', 'v', 'g', 'd', 'e', 'yo', 'zh', 'z', 'i', 'y', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                  's', 't', 'u', 'f', 'kh', 'ts', 'ch', 'sh', 'shch', '', 'y', '', 'e', 'yu', 'ya']))
T_BGN.update({'ә': 'a', 'ғ': 'g', 'қ': 'k', 'ң': 'ng', 'ө': 'o', 'ұ': 'u', 'ү': 'u', 'һ': 'h', 'і': 'i',
              'ӣ': 'i', 'ӯ': 'u', 'ҳ': 'h', 'ҷ': 'j', 'ў': 'u', 'җ': 'j'})

T_FR = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                ['a', 'b', 'v', 'g', 'd', 'e', 'io', 'j', 'z', 'i', 'ï', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                 's', 't', 'ou', 'f', 'kh', 'ts', 'tch', 'ch', 'chtch', '', 'y', '', 'e', 'iou', 'ia']))
T_FR.update({'ә': 'a', 'ғ': 'gh', 'қ': 'q', 'ң': 'n', 'ө': 'o', 'ұ': 'ou', 'ү': 'u', 'һ': 'h', 'і': 'i',
             'ӣ': 'i', 'ӯ': 'ou', 'ҳ': 'h', 'ҷ': 'dj', 'ў': 'ou', 'җ': 'dj'})

T_TR = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                ['a', 'b', 'v', 'g', 'd', 'e', 'yo', 'j', 'z', 'i', 'y', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                 's', 't', 'u', 'f', 'h', 'ts', 'ç', 'ş', 'şç', '', 'ı', '', 'e', 'yu', 'ya']))
T_TR.update({'ә': 'e', 'ғ': 'ğ', 'қ': 'k', 'ң': 'n', 'ө': 'ö', 'ұ': 'u', 'ү': 'ü', 'һ': 'h', 'і': 'i',
             'ӣ': 'i', 'ӯ': 'u', 'ҳ': 'h', 'ҷ': 'c', 'ў': 'u', 'җ': 'c'})

T_UZ = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                ['a', 'b', 'v', 'g', 'd', 'e', 'yo', 'j', 'z', 'i', 'y', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                 's', 't', 'u', 'f', 'x', 'ts', 'ch', 'sh', 'sh', 'ʼ', 'i', '', 'e', 'yu', 'ya']))
T_UZ.update({'ә': 'a', 'ғ': 'gʻ', 'қ': 'q', 'ң': 'ng', 'ө': 'oʻ', 'ұ': 'u', 'ү': 'u', 'һ': 'h', 'і': 'i',
             'ӣ': 'i', 'ӯ': 'oʻ', 'ҳ': 'h', 'ҷ': 'j', 'ў': 'oʻ', 'җ': 'j'})

T_TK = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                ['a', 'b', 'w', 'g', 'd', 'e', 'ýo', 'ž', 'z', 'i', 'ý', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                 's', 't', 'u', 'f', 'h', 's', 'ç', 'ş', 'şç', '', 'y', '', 'e', 'ýu', 'ýa']))
T_TK.update({'ә': 'ä', 'ғ': 'g', 'қ': 'k', 'ң': 'ň', 'ө': 'ö', 'ұ': 'u', 'ү': 'ü', 'һ': 'h', 'і': 'i',
             'ӣ': 'i', 'ӯ': 'u', 'ҳ': 'h', 'ҷ': 'j', 'ў': 'u', 'җ': 'j'})

T_TJ = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                ['a', 'b', 'v', 'g', 'd', 'e', 'yo', 'zh', 'z', 'i', 'y', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                 's', 't', 'u', 'f', 'kh', 'ts', 'ch', 'sh', 'sh', '', 'y', '', 'e', 'yu', 'ya']))
T_TJ.update({'ә': 'a', 'ғ': 'gh', 'қ': 'q', 'ң': 'ng', 'ө': 'o', 'ұ': 'u', 'ү': 'u', 'һ': 'h', 'і': 'i',
             'ӣ': 'i', 'ӯ': 'u', 'ҳ': 'h', 'ҷ': 'j', 'ў': 'u', 'җ': 'j'})

# Kazakh Latin, October 2017 decree (apostrophe alphabet)
T_KZ17 = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                  ['a', 'b', 'v', 'g', 'd', 'e', 'io', 'j', 'z', "i'", "i'", 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                   's', 't', "y'", 'f', 'h', 'ts', "c'", "s'", "s's'", '', 'y', '', 'e', 'iy', 'ia']))
T_KZ17.update({'ә': "a'", 'ғ': "g'", 'қ': 'q', 'ң': "n'", 'ө': "o'", 'ұ': 'u', 'ү': "u'", 'һ': 'h', 'і': 'i',
               'ӣ': "i'", 'ӯ': 'u', 'ҳ': 'h', 'ҷ': 'j', 'ў': 'u', 'җ': 'j'})
# Kazakh Latin, 2021 version (ä ğ q ñ ö ū ü ı ş ç; і -> ı, и/й -> i/İ, ы -> y)
T_KZ21 = dict(zip('абвгдеёжзийклмнопрстуфхцчшщъыьэюя',
                  ['a', 'b', 'v', 'g', 'd', 'e', 'io', 'j', 'z', 'i', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'r',
                   's', 't', 'u', 'f', 'h', 'ts', 'ç', 'ş', 'şş', '', 'y', '', 'e', 'iu', 'ia']))
T_KZ21.update({'ә': 'ä', 'ғ': 'ğ', 'қ': 'q', 'ң': 'ñ', 'ө': 'ö', 'ұ': 'ū', 'ү': 'ü', 'һ': 'h', 'і': 'ı',
               'ӣ': 'i', 'ӯ': 'ū', 'ҳ': 'h', 'ҷ': 'j', 'ў': 'u', 'җ': 'j'})

SCHEMES = {
    # table, value of е at word start/after vowel, replacement for the digraph дж
    'icao': (T_ICAO, None, None),
    'icao_y': (T_ICAO_Y, 'ye', None),
    'icao_kg_j': (T_ICAO_Y, 'e', 'j'),
    'bgn': (T_BGN, 'ye', 'dzh'),
    'fr': (T_FR, 'ie', 'dj'),
    'tr': (T_TR, 'ye', 'c'),
    'uz': (T_UZ, 'ye', 'j'),
    'tk': (T_TK, 'ýe', 'j'),
    'tj': (T_TJ, 'ye', 'j'),
    'kz17': (T_KZ17, None, None),
    'kz21': (T_KZ21, None, None),
}


def translit(s, scheme):
    table, e_init, dj = SCHEMES[scheme]
    low = s.lower()
    out = []
    prev = None
    i = 0
    while i < len(low):
        ch = low[i]
        if dj is not None and ch == 'д' and low[i + 1:i + 2] == 'ж':
            out.append(dj)
            prev = 'ж'
            i += 2
            continue
        if ch == 'е' and e_init and (prev is None or prev in CYR_VOW or prev in 'ьъ' or not prev.isalpha()):
            out.append(e_init)
        else:
            out.append(table.get(ch, ch))
        prev = ch
        i += 1
    return ''.join(out)


UZ_L2C = [('oʻ', 'ў'), ('gʻ', 'ғ'), ('sh', 'ш'), ('ch', 'ч'), ('yo', 'ё'), ('yu', 'ю'), ('ya', 'я'),
          ('ye', 'е'), ('ʼ', 'ъ')]
UZ_L2C_1 = dict(zip('abdefghijklmnopqrstuvxyz', 'абдефгҳижклмнопқрстувхйз'))


def uzlat2cyr(s):
    low = s.lower()
    out = []
    i = 0
    while i < len(low):
        for a, b in UZ_L2C:
            if low.startswith(a, i):
                out.append(b)
                i += len(a)
                break
        else:
            ch = low[i]
            if ch == 'e' and (i == 0 or not low[i - 1].isalpha()):
                out.append('э')
            else:
                out.append(UZ_L2C_1.get(ch, ch))
            i += 1
    return cap(''.join(out))


TK_FOLD = {'ç': 'ch', 'ä': 'a', 'ž': 'zh', 'ň': 'n', 'ö': 'o', 'ş': 'sh', 'ü': 'u', 'ý': 'y'}
TK2TR = {'ä': 'e', 'ž': 'j', 'ň': 'n', 'ý': 'y', 'w': 'v', 'y': 'ı'}


def charmap(s, m):
    return ''.join(m.get(c, c) for c in s.lower())


def fold_kk_to_ky(s):
    return ''.join({'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ұ': 'у', 'һ': 'х', 'і': 'и'}.get(c, c) for c in s.lower())


def cyr_fold_ru(s):
    m = {'ә': 'а', 'ғ': 'г', 'қ': 'к', 'ң': 'н', 'ө': 'о', 'ұ': 'у', 'ү': 'у', 'һ': 'х', 'і': 'и',
         'ӣ': 'и', 'ӯ': 'у', 'ҳ': 'х', 'ҷ': 'дж', 'ў': 'у', 'җ': 'дж'}
    return cap(''.join(m.get(c, c) for c in s.lower()))


PARTICLES = {'uulu', 'kyzy', 'kızı', "y'y'ly'", 'oʻgʻli', 'qizi', 'уулу', 'кызы', 'ўғли', 'қизи', 'ugli', 'ogli', 'bin', 'ibn'}


def cap(s, turkic_i=False):
    parts = re.split(r'([ \-])', s)
    res = []
    for w in parts:
        if w in (' ', '-') or not w:
            res.append(w)
            continue
        lw = w.lower().replace('i\u0307', 'i')    # 'İ'.lower() leaves a combining dot
        if lw in PARTICLES:
            res.append(lw)
            continue
        c = lw[0]
        if turkic_i and c == 'i':
            c = 'İ'
        elif turkic_i and c == 'ı':
            c = 'I'
        else:
            c = c.upper()
        res.append(c + lw[1:])
    return ''.join(res)


APOS = {'mod': 'ʻ', 'ascii': "'", 'grave': '`', 'rsq': '’', 'lsq': '‘', 'drop': ''}


def uz_apos(s, var):
    if var == 'rus':
        s = s.replace('oʻ', 'u').replace('Oʻ', 'U').replace('Oʻʻ', 'U')
        return s.replace('ʻ', '')
    return s.replace('ʻ', APOS[var])


# ============================================================== record context / rendering
NODE_STYLES = {
    'KZ': [('kk_cyr', .34), ('ru_cyr', .24), ('kz17', .04), ('kz21', .05), ('icao', .15), ('camp', .18)],
    'KG': [('ky_cyr', .42), ('ru_cyr', .22), ('icao', .18), ('camp', .18)],
    'TJ': [('tg_cyr', .42), ('ru_cyr', .22), ('tj_lat', .18), ('camp', .18)],
    'TM': [('tk_lat', .50), ('ru_cyr', .20), ('icao', .12), ('camp', .18)],
    'UZ': [('uz_lat', .36), ('uz_cyr', .14), ('ru_lat', .12), ('ru_cyr', .14), ('icao', .06), ('camp', .18)],
}
CYR_STYLES = {'kk_cyr', 'ky_cyr', 'tg_cyr', 'uz_cyr', 'ru_cyr'}
DATE_FMT = {'KZ': .5, 'KG': .35, 'TJ': .4, 'TM': .25, 'UZ': .55}   # share of ISO dates (rest DD.MM.YYYY)


class RC:
    """Per-record rendering context (one registrar, one source document)."""

    def __init__(self, node, style, person):
        self.node = node
        self.style = style
        self.cit = person.cit
        if style == 'camp':
            self.style = wchoice(['camp_en', 'camp_fr', 'camp_tr'], [.55, .15, .30])
        st = self.style
        self.upper = (st == 'icao' and chance(.7)) or (st == 'camp_en' and chance(.25)) or \
                     (st in ('ru_lat', 'tj_lat') and chance(.2))
        self.apos = wchoice(['mod', 'ascii', 'grave', 'rsq', 'lsq', 'drop', 'rus'],
                            [.30, .30, .08, .10, .06, .10, .06])
        self.yvar = chance(.5)       # ICAO Y-variant (Yerlan/YU/YA) vs strict (Erlan/IU/IA)
        self.jvar = chance(.4)       # Kyrgyz passports: J for Ж
        self.iso_date = chance(.75 if st.startswith('camp') else DATE_FMT[node])


def kk_form(nm):
    return nm.nat if nm.eth == 'kk' else nm.ru


def passport_latin(nm, cit, rc):
    if cit == 'KZ':
        return translit(kk_form(nm), 'icao_y' if rc.yvar else 'icao')
    if cit == 'KG':
        src = nm.nat if nm.eth == 'ky' else nm.ru
        return translit(src, 'icao_kg_j' if rc.jvar else ('icao_y' if rc.yvar else 'icao'))
    if cit == 'TJ':
        return translit(nm.nat if nm.eth == 'tg' else nm.ru, 'tj')
    if cit == 'TM':
        return charmap(nm.nat if nm.eth == 'tk' else translit(nm.ru, 'tk'), TK_FOLD)
    # UZ
    s = nm.nat if nm.eth == 'uz' else translit(nm.ru, 'uz')
    return s.replace('ʻ', "'" if chance(.5) else '').replace('ʼ', '')


def render_tok(nm, rc):
    """Render one name token in the record's script/convention."""
    st, eth = rc.style, nm.eth
    for suf, lat in ((' уулу', 'uulu'), (' кызы', 'kyzy')):
        # Kyrgyz "Asan uulu": the particle is copied as in the passport, not re-transliterated
        if nm.nat.endswith(suf) and st not in CYR_STYLES and st != 'ky_cyr':
            head = render_tok(Nm(eth, nm.nat[:-len(suf)], nm.ru[:-len(suf)], None), rc)
            if st == 'camp_tr' and lat == 'kyzy':
                lat = 'kızı'
            return head + ' ' + (lat.upper() if rc.upper else lat)
    con = ARABIC.get(nm.concept) if nm.concept else None
    turk = False
    if eth == 'ar' and nm.variants and st.startswith('camp'):
        if st == 'camp_tr':
            s = nm.tr
        else:
            s = R.choice(nm.variants)
    elif st == 'ru_cyr':
        s = nm.ru
    elif st == 'kk_cyr':
        s = nm.nat if eth == 'kk' else (nm.nat if eth == 'ky' and chance(.3) else nm.ru)
    elif st == 'ky_cyr':
        s = nm.nat if eth == 'ky' else (fold_kk_to_ky(nm.nat) if eth == 'kk' and chance(.4) else nm.ru)
    elif st == 'tg_cyr':
        if eth == 'tg':
            s = nm.nat
        elif eth == 'uz' and chance(.4):
            s = uzlat2cyr(nm.nat).replace('ў', 'ӯ')
        else:
            s = nm.ru
    elif st == 'uz_cyr':
        if eth == 'uz':
            s = uzlat2cyr(nm.nat)
        elif eth == 'tg' and chance(.5):
            s = nm.nat.replace('ӣ', 'и').replace('ӯ', 'ў').replace('ҷ', 'ж')
        else:
            s = nm.ru
    elif st == 'uz_lat':
        if eth == 'uz':
            s = nm.nat
        elif eth in ('kk', 'ky', 'tg') and chance(.5):
            s = translit(nm.nat, 'uz')
        else:
            s = translit(nm.ru, 'uz')
        s = uz_apos(cap(s), rc.apos)
    elif st == 'tk_lat':
        if eth == 'tk':
            s = nm.nat
        elif eth in ('kk', 'ky', 'tg') and chance(.3):
            s = translit(nm.nat, 'tk')
        else:
            s = translit(nm.ru, 'tk')
    elif st == 'ru_lat':
        s = translit(nm.ru, 'bgn')
    elif st == 'kz17':
        s = translit(kk_form(nm), 'kz17')
    elif st == 'kz21':
        s = translit(kk_form(nm), 'kz21')
        turk = True
    elif st == 'tj_lat':
        s = translit(nm.nat if eth == 'tg' else nm.ru, 'tj')
    elif st == 'icao':
        s = passport_latin(nm, rc.cit, rc)
    elif st in ('camp_en', 'camp_fr'):
        if con and chance(.85):
            s = R.choice(con[0]) if st == 'camp_en' else (con[1] if chance(.7) else R.choice(con[0]))
        elif eth == 'ar':
            s = nm.nat
        elif eth == 'uz' and chance(.5):
            s = uz_apos(nm.nat, 'drop')
        elif eth == 'tk' and chance(.5):
            s = charmap(nm.nat, TK_FOLD)
        else:
            s = translit(nm.ru, 'bgn' if st == 'camp_en' else 'fr')
    elif st == 'camp_tr':
        turk = True
        if con and chance(.85):
            s = con[2]
        elif eth == 'ar':
            s = nm.nat
        elif eth == 'tk':
            s = charmap(nm.nat, TK2TR)
        else:
            s = translit(nm.ru, 'tr')
    else:
        raise ValueError(st)
    s = cap(s, turkic_i=turk)
    if st == 'uz_lat':
        pass
    if rc.upper:
        s = s.upper()
    return s


def latin_of_cyr(s, rc):
    """A Cyrillic patronymic/compound string rendered in a Latin style of the record."""
    st = rc.style
    if st in CYR_STYLES:
        return s
    scheme = {'uz_lat': 'uz', 'tk_lat': 'tk', 'ru_lat': 'bgn', 'kz17': 'kz17', 'kz21': 'kz21',
              'tj_lat': 'tj', 'camp_en': 'bgn', 'camp_fr': 'fr', 'camp_tr': 'tr'}.get(st)
    if st == 'icao':
        scheme = {'KZ': 'icao_y' if rc.yvar else 'icao', 'KG': 'icao_y' if rc.yvar else 'icao',
                  'TJ': 'tj', 'TM': 'tk', 'UZ': 'uz'}[rc.cit]
    out = translit(s, scheme)
    if st == 'icao' and rc.cit == 'TM':
        out = charmap(out, TK_FOLD)
    if st == 'icao' and rc.cit == 'UZ':
        out = out.replace('ʻ', "'").replace('ʼ', '')
    out = cap(out, turkic_i=st in ('kz21', 'camp_tr'))
    if st == 'uz_lat':
        out = uz_apos(out, rc.apos)
    if rc.upper:
        out = out.upper()
    return out


# ---------------------------------------------------------------- surnames and patronymics
def fem(s):
    for e in ('ов', 'ев', 'ёв', 'ин', 'ын'):
        if s.endswith(e):
            return s + 'а'
    for e in ('ov', 'ev', 'ow', 'ew'):
        if s.endswith(e):
            return s + 'a'
    return s


def ru_patr(fr, sex):
    s = fr
    m = sex == 'M'
    if s.endswith('й') or s.endswith('ь'):
        return s[:-1] + ('евич' if m else 'евна')
    if s == 'Никита':
        return 'Никитич' if m else 'Никитична'
    if s[-1].lower() in 'аеиоуыэюяёӣ':
        return s + ('евич' if m else 'евна')
    return s + ('ович' if m else 'овна')


def sur_from_name(ru):
    if ru.endswith('й'):
        return ru[:-1] + 'ев'
    if ru[-1].lower() in 'аеиоуыэюя':
        return ru + 'ев'
    return ru + 'ов'


def tk_patr(fnat, sex):
    m = sex == 'M'
    if fnat[-1].lower() in 'aeiouyäöü':
        return fnat + ('ýewiç' if m else 'ýewna')
    if fnat.lower().endswith('rat'):
        fnat = fnat[:-1] + 'd'
    return fnat + ('owiç' if m else 'owna')


def family_token(p, rc, masc=False, for_mother=False):
    """Return the Nm of a person's family name as written on this record's source document."""
    sex = 'M' if masc else p.sex
    kind = p.fam_kind
    st = rc.style
    if kind == 'uulu':
        f = p.father
        if st == 'ru_cyr' and chance(.12):
            base_nat = base_ru = sur_from_name(f.ru)      # Soviet-style surname made from father's name
            if sex == 'F':
                base_nat = base_ru = fem(base_ru)
            return Nm('ky', base_nat, base_ru)
        suf = ' уулу' if sex == 'M' else ' кызы'
        return Nm('ky', f.nat + suf, f.ru + suf)
    if kind == 'uly':
        f = p.father
        if sex == 'M':
            return Nm('kk', f.nat + 'ұлы', f.ru + 'улы')
        return Nm('kk', f.nat + 'қызы', f.ru + 'кызы')
    if kind == 'tj':
        ov_tg, ov_ru, base = p.tj_sur
        new = False
        if p.tj_new:
            native = (rc.node == 'TJ' and st in ('tg_cyr', 'tj_lat')) or (st == 'icao' and p.cit == 'TJ')
            if native:
                new = chance(.92)
            elif st == 'ru_cyr':
                new = chance(.45)
            else:
                new = chance(.6)
        if new:
            suf_tg, suf_ru = {'zoda': ('зода', 'зода'), 'zod': ('зод', 'зод'), 'i': ('ӣ', 'и')}[p.tj_new]
            return Nm('tg', base + suf_tg, cyr_fold_ru(base) + suf_ru)
        if sex == 'F':
            return Nm('tg', fem(ov_tg), fem(ov_ru))
        return Nm('tg', ov_tg, ov_ru)
    if kind == 'arabdad':
        # child of a foreign (Arab) father: registered at home under the mother's surname,
        # camp lists use the father's name
        use_arab = chance(.75) if st.startswith('camp') else chance(.15)
        if use_arab:
            return p.fam_arab
        m = p.mother_ref
        tok = family_token(m, rc, masc=(sex == 'M'))
        return tok
    nm = p.fam
    if sex == 'F':
        return Nm(nm.eth, fem(nm.nat), fem(nm.ru))
    return nm


def render_patronymic(p, rc):
    f = p.father
    if f is None:
        return ''
    st = rc.style
    sex = p.sex
    if st.startswith('camp'):
        if chance(.55):
            return ''
        return render_tok(f, rc)          # camp lists record the father's name
    if chance(.10):
        return ''
    if p.fam_kind == 'uly' and chance(.7):
        return ''
    if p.fam_kind == 'uulu' and chance(.6):
        return ''
    rp = ru_patr(f.ru, sex)
    e = p.eth
    if st == 'ru_cyr':
        return rp
    if st == 'kk_cyr':
        if e == 'kk' and f.eth == 'kk' and p.fam_kind != 'uly' and chance(.4):
            return f.nat + ('ұлы' if sex == 'M' else 'қызы')
        return rp
    if st == 'ky_cyr':
        if e == 'ky' and f.eth == 'ky' and p.fam_kind != 'uulu' and chance(.4):
            return f.nat + (' уулу' if sex == 'M' else ' кызы')
        return rp
    if st == 'tg_cyr':
        if chance(.12):
            return ''
        return ru_patr(f.nat if f.eth == 'tg' else f.ru, sex)
    if st == 'uz_lat':
        if e == 'uz' and f.eth == 'uz' and chance(.6):
            return uz_apos(f.nat + (' oʻgʻli' if sex == 'M' else ' qizi'), rc.apos)
        return latin_of_cyr(rp, rc)
    if st == 'uz_cyr':
        if e == 'uz' and f.eth == 'uz' and chance(.5):
            return uzlat2cyr(f.nat) + (' ўғли' if sex == 'M' else ' қизи')
        return rp
    if st == 'tk_lat':
        if f.eth == 'tk':
            return tk_patr(f.nat, sex)
        return latin_of_cyr(rp, rc)
    if st == 'icao':
        if rc.cit == 'UZ' and e == 'uz' and f.eth == 'uz' and chance(.5):
            out = f.nat.replace('ʻ', "'") + (" O'G'LI" if sex == 'M' else ' QIZI')
            return out.upper() if rc.upper else out
        if rc.cit == 'TM' and f.eth == 'tk':
            out = cap(charmap(tk_patr(f.nat, sex), TK_FOLD))
            return out.upper() if rc.upper else out
        if rc.cit == 'TJ':
            return latin_of_cyr(ru_patr(f.nat if f.eth == 'tg' else f.ru, sex), rc)
        return latin_of_cyr(rp, rc)
    if st in ('kz17', 'kz21'):
        if e == 'kk' and f.eth == 'kk' and p.fam_kind != 'uly' and chance(.5):
            return latin_of_cyr(f.nat + ('ұлы' if sex == 'M' else 'қызы'), rc)
        return latin_of_cyr(rp, rc)
    if st == 'tj_lat':
        return latin_of_cyr(ru_patr(f.nat if f.eth == 'tg' else f.ru, sex), rc)
    return latin_of_cyr(rp, rc)


# ---------------------------------------------------------------- places, dates, documents, nationality
def render_place(pid, rc, born_year):
    c, ru, ru_old, en, kk, ky, tg, tk, uz, tr = PLACES[pid]
    st = rc.style
    city = c not in ('SY', 'IQ') and pid not in ('syria', 'iraq')
    if st == 'ru_cyr':
        s = ru_old if (ru_old and born_year < 1992 and chance(.45)) else ru
        if city and chance(.2):
            s = 'г. ' + s
    elif st == 'kk_cyr':
        s = kk if chance(.8) else ru
    elif st == 'ky_cyr':
        s = ky if chance(.8) else ru
    elif st == 'tg_cyr':
        s = tg if chance(.8) else ru
    elif st == 'uz_cyr':
        s = uzlat2cyr(uz) if chance(.8) else ru
    elif st == 'uz_lat':
        s = uz_apos(uz, rc.apos)
    elif st == 'tk_lat':
        s = tk
    elif st == 'ru_lat':
        s = cap(translit(ru, 'bgn'))
    elif st == 'kz17':
        s = cap(translit(kk, 'kz17'))
    elif st == 'kz21':
        s = cap(translit(kk, 'kz21'), turkic_i=True)
    elif st == 'tj_lat':
        s = cap(translit(tg, 'tj'))
    elif st == 'icao':
        s = en[0]
    elif st == 'camp_tr':
        s = tr
    else:
        s = R.choice(en)
    if chance(.06):
        cc = 'Syria' if c == 'SY' else ('Iraq' if c == 'IQ' else COUNTRY[c][2][0])
        if st in CYR_STYLES:
            cc = {'SY': 'Сирия', 'IQ': 'Ирак'}.get(c) or COUNTRY[c][3][0]
        if pid not in ('syria', 'iraq'):
            s = s + ', ' + cc
    if rc.upper:
        s = s.upper()
    return s


def fmt_date(y, m, d, rc):
    if rc.iso_date:
        return '%04d-%02d-%02d' % (y, m, d)
    return '%02d.%02d.%04d' % (d, m, y)


def render_dob(p, rc, lossy_ok=True):
    """Returns (text, kind)."""
    y, m, d = p.dob
    st = rc.style
    camp = st.startswith('camp')
    if p.is_child and p.camp_born:
        w = {'exact': 55, 'year': 17, 'ym': 4, 'empty': 8, 'jan1': 8, 'swap': 5, 'typo': 3}
    elif camp:
        w = {'exact': 62, 'year': 14, 'ym': 3, 'empty': 8, 'jan1': 5, 'swap': 5, 'typo': 3}
    else:
        w = {'exact': 84, 'year': 3, 'ym': 2, 'empty': 2, 'jan1': 2, 'swap': 4, 'typo': 3}
    if not lossy_ok:
        w = {'exact': 1}
    kind = wchoice(list(w), list(w.values()))
    if kind == 'swap' and (d > 12 or d == m):
        kind = 'exact'
    if kind == 'jan1' and (m, d) == (1, 1):
        kind = 'exact'
    if kind == 'exact':
        return fmt_date(y, m, d, rc), 'exact'
    if kind == 'year':
        return '%04d' % y, 'year'
    if kind == 'ym':
        return '%04d-%02d' % (y, m), 'ym'
    if kind == 'empty':
        return '', 'empty'
    if kind == 'jan1':
        return fmt_date(y, 1, 1, rc), 'jan1'
    if kind == 'swap':
        return fmt_date(y, d, m, rc), 'swap'
    # typo: one digit wrong (year +-1, or day digits transposed / off by one)
    t = R.choice(['y', 'd', 'dd'])
    if t == 'y':
        y2, m2, d2 = y + R.choice([-1, 1]), m, d
    elif t == 'dd' and d >= 10 and d % 10 != 0 and (d % 10) * 10 + d // 10 <= 28:
        y2, m2, d2 = y, m, (d % 10) * 10 + d // 10
    else:
        y2, m2, d2 = y, m, d + 1 if d < 28 else d - 1
    return fmt_date(y2, m2, d2, rc), 'typo'


LOOKALIKE_CYR = {'A': 'А', 'B': 'В', 'C': 'С', 'E': 'Е', 'H': 'Н', 'K': 'К', 'M': 'М', 'O': 'О',
                 'P': 'Р', 'T': 'Т', 'X': 'Х', 'I': 'І'}


def render_doc(doc, rc):
    """Returns (text, variant)."""
    m = re.match(r'^([A-Z]*)(\d+)$', doc)
    letters, digits = m.group(1), m.group(2)
    v = wchoice(['plain', 'space', 'space_digits', 'dash', 'lower', 'cyr', 'numsign'],
                [.62, .12, .06, .05, .05, .06, .04])
    if v == 'space':
        s = (letters + ' ' + digits) if letters else (digits[:3] + ' ' + digits[3:])
    elif v == 'space_digits':
        s = letters + digits[:len(digits) // 2] + ' ' + digits[len(digits) // 2:]
    elif v == 'dash':
        s = (letters + '-' + digits) if letters else (digits[:3] + '-' + digits[3:])
    elif v == 'lower':
        s = doc.lower()
        if not letters:
            s, v = doc, 'plain'
    elif v == 'cyr':
        if rc.style in CYR_STYLES and letters and all(c in LOOKALIKE_CYR for c in letters):
            s = ''.join(LOOKALIKE_CYR[c] for c in letters) + digits
        else:
            s, v = doc, 'plain'
    elif v == 'numsign':
        if rc.style in CYR_STYLES:
            s = '№ ' + doc
        else:
            s = 'No. ' + doc
    else:
        s = doc
    return s, v


def render_nat(cit, rc):
    if cit is None:
        return ''
    iso2, iso3, en, ru, nat = COUNTRY[cit]
    st = rc.style
    if st.startswith('camp'):
        return wchoice([R.choice(en), iso3, ''], [.55, .2, .25])
    if st in CYR_STYLES:
        return wchoice([ru[0], R.choice(ru), iso3, iso2, ''], [.45, .15, .2, .08, .12])
    return wchoice([en[0], iso3, iso2, ru[0], ''], [.35, .3, .15, .05, .15])


def render_locality(node, rc):
    if rc.style.startswith('camp') and chance(.6):
        return R.choice(CAMP_LOCALITIES)
    pid = R.choice([k for k, v in PLACES.items() if v[0] == node])
    return render_place(pid, rc, 2000)


def typo(s):
    idx = [i for i, c in enumerate(s) if c.isalpha()]
    if len(idx) < 4:
        return s
    i = R.choice(idx[1:])
    op = R.choice(['drop', 'double', 'swap', 'vowel'])
    if op == 'drop':
        return s[:i] + s[i + 1:]
    if op == 'double':
        return s[:i] + s[i] + s[i:]
    if op == 'swap':
        j = i + 1 if i + 1 < len(s) and s[i + 1].isalpha() else i - 1
        if j < 1:
            return s[:i] + s[i] + s[i:]
        a, b = min(i, j), max(i, j)
        return s[:a] + s[b] + s[a] + s[b + 1:]
    vm = {'a': 'o', 'o': 'a', 'e': 'i', 'i': 'e', 'u': 'o', 'а': 'о', 'о': 'а', 'е': 'и', 'и': 'е',
          'ы': 'и', 'у': 'ю'}
    c = s[i]
    lc = c.lower()
    if lc in vm:
        r = vm[lc]
        return s[:i] + (r.upper() if c.isupper() else r) + s[i + 1:]
    return s[:i] + s[i + 1:]


# ============================================================== persons
class Person:
    _n = 0

    def __init__(self, eth, cit, sex, dob):
        Person._n += 1
        self.pid = 'P%05d' % Person._n
        self.eth, self.cit, self.sex, self.dob = eth, cit, sex, dob
        self.given = None
        self.fam = None
        self.fam_kind = 'std'
        self.fam_arab = None
        self.tj_sur = None
        self.tj_new = None
        self.father = None
        self.place = None
        self.docs = []
        self.nodes = []
        self.is_child = False
        self.camp_born = False
        self.mother_ref = None      # Person (recorded or virtual) whose name is written in mother fields
        self.mother_pid = None      # if the mother is a recorded person
        self.role = 'single'
        self.lookalike_of = None
        self.virtual = False


ETH_BY_CIT = {
    'KZ': [('kk', 70), ('uz', 8), ('ru', 5), ('tt', 4), ('ug', 5), ('ce', 3), ('ky', 2), ('tg', 1)],
    'KG': [('ky', 74), ('uz', 15), ('ru', 3), ('ug', 2), ('tt', 2), ('kk', 2), ('tg', 2)],
    'TJ': [('tg', 84), ('uz', 13), ('ky', 1), ('ru', 1), ('tt', 1)],
    'TM': [('tk', 86), ('uz', 8), ('ru', 3), ('kk', 2), ('tt', 1)],
    'UZ': [('uz', 80), ('tg', 6), ('kk', 4), ('ru', 3), ('tt', 3), ('ky', 2), ('tk', 1), ('ug', 1)],
}
PLACES_BY_C = defaultdict(list)
for _k, _v in PLACES.items():
    if _k not in ('syria', 'iraq'):
        PLACES_BY_C[_v[0]].append(_k)
CAMP_PLACES = ['raqqa', 'raqqa', 'raqqa', 'deirezzor', 'mayadin', 'tabqa', 'baghuz', 'hasakah', 'alhol',
               'alhol', 'idlib', 'mosul', 'talafar']


def rand_date(y0, y1):
    y = R.randint(y0, y1)
    m = R.randint(1, 12)
    d = R.randint(1, 28 if m == 2 else (30 if m in (4, 6, 9, 11) else 31))
    return (y, m, d)


def new_doc(cit, issue_year=2015):
    if cit == 'KZ':
        if chance(.6):
            return 'N' + '%08d' % R.randint(0, 99999999)
        return '0' + '%08d' % R.randint(10000000, 99999999)
    if cit == 'KG':
        return R.choice(['AC', 'AC', 'ID', 'AN']) + '%07d' % R.randint(0, 9999999)
    if cit == 'TJ':
        if chance(.7):
            return '4' + '%08d' % R.randint(0, 99999999)
        return 'A' + '%07d' % R.randint(0, 9999999)
    if cit == 'TM':
        return R.choice(['A', 'B', 'I']) + '%07d' % R.randint(0, 9999999)
    return R.choice(['AA', 'AB', 'FA', 'AD', 'AC']) + '%07d' % R.randint(0, 9999999)


def pick_eth(cit):
    e = ETH_BY_CIT[cit]
    return wchoice([a for a, _ in e], [b for _, b in e])


def birth_place(cit, eth):
    if eth == 'uz' and cit == 'KG' and chance(.7):
        return R.choice(['osh', 'jalalabad', 'uzgen', 'karasuu'])
    if eth == 'uz' and cit == 'KZ' and chance(.7):
        return R.choice(['shymkent', 'turkestan'])
    if eth == 'uz' and cit == 'TJ' and chance(.6):
        return R.choice(['khujand', 'isfara', 'tursunzoda'])
    return R.choice(PLACES_BY_C[cit])


def assign_names(p, father=None, arabic_share=.25, surname_from=None):
    """Given name, family name (by ethnicity) and father's given name."""
    eth = p.eth
    lst = GIVEN[eth][0 if p.sex == 'M' else 1]
    p.given = pick_name(lst, arabic_share)
    if father is None:
        father = pick_name(GIVEN[eth][0], .3)
    p.father = father
    if surname_from is not None:
        src = surname_from
        p.fam_kind, p.fam, p.tj_sur, p.tj_new = src.fam_kind, src.fam, src.tj_sur, src.tj_new
        return
    if eth == 'ky' and chance(.3):
        p.fam_kind = 'uulu'
    elif eth == 'kk' and chance(.08):
        p.fam_kind = 'uly'
    elif eth == 'tg':
        p.fam_kind = 'tj'
        p.tj_sur = R.choice(TG_SURN)
        p.tj_new = wchoice([None, 'zoda', 'zod', 'i'], [40, 45, 7, 8])
    else:
        p.fam = pick_surname(eth)


PERSONS = []


def other_nodes(home, k, prefer=None):
    cands = [n for n in NODES if n != home]
    out = []
    if prefer and prefer != home and prefer in cands:
        out.append(prefer)
        cands.remove(prefer)
    R.shuffle(cands)
    while len(out) < k and cands:
        out.append(cands.pop())
    return out


def n_extra():
    return wchoice([1, 2, 3], [80, 15, 5])


def make_adult(cit, sex, multi_p, y0=1965, y1=2002, eth=None):
    eth = eth or pick_eth(cit)
    dob = rand_date(y0, y1)
    if chance(.04):
        dob = (dob[0], 1, 1)          # officially registered 1 January (unknown real date)
    p = Person(eth, cit, sex, dob)
    assign_names(p, arabic_share=.22 if sex == 'M' else .25)
    p.place = birth_place(cit, eth)
    p.docs = [new_doc(cit)]
    if chance(.35):
        p.docs.append(new_doc(cit))     # renewed passport (many returnees got new papers)
    p.nodes = [cit]
    if chance(multi_p):
        p.nodes += other_nodes(cit, n_extra())
    PERSONS.append(p)
    return p


def make_families(n_fam):
    fams = []
    for _ in range(n_fam):
        mcit = wchoice(NODES, [24, 18, 22, 12, 24])
        mother = make_adult(mcit, 'F', 0.0, 1980, 2000)
        mother.role = 'mother'
        recorded = chance(.88)
        if not recorded:
            PERSONS.remove(mother)
            mother.virtual = True
        # father
        fk = wchoice(['same', 'other', 'arab'], [64, 24, 12])
        if fk == 'same':
            fcit = mcit
        elif fk == 'other':
            fcit = wchoice([n for n in NODES if n != mcit], [3 if n in ('UZ', 'TJ', 'KZ') else 2
                                                               for n in NODES if n != mcit])
        else:
            fcit = None
        if fk == 'arab':
            father = Person('ar', None, 'M', rand_date(1975, 1992))
            Person._n -= 1
            father.given = pick_name(GIVEN['ar'][0], 1.0)
            father.fam = R.choice(SURN['ar'])
            father.pid = None
        else:
            feth = mother.eth if (fk == 'same' and chance(.8)) else pick_eth(fcit)
            father = Person(feth, fcit, 'M', rand_date(1975, 1996))
            Person._n -= 1
            father.pid = None
            assign_names(father)
        # which node(s) hold the mother and the children
        if recorded:
            if chance(.17):
                mother.nodes = [mcit] + other_nodes(mcit, n_extra(), prefer=fcit if fcit else None)
        placement = 'with_mother'
        if fk == 'other':
            placement = wchoice(['with_mother', 'father_country', 'both'], [40, 38, 22])
        elif chance(.12):
            placement = 'split'
        nkids = wchoice([1, 2, 3, 4], [30, 35, 22, 13])
        kids = []
        births = sorted(rand_date(2008, 2020) for _ in range(nkids))
        twin_at = R.randrange(nkids) if (nkids >= 1 and chance(.10)) else None
        used_given = set()
        for i in range(nkids):
            if twin_at is not None and i == twin_at + 1:
                continue
            kids_here = [births[i]]
            if i == twin_at:
                kids_here.append(births[i])
            for j, dob in enumerate(kids_here):
                ceth = father.eth if father.eth != 'ar' else mother.eth
                ccit = mcit if (fk != 'other' or placement == 'with_mother' or
                                (placement == 'both' and chance(.5))) else fcit
                sex = 'M' if chance(.5) else 'F'
                c = Person(ceth, ccit, sex, dob)
                c.is_child = True
                c.role = 'child'
                c.camp_born = dob[0] >= 2014 and chance(.9)
                c.given = pick_name(GIVEN[ceth][0 if sex == 'M' else 1], .75 if c.camp_born else .4)
                tries = 0
                while c.given.key() in used_given and tries < 20:
                    c.given = pick_name(GIVEN[ceth][0 if sex == 'M' else 1], .75 if c.camp_born else .4)
                    tries += 1
                used_given.add(c.given.key())
                c.father = father.given
                if father.eth == 'ar':
                    c.fam_kind = 'arabdad'
                    c.fam_arab = father.fam
                else:
                    c.fam_kind, c.fam, c.tj_sur, c.tj_new = father.fam_kind, father.fam, father.tj_sur, father.tj_new
                    if father.fam_kind in ('uulu', 'uly'):
                        pass   # derived from c.father at render time
                    if father.fam_kind == 'tj' and dob[0] >= 2016 and father.tj_new is None and chance(.5):
                        c.tj_new = 'zoda'
                c.mother_ref = mother
                c.mother_pid = None if mother.virtual else mother.pid
                c.place = R.choice(CAMP_PLACES) if c.camp_born else (
                    birth_place(mcit, mother.eth) if dob[0] < 2014 else R.choice(CAMP_PLACES))
                if not c.camp_born and dob[0] >= 2014:
                    c.camp_born = True
                if j == 1:                       # twins: same birth place and circumstances
                    c.place, c.camp_born = kids[-1].place, kids[-1].camp_born
                c.docs = [] if c.camp_born or chance(.6) else [new_doc(ccit)]
                c.twin_group = (len(kids_here) > 1)
                # nodes
                if placement == 'with_mother':
                    c.nodes = [mcit] if chance(.85) or not mother.nodes else [R.choice(mother.nodes)]
                    if chance(.18):
                        c.nodes += other_nodes(c.nodes[0], 1, prefer=fcit)
                elif placement == 'father_country':
                    c.nodes = [fcit]
                    if chance(.25):
                        c.nodes.append(mcit)
                elif placement == 'both':
                    c.nodes = [mcit, fcit] if chance(.5) else ([fcit] if chance(.5) else [mcit])
                else:   # split: one child raised by grandparents in another country
                    c.nodes = [mcit] if i % 2 == 0 else other_nodes(mcit, 1)
                    c.cit = c.nodes[0] if chance(.3) else c.cit
                if j == 1 and chance(.2):
                    c.nodes = other_nodes(kids[-1].nodes[0], 1)     # twin recorded elsewhere
                c.nodes = list(dict.fromkeys(c.nodes))
                PERSONS.append(c)
                kids.append(c)
        fams.append((mother, father, kids))
    return fams


def make_namesake(src):
    """A different person with the same given name, family name, sex and birth year."""
    p = Person(src.eth, src.cit, src.sex, rand_date(src.dob[0], src.dob[0]))
    while p.dob == src.dob:
        p.dob = rand_date(src.dob[0], src.dob[0])
    p.given = src.given
    p.fam_kind, p.fam, p.tj_sur, p.tj_new = src.fam_kind, src.fam, src.tj_sur, src.tj_new
    p.fam_arab = src.fam_arab
    p.father = pick_name(GIVEN[src.eth][0], .3) if src.fam_kind != 'uulu' or chance(.5) else src.father
    if src.fam_kind in ('uulu', 'uly'):
        p.father = src.father     # the surname is made of the father's name, so it must match too
    p.is_child, p.camp_born = src.is_child, src.camp_born
    p.place = src.place if chance(.35) else (R.choice(CAMP_PLACES) if src.camp_born else birth_place(src.cit, src.eth))
    p.docs = [] if not src.docs else [new_doc(src.cit)]
    if src.is_child:
        m = Person(src.mother_ref.eth, src.mother_ref.cit, 'F', rand_date(1980, 2000))
        Person._n -= 1
        m.pid = None
        assign_names(m)
        m.virtual = True
        p.mother_ref = m
    p.nodes = [src.nodes[0]] if chance(.5) else other_nodes(src.nodes[0], 1)
    p.role = 'namesake'
    p.lookalike_of = src.pid
    PERSONS.append(p)
    return p


# ============================================================== record generation
RECORDS = {n: [] for n in NODES}
META = {}          # (node, record_id) -> dict


def choose_style(p, node, is_home):
    st = dict(NODE_STYLES[node])
    if p.is_child and p.camp_born:
        st['camp'] = st['camp'] + .15
    if not is_home:
        st['camp'] = st['camp'] + .06
        if 'icao' in st:
            st['icao'] += .06
    return wchoice(list(st), list(st.values()))


def make_record(p, node, is_home, force_dob=False, force_doc=False):
    style = choose_style(p, node, is_home)
    rc = RC(node, style, p)
    st = rc.style
    camp = st.startswith('camp')
    meta = {'pid': p.pid, 'style': st, 'node': node}
    given = render_tok(p.given, rc)
    fam_tok = family_token(p, rc)
    family = render_tok(fam_tok, rc)
    if p.fam_kind == 'uulu' and st in ('kz21', 'camp_tr'):
        family = family.replace('Uulu', 'uulu')
    patr = render_patronymic(p, rc)
    meta['fam_form'] = fam_tok.nat
    # name noise
    hard = 0
    rev = chance(.12 if camp else .03)
    if rev:
        given, family = family, given
        hard += 1
    meta['reversed'] = rev
    meta['typo'] = ''
    if chance(.06):
        if chance(.5):
            given = typo(given)
            meta['typo'] = 'given'
        else:
            family = typo(family)
            meta['typo'] = 'family'
        hard += 1
    # sex
    sex = p.sex if not chance(.08 if camp else .02) else ''
    # date of birth
    dob, dk = render_dob(p, rc, lossy_ok=not force_dob and hard < 2)
    meta['dob_kind'] = dk
    meta['dob'] = dob
    # place of birth
    place = ''
    meta['place'] = None
    if p.place:
        pp = .6 if (p.is_child and p.camp_born) else (.65 if camp else .85)
        if chance(pp):
            pid = p.place
            if PLACES[pid][0] in ('SY', 'IQ') and chance(.25):
                pid = 'syria' if PLACES[pid][0] == 'SY' else 'iraq'
            place = render_place(pid, rc, p.dob[0])
            meta['place'] = pid
    # nationality
    cit = p.cit
    if p.is_child and p.camp_born and chance(.3):
        cit = None
    elif p.is_child and not is_home and chance(.3):
        cit = node          # the child is registered as a citizen of the recording country
    nat = render_nat(cit, rc)
    # document
    doc = ''
    meta['doc'] = None
    meta['doc_variant'] = ''
    if p.docs:
        if is_home and not camp:
            pd = .93
            d = p.docs[-1] if chance(.85) else p.docs[0]
        elif camp:
            pd = .45
            d = p.docs[0]
        else:
            pd = .6
            d = R.choice(p.docs)
        if force_doc:
            pd = 1.0
        if chance(pd):
            doc, meta['doc_variant'] = render_doc(d, rc)
            meta['doc'] = d
    # mother
    mg = mf = ''
    meta['mother'] = ''
    if p.is_child and p.mother_ref is not None:
        m = p.mother_ref
        if chance(.96):
            mg = render_tok(m.given, rc)
        r = R.random() if mg else 1.0      # never both mother fields empty
        if r < .12:
            mf, meta['mother'] = '', 'family_missing'
        elif r < .20:
            mf, meta['mother'] = render_tok(family_token(m, rc, masc=True), rc), 'masc_form'
        elif r < .24 and p.fam_kind not in ('uulu', 'uly', 'arabdad'):
            mf, meta['mother'] = render_tok(family_token(p, rc), rc), 'child_surname'
        else:
            mf = render_tok(family_token(m, rc), rc)
            meta['mother'] = 'ok'
    loc = render_locality(node, rc)
    row = {'given_name': given, 'family_name': family, 'patronymic': patr, 'sex': sex,
           'date_of_birth': dob, 'place_of_birth': place, 'nationality': nat, 'document_number': doc,
           'mother_given_name': mg, 'mother_family_name': mf, 'locality': loc}
    return row, meta


def dob_ok(meta):
    return meta['dob_kind'] == 'exact'


def gen_person_records(p):
    recs = []
    for i, node in enumerate(p.nodes):
        is_home = node == p.cit or (i == 0)
        recs.append([node] + list(make_record(p, node, is_home)))
    # honesty: in a multi-node person, each pair should share the full birth date or the document;
    # repair most pairs that share neither (leave a few hard ones, as in real lists)
    if len(recs) > 1:
        for a in range(len(recs)):
            for b in range(a + 1, len(recs)):
                ma, mb = recs[a][2], recs[b][2]
                same_doc = ma['doc'] and ma['doc'] == mb['doc']
                if not (dob_ok(ma) and dob_ok(mb)) and not same_doc and chance(.75):
                    k = b if not dob_ok(mb) else a
                    node = recs[k][0]
                    recs[k] = [node] + list(make_record(p, node, node == p.cit, force_dob=True))
    return recs


# ============================================================== main build
def build():
    fams = make_families(FAMILIES)
    # adults not part of families
    for n in NODES:
        for _ in range(150):
            make_adult(n, 'M' if chance(.45) else 'F', .30)
    # look-alikes: namesakes of frequent names
    cands = [p for p in PERSONS if not p.virtual and p.given.concept or p.eth in ('kk', 'uz', 'tg')]
    R.shuffle(cands)
    ns = []
    for src in cands[:NAMESAKES]:
        ns.append((src, make_namesake(src)))
    # fill nodes up to the target with single-node / multi-node adults
    def counts():
        c = Counter()
        for p in PERSONS:
            for n in p.nodes:
                c[n] += 1
        return c
    c = counts()
    while min(c[n] for n in NODES) < TARGET_PER_NODE:
        under = [n for n in NODES if c[n] < TARGET_PER_NODE]
        home = R.choice(under)
        p = make_adult(home, 'M' if chance(.45) else 'F', 0.0)
        if chance(.30):
            others = [n for n in under if n != home]
            if others:
                p.nodes.append(R.choice(others))
        c = counts()
    return fams, ns


def main():
    fams, namesakes = build()
    persons = [p for p in PERSONS if p.nodes]
    # generate records
    used_ids = {n: set() for n in NODES}
    rows = {n: [] for n in NODES}
    truth = []
    rec_of = defaultdict(dict)        # pid -> node -> record_id
    for p in persons:
        for node, row, meta in gen_person_records(p):
            while True:
                rid = '%s-%06d' % (node, R.randint(1, 999999))
                if rid not in used_ids[node]:
                    break
            used_ids[node].add(rid)
            row['record_id'] = rid
            rows[node].append(row)
            META[(node, rid)] = meta
            truth.append((p.pid, node, rid))
            assert node not in rec_of[p.pid]
            rec_of[p.pid][node] = rid
    for n in NODES:
        rows[n].sort(key=lambda r: r['record_id'])
        with open(os.path.join(OUT, n + '.csv'), 'w', newline='', encoding='utf-8') as f:
            w = csv.DictWriter(f, fieldnames=HEADER, quoting=csv.QUOTE_MINIMAL, lineterminator='\r\n')
            w.writeheader()
            for r in rows[n]:
                w.writerow(r)
    truth.sort()
    with open(os.path.join(OUT, 'truth.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\r\n')
        w.writerow(['person_id', 'node', 'record_id'])
        w.writerows(truth)
    # family truth
    fam_rows = []
    for p in persons:
        if p.is_child and p.mother_pid and p.mother_pid in rec_of:
            for cn, crid in rec_of[p.pid].items():
                for mn, mrid in rec_of[p.mother_pid].items():
                    if cn != mn:
                        fam_rows.append((cn, crid, mn, mrid))
    fam_rows.sort()
    with open(os.path.join(OUT, 'family_truth.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\r\n')
        w.writerow(['child_node', 'child_record_id', 'mother_node', 'mother_record_id'])
        w.writerows(fam_rows)
    # look-alikes (hard negatives): namesakes and twins
    look = []
    for src, ns in namesakes:
        for n1, r1 in rec_of[src.pid].items():
            for n2, r2 in rec_of[ns.pid].items():
                look.append(('namesake', src.pid, n1, r1, ns.pid, n2, r2))
    by_mother_dob = defaultdict(list)
    for p in persons:
        if p.is_child and getattr(p, 'twin_group', False):
            by_mother_dob[(id(p.mother_ref), p.dob)].append(p)
    n_twins = 0
    for grp in by_mother_dob.values():
        if len(grp) == 2:
            n_twins += 1
            a, b = grp
            for n1, r1 in rec_of[a.pid].items():
                for n2, r2 in rec_of[b.pid].items():
                    look.append(('twin', a.pid, n1, r1, b.pid, n2, r2))
    with open(os.path.join(OUT, 'lookalikes.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\r\n')
        w.writerow(['kind', 'person_a', 'node_a', 'record_a', 'person_b', 'node_b', 'record_b'])
        w.writerows(look)
    stats = compute_stats(persons, rows, rec_of, fam_rows, look, namesakes, n_twins)
    write_readme(stats)
    print_summary(stats)


# ============================================================== statistics & README
def pct(a, b):
    return '%.1f %%' % (100.0 * a / b) if b else 'n/a'


def compute_stats(persons, rows, rec_of, fam_rows, look, namesakes, n_twins):
    S = {}
    S['records'] = {n: len(rows[n]) for n in NODES}
    S['persons'] = len(persons)
    shared = {}
    for n in NODES:
        tot = sum(1 for p in persons if n in p.nodes)
        sh = sum(1 for p in persons if n in p.nodes and len(p.nodes) > 1)
        shared[n] = (sh, tot)
    S['shared'] = shared
    S['k_dist'] = Counter(len(p.nodes) for p in persons)
    rowmap = {}
    for n in NODES:
        for r in rows[n]:
            rowmap[(n, r['record_id'])] = r
    pairs = []
    for p in persons:
        items = sorted(rec_of[p.pid].items())
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                pairs.append((p, items[i], items[j]))
    S['pairs'] = len(pairs)
    c = Counter()
    for p, (n1, r1), (n2, r2) in pairs:
        m1, m2 = META[(n1, r1)], META[(n2, r2)]
        a, b = rowmap[(n1, r1)], rowmap[(n2, r2)]
        grp = 'child' if p.is_child else 'adult'
        c[grp] += 1
        full = m1['dob_kind'] == 'exact' and m2['dob_kind'] == 'exact'
        same_doc = bool(m1['doc']) and m1['doc'] == m2['doc']
        both_doc = bool(m1['doc']) and bool(m2['doc'])
        same_place = bool(m1['place']) and m1['place'] == m2['place']
        yr1 = m1['dob_kind'] in ('exact', 'year', 'ym', 'jan1', 'swap') or (m1['dob_kind'] == 'typo')
        yr2 = m2['dob_kind'] in ('exact', 'year', 'ym', 'jan1', 'swap') or (m2['dob_kind'] == 'typo')
        for key, val in [('full_dob', full), ('same_doc', same_doc), ('renewed', both_doc and not same_doc),
                         ('same_place', same_place), ('dob_or_place_doc', full or (same_place and same_doc)),
                         ('dob_or_doc', full or same_doc),
                         ('neither', not full and not same_doc),
                         ('year_both', yr1 and yr2),
                         ('given_str_eq', a['given_name'].lower() == b['given_name'].lower()),
                         ('family_str_eq', a['family_name'].lower() == b['family_name'].lower()),
                         ('patr_both', bool(a['patronymic']) and bool(b['patronymic'])),
                         ('reversed_any', m1['reversed'] or m2['reversed']),
                         ('typo_any', bool(m1['typo']) or bool(m2['typo'])),
                         ('same_script', (a['given_name'][:1].isascii()) == (b['given_name'][:1].isascii())),
                         ('mother_both', bool(a['mother_given_name']) and bool(b['mother_given_name'])),
                         ]:
            if val:
                c[grp + ':' + key] += 1
                c['all:' + key] += 1
    S['pairc'] = c
    S['fam_rows'] = len(fam_rows)
    S['fam_children'] = len(set((r[0], r[1]) for r in fam_rows))
    S['look'] = Counter(l[0] for l in look)
    S['n_namesakes'] = len(namesakes)
    S['n_twins'] = n_twins
    S['lookalike_persons'] = 2 * len(namesakes) + 2 * n_twins
    # per-record phenomena
    rc = Counter()
    styles = defaultdict(Counter)
    nrec = 0
    for (n, rid), m in META.items():
        nrec += 1
        styles[n][m['style']] += 1
        rc['dob:' + m['dob_kind']] += 1
        rc['rev'] += m['reversed']
        rc['typo'] += bool(m['typo'])
        rc['docv:' + (m['doc_variant'] or 'none')] += 1
        if m['mother']:
            rc['mother:' + m['mother']] += 1
            rc['mother_records'] += 1
    S['rec'] = rc
    S['nrec'] = nrec
    S['styles'] = styles
    # persons
    S['children'] = sum(1 for p in persons if p.is_child)
    S['camp_children'] = sum(1 for p in persons if p.is_child and p.camp_born)
    S['tj_new'] = Counter(p.tj_new for p in persons if p.fam_kind == 'tj')
    S['kinds'] = Counter(p.fam_kind for p in persons)
    S['eth'] = Counter(p.eth for p in persons)
    S['renewed_persons'] = sum(1 for p in persons if len(p.docs) > 1)
    S['adults'] = sum(1 for p in persons if not p.is_child)
    return S


STYLE_DESC = {
    'kk_cyr': 'Kazakh Cyrillic (ә ғ қ ң ө ұ ү һ і)', 'ky_cyr': 'Kyrgyz Cyrillic (ң ө ү)',
    'tg_cyr': 'Tajik Cyrillic (ғ ӣ қ ӯ ҳ ҷ)', 'uz_cyr': 'Uzbek Cyrillic (ў қ ғ ҳ)',
    'ru_cyr': 'Russian Cyrillic (older / Russian-language documents)',
    'kz17': 'Kazakh Latin 2017/18 apostrophe alphabet (a\' g\' n\' s\' c\' i\' y\')',
    'kz21': 'Kazakh Latin 2021 (ä ğ q ñ ö ū ü ı ş ç)', 'uz_lat': 'Uzbek Latin (oʻ gʻ with ʻ \' ` ’ ‘ or dropped, x, q)',
    'tk_lat': 'Turkmen Latin (ç ä ž ň ö ş ü ý, w, -ow/-owa)', 'tj_lat': 'Tajik passport Latin (gh q h j kh)',
    'ru_lat': 'Russian-style Latin (kh zh yu ya ye)', 'icao': 'passport Latin of the issuing country (ICAO 9303 style)',
    'camp_en': 'camp list, English/Arabic-style spelling', 'camp_fr': 'camp list / foreign paper, French-style spelling',
    'camp_tr': 'foreign paper, Turkish spelling',
}


def write_readme(S):
    c = S['pairc']
    P = S['pairs']
    L = []
    L.append('# Independent evaluation set: Central-Asian returnee record linkage\n')
    L.append('Generated by `gen.py` (Python 3 standard library, `random.Random(%d)`; name/place tables '
             'in `names.py`). Re-running reproduces the files byte for byte.\n' % SEED)
    L.append('Everything was written from general knowledge of naming and registration practice in '
             'the region (no code or tables of the system under test were consulted).\n')
    L.append('## Files\n')
    L.append('* `KZ.csv` `KG.csv` `TJ.csv` `TM.csv` `UZ.csv` — one registry per country, Person-import CSV v1 '
             '(UTF-8, RFC 4180, CRLF). `record_id` is random and carries no information.')
    L.append('* `truth.csv` — `person_id,node,record_id`; equal `person_id` = same human. Every record is listed.')
    L.append('* `family_truth.csv` — child record in one node whose mother has a record in ANOTHER node '
             '(every cross-node combination of the child\'s and the mother\'s records).')
    L.append('* `lookalikes.csv` — hard negatives (namesakes and twins): record pairs that must NOT be merged.\n')
    L.append('## Size\n')
    L.append('| node | records | persons also in another node |')
    L.append('|---|---|---|')
    for n in NODES:
        sh, tot = S['shared'][n]
        L.append('| %s | %d | %d (%s) |' % (n, S['records'][n], sh, pct(sh, tot)))
    k = S['k_dist']
    L.append('\nPersons: %d (%d in one node, %d in two, %d in three, %d in four). '
             'True cross-node record pairs: %d (adults %d, children %d). '
             'Cross-node mother–child links: %d rows (%d distinct child records).\n'
             % (S['persons'], k[1], k[2], k[3], k[4], P, c['adult'], c['child'], S['fam_rows'], S['fam_children']))
    L.append('## What is modelled\n')
    L.append('**People.** Ethnicity follows citizenship (e.g. KZ: Kazakh 70 %%, Uzbek 8 %%, Uyghur, Russian, Tatar, '
             'Chechen; KG: Kyrgyz 74 %%, Uzbek 15 %%; TJ: Tajik 84 %%, Uzbek 13 %%; TM: Turkmen 86 %%; UZ: Uzbek 80 %%, '
             'Tajik, Kazakh...). Ethnic mix of persons: %s. Given names are real frequent names of each people, '
             'about a quarter of adults and three quarters of camp-born children carry Arabic-origin names '
             '(Muhammad, Abdullah, Yusuf, Umar, Khadija, Fatima, Aisha, Zaynab, Safiya, Hafsa, ...). '
             'Each name is written in the person\'s own national orthography and in its Russian-document form '
             '(Нұрлан/Нурлан, Oʻtkir/Уткир, Ҷамшед/Джамшед, Myrat/Мурат).\n'
             % ', '.join('%s %d' % kv for kv in S['eth'].most_common()))
    kinds = S['kinds']
    tjn = S['tj_new']
    L.append('**Family names.** -ov/-ev/-ova/-eva (Russian-style), Turkmen -ow/-owa, Tatar -in/-ina; '
             'Kyrgyz *Asan uulu / Asan kyzy* instead of a surname (%d persons; a few Russian-language records '
             'turn it into a Soviet-style *Asanov*); Kazakh *-ұлы/-қызы* surnames (%d persons); Tajik surnames: '
             'persons who adopted the new forms (-zoda %d, -zod %d, -ӣ %d) versus keeping -ov (%d) — the new form '
             'appears in ~92 %% of their Tajik records, ~60 %% of records elsewhere and ~45 %% of Russian-language '
             'records, so one person is *Раҳимзода* in TJ and *Рахимов* in KZ. Women take the feminine form '
             '(Karimova, Orazowa, Раҳимова; -zoda unchanged). Children of foreign (Arab) fathers (%d) are '
             'registered at home under the mother\'s surname but appear in camp lists under the father\'s '
             '(Al-Hassan, Hamdan...).\n'
             % (kinds['uulu'], kinds['uly'], tjn['zoda'], tjn['zod'], tjn['i'], tjn[None], kinds['arabdad']))
    L.append('**Patronymics** in the style of the record: Russian -ovich/-ovna (-evich after vowels: Алиевич), '
             'Kazakh *Нұрланұлы / Нұрланқызы*, Kyrgyz *Асан уулу / кызы*, Uzbek *Rustam oʻgʻli / qizi* '
             '(*Рустам ўғли*), Turkmen *Myradowiç / Myradowna*, Tajik *Раҳимович*; missing in ~10 %% of records '
             '(more for uulu/-ұлы persons, whose surname already is the patronymic); camp lists either omit it '
             '(55 %%) or give the bare father\'s name.\n' % ())
    L.append('**Scripts per node** (share of all records of that node):\n')
    for n in NODES:
        tot = sum(S['styles'][n].values())
        L.append('* %s: ' % n + '; '.join('%s %s' % (STYLE_DESC[s], pct(v, tot))
                                          for s, v in S['styles'][n].most_common()))
    L.append('\nForeign persons in a node are written from their Russian form or their own national form in '
             'that node\'s script (e.g. an Uzbek in KZ: *Уткир*; a Kazakh in UZ: *Qayrat* or *Kayrat*; a Tajik '
             'in TM: *Jamşed Rahmonow*). Passport-Latin records use the rules of the passport\'s issuing country '
             '(KZ/KG ICAO with or without the Y-variant: ERLAN/YERLAN, IU/YU; KG J for Ж; TJ gh/q/j; TM folded '
             'Turkmen; UZ O\'/G\'). Camp lists use English/Arabic (Mohammed, Abdallah, Youssef, Khadija), French '
             '(Mohamed, Aïcha, Khadidja, Youssouf, -ou for у) or Turkish (Muhammet, Hatice, Ömer, Ayşe, ç ş ğ ı) '
             'spellings. ~20–45 %% of Latin records in passport/camp styles are ALL CAPS.\n' % ())
    rc = S['rec']
    N = S['nrec']
    L.append('**Record noise** (share of all %d records):\n' % N)
    L.append('* date of birth: exact %s; year only %s; YYYY-MM %s; empty %s; 1 January substituted for an '
             'unknown date %s; day and month swapped %s; one digit wrong (year ±1, day ±1 or transposed) %s. '
             'Formats YYYY-MM-DD and DD.MM.YYYY are mixed per node. About 4 %% of adults really have an '
             'official birth date of 1 January.'
             % tuple(pct(rc['dob:' + k], N) for k in ('exact', 'year', 'ym', 'empty', 'jan1', 'swap', 'typo')))
    L.append('* names in reversed order (family name in `given_name`): %s (12 %% of camp records, 3 %% of others).'
             % pct(rc['rev'], N))
    L.append('* one-letter typo (letter dropped, doubled, swapped or vowel confused) in the given or family name: %s.'
             % pct(rc['typo'], N))
    L.append('* document number written plain %s; with a space %s; dash %s; lower case %s; Cyrillic look-alike '
             'letters (АА1234567) %s; with a № / No. prefix %s; no document %s. %d of %d adults had their '
             'passport renewed (two numbers; camp lists keep the old one).'
             % (pct(rc['docv:plain'], N), pct(rc['docv:space'] + rc['docv:space_digits'], N),
                pct(rc['docv:dash'], N), pct(rc['docv:lower'], N), pct(rc['docv:cyr'], N),
                pct(rc['docv:numsign'], N), pct(rc['docv:none'], N), S['renewed_persons'], S['adults']))
    L.append('* place of birth in the node\'s language, sometimes under its Soviet name (Алма-Ата, Фрунзе, '
             'Ленинабад, Ташауз, Чарджоу, Чимкент), "г." prefix or a country suffix; camp-born children get a '
             'Syrian/Iraqi place (Raqqa, Deir ez-Zor, Al-Hol, Mosul...) or just "Syria"/"Сирия".')
    L.append('* nationality as ISO2, ISO3, English or Russian name (Киргизия, Туркмения included), or empty; a '
             'child recorded outside its home country is sometimes listed as a citizen of the recording country.')
    L.append('* sex missing in 2 %% of records (8 %% in camp lists). `locality` is the current place of '
             'residence / camp, different per node — not evidence.\n' % ())
    L.append('**Children** (%d persons, %d born in Syria/Iraq 2014–2020) have incomplete data: year-only or '
             '1-January dates, no document, no patronymic, empty nationality more often. Their records carry '
             '`mother_given_name`/`mother_family_name` written in the child\'s record style (so the mother\'s '
             'name is spelled differently from her own record elsewhere). Of %d child records: mother family '
             'name correct form %s, missing %s, masculine form (Karimov for Karimova) %s, the child\'s own '
             '(father\'s) surname %s.\n'
             % (S['children'], S['camp_children'], rc['mother_records'],
                pct(rc['mother:ok'], rc['mother_records']), pct(rc['mother:family_missing'], rc['mother_records']),
                pct(rc['mother:masc_form'], rc['mother_records']),
                pct(rc['mother:child_surname'], rc['mother_records'])))
    L.append('**Look-alikes (must not be linked):** %d namesake persons (same given name, family name, sex and '
             'birth year as another person, different day/month, father, mother and documents; half in the same '
             'node, half in another node) and %d twin pairs (same family name, birth date and mother, different '
             'given names; a few twins recorded in different nodes). %d persons = %s of all persons; %d record '
             'pairs listed in `lookalikes.csv` (%d namesake, %d twin). Beyond these, common names (Muhammad, '
             'Fatima, Karimov...) naturally collide many times.\n'
             % (S['n_namesakes'], S['n_twins'], S['lookalike_persons'], pct(S['lookalike_persons'], S['persons']),
                sum(S['look'].values()), S['look']['namesake'], S['look']['twin']))
    L.append('## What carries over in the %d true cross-node pairs\n' % P)
    L.append('| evidence in both records of a true pair | all | adults | children |')
    L.append('|---|---|---|---|')
    rows = [('full date of birth identical (and correct)', 'full_dob'),
            ('birth year recoverable in both', 'year_both'),
            ('same document number (up to formatting)', 'same_doc'),
            ('both have a document but different numbers (renewed)', 'renewed'),
            ('same place of birth (same place, any spelling)', 'same_place'),
            ('full DOB, or place + document', 'dob_or_place_doc'),
            ('full DOB or document', 'dob_or_doc'),
            ('neither full DOB nor document', 'neither'),
            ('mother\'s name present in both', 'mother_both'),
            ('patronymic present in both', 'patr_both'),
            ('given name string identical (case-insensitive)', 'given_str_eq'),
            ('family name string identical (case-insensitive)', 'family_str_eq'),
            ('names reversed in at least one record', 'reversed_any'),
            ('a typo in at least one record', 'typo_any')]
    for label, key in rows:
        L.append('| %s | %s | %s | %s |' % (label, pct(c['all:' + key], P), pct(c['adult:' + key], c['adult']),
                                             pct(c['child:' + key], c['child'])))
    L.append('\nEvery record has a given and a family name; in every true pair the given name is the same name '
             '(in some script/transliteration, possibly in the family-name column or with one typo), and the '
             'family name is the same name or its regular variant (gender form, -ov/-zoda, uulu/-ov) — except '
             'children of foreign fathers, whose home record uses the mother\'s surname and whose camp record '
             'uses the father\'s. No record receives more than two "hard" corruptions (reversal, typo, lossy '
             'date); 75 %% of pairs that would share neither a full date of birth nor a document were re-drawn '
             'with the exact date. The remaining pairs are the hard ones (mostly camp-born children linked by '
             'name, birth year and mother\'s name).\n' % ())
    L.append('## Helper scripts\n')
    L.append('* `check.py` — re-reads all files and checks: CSV parses with the exact header, field formats, no '
             'mixed Latin/Cyrillic inside a name field, every truth row points to an existing record and every '
             'record is in truth, no person has two records in a node, family links join existing records in '
             'different nodes and the mother is not male, no look-alike pair is a true pair.')
    L.append('* `inspect.py [seed] [n]` — prints random true pairs, family links and look-alike pairs side by side.\n')
    L.append('## Caveats\n')
    L.append('* Spellings are generated by transliteration rules from hand-written native + Russian forms, '
             'so the variation is systematic; real clerks are less consistent.')
    L.append('* Kazakh Latin uses the Oct 2017 apostrophe alphabet (и→i\', у→y\', ш→s\') and the 2021 alphabet '
             '(і→ı, и→i, ы→y). Turkmen/Tajik/Kazakh passport Latin is approximated by ICAO-like rules.')
    L.append('* Document numbers follow plausible national formats (KZ N+8 digits or 9-digit ID, KG AC/ID+7, '
             'TJ 9 digits, TM letter+7, UZ AA/AB/FA/AD+7) but are random.')
    with open(os.path.join(OUT, 'README.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(L) + '\n')


def print_summary(S):
    print('records per node:', S['records'], 'total', sum(S['records'].values()))
    print('shared share:', {n: pct(*S['shared'][n]) for n in NODES})
    print('persons', S['persons'], 'k-dist', dict(S['k_dist']))
    print('true cross-node pairs', S['pairs'], 'family pairs', S['fam_rows'])
    print('lookalike pairs', dict(S['look']), 'namesakes', S['n_namesakes'], 'twins', S['n_twins'])
    c = S['pairc']
    for k in ('full_dob', 'same_doc', 'same_place', 'dob_or_place_doc', 'dob_or_doc', 'neither'):
        print('  %-18s %s' % (k, pct(c['all:' + k], S['pairs'])))


if __name__ == '__main__':
    main()
