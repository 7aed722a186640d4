"""The two corpora of ``search_bench.py``: today's worst case and a realistic archive.

Both are built from the paragraphs of the real minutes in ../shared/corpus (docs and more/docs),
recombined per document to ~4,000 characters, with a fixed seed; document ``n`` depends only
on (seed, corpus, n), so a corpus can be imported in shards and the first 10,000 documents of
the 100,000 are the 10,000.

* ``worst``: the paragraphs as they are, four issuers, six chairs. Every document holds the
  common words (公积金, 人工智能, 税 …): every query matches nearly everything.
* ``realistic``: per document, the topic nouns, places, organisations and names of the
  paragraphs are replaced (consistently within the document) by words of the same part of
  speech drawn from jieba's dictionary (``dict.txt``: n/nz/vn, ns, nt, nr; weighted by the
  square root of their frequency) and from a large pool of generated names; 60 issuing bodies,
  each with its own chair and officials. A common word then occurs in a minority of documents,
  as in a province's archive.

Issuers take turns by blocks of 20 documents (one of each year), and every issuer numbers its
documents per year from 1, so a 文号 such as 〔2015〕3号 names one
document of each issuer that had a third one that year.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import random
import re
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIRS = [
    REPOSITORY_ROOT / ".." / "shared" / "corpus" / "docs",
    REPOSITORY_ROOT / ".." / "shared" / "corpus" / "more" / "docs",
]
CORPORA = ("worst", "realistic")
SEED = 20211
TARGET_CHARACTERS = 4000
# Today's worst case: four issuers and six chairs for every document.
ISSUERS = ["苏州市人民政府", "永康市人民政府", "攀枝花市东区人民政府", "贵州省人民政府"]
KINDS = ["常务会议纪要", "常务会议纪要", "专题会议纪要", "市长办公会议纪要"]
CHAIRS = ["李亚平", "周乃翔", "吴庆文", "毛志强", "王翔", "吴晓东"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红海波宁鹏辉飞鑫婷玉萍斌晨浩宇"
    "凯琳雪慧俊峰亮林云帆丹莉颖欣博文瑞杨阳彬婕佳嘉晶琪一春雨新光荣德忠群利东亚松梅旭毅"
)
# The realistic corpus: how often a word of each class is replaced in a document.
REPLACE = {"n": 0.87, "ns": 1.0, "nt": 1.0, "nr": 1.0}
POS_CLASS = {"n": "n", "nz": "n", "vn": "n", "ns": "ns", "nt": "nt", "nr": "nr", "nrt": "nr"}
REALISTIC_ISSUERS = 60
HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def _read_texts() -> list[str]:
    texts = []
    for directory in CORPUS_DIRS:
        texts += [path.read_text(encoding="utf-8") for path in sorted(directory.glob("*.txt"))]
    return texts


@functools.cache
def real_pools():
    """Paragraphs, item titles, decision organisations and names of the real documents."""
    from minutes.parsing import parse

    paragraphs, titles, organizations, names = [], [], set(), set()
    for text in _read_texts():
        paragraphs += [line.strip() for line in text.splitlines() if len(line.strip()) >= 12]
        parsed = parse(text)
        titles += [item.title for item in parsed.items if item.title]
        for item in parsed.items:
            for decision in item.decisions:
                organizations.update(decision.organizations)
        for attendee in (*(parsed.attendees or ()), *(parsed.observers or ())):
            if attendee.name:
                names.add(attendee.name)
    return paragraphs, titles, sorted(organizations), sorted(names)


class Sampler:
    """Words drawn by weight (cumulative weights + bisect: O(log n) a draw)."""

    def __init__(self, weighted: list[tuple[str, float]]):
        self.words = [word for word, _weight in weighted]
        self.cumulative = list(itertools.accumulate(weight for _word, weight in weighted))

    def draw(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.words[bisect.bisect_right(self.cumulative, point)]


@functools.cache
def dictionary_samplers() -> dict[str, Sampler]:
    """jieba's dictionary by part of speech: topic nouns, places, organisations, names."""
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    classes: dict[str, list[tuple[str, float]]] = {"n": [], "ns": [], "nt": [], "nr": []}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) != 3 or parts[2] not in POS_CLASS:
                continue
            word, frequency = parts[0], int(parts[1])
            if not HAN.match(word) or not 2 <= len(word) <= 8 or frequency < 3:
                continue
            classes[POS_CLASS[parts[2]]].append((word, frequency**0.5))
    return {name: Sampler(words) for name, words in classes.items()}


@functools.cache
def name_pool() -> list[str]:
    """~30,000 names: generated (surname + one or two given characters) and jieba's nr."""
    rng = random.Random(SEED)
    names = set()
    while len(names) < 24000:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        names.add(rng.choice(SURNAMES) + given)
    names.update(word for word in dictionary_samplers()["nr"].words if len(word) in (2, 3))
    names.discard("李亚平")  # the person query: his documents are those of his issuer
    return sorted(names)


@functools.cache
def segmented_pools():
    """Paragraphs and titles as (word, class or None) tokens, cut once by jieba.posseg."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    paragraphs, titles, _organizations, _names = real_pools()

    def cut(text):
        return tuple(
            (pair.word, POS_CLASS.get(pair.flag) if len(pair.word) >= 2 else None)
            for pair in jieba.posseg.cut(text)
        )

    return [cut(text) for text in paragraphs], [cut(text) for text in titles]


@functools.cache
def realistic_bodies():
    """60 issuers (a place's 人民政府), each with a chair and a roster of 24 officials."""
    rng = random.Random(SEED + 1)
    places = [
        word
        for word in dictionary_samplers()["ns"].words
        if len(word) in (3, 4) and word[-1] in "市县区"
    ]
    chosen = ["苏州市", *rng.sample(sorted(set(places) - {"苏州市"}), REALISTIC_ISSUERS - 1)]
    pool = name_pool()
    bodies = []
    for position, place in enumerate(chosen):
        chair = "李亚平" if position == 0 else rng.choice(pool)
        roster = rng.sample(pool, 24)
        bodies.append((f"{place}人民政府", place, chair, roster))
    return bodies


@functools.cache
def worst_names() -> list[str]:
    """Today's names: those of the real documents and 400 generated."""
    extra = random.Random(SEED)
    generated_names = {
        extra.choice(SURNAMES) + extra.choice(GIVEN) + extra.choice(GIVEN) for _ in range(400)
    }
    return sorted(set(real_pools()[3]) | generated_names)


def replacer(rng: random.Random):
    """A per-document word map: each noun/place/organisation/name replaced or kept, once."""
    samplers = dictionary_samplers()
    names = name_pool()
    mapping: dict[str, str] = {}

    def replace(word: str, word_class: str | None) -> str:
        if word_class is None:
            return word
        if word not in mapping:
            if rng.random() >= REPLACE[word_class]:
                mapping[word] = word
            elif word_class == "nr":
                mapping[word] = rng.choice(names)
            else:
                mapping[word] = samplers[word_class].draw(rng)
        return mapping[word]

    def text(tokens) -> str:
        return "".join(replace(word, word_class) for word, word_class in tokens)

    return text


def document(corpus: str, number: int, numbering: dict):
    """Document ``number`` of a corpus: (ParsedMinutes, published)."""
    from minutes.parsing.records import AgendaItem, Attendee, Decision
    from tests.factories import parsed_minutes

    paragraphs, titles, organizations, _names = real_pools()
    rng = random.Random(f"{SEED}-{corpus}-{number}")
    year = 2005 + number % 20
    date = datetime.date(year, 1 + number % 12, 1 + number % 28)
    kind = KINDS[number % len(KINDS)]
    if corpus == "worst":
        issuer = ISSUERS[(number // 20) % len(ISSUERS)]
        chair = CHAIRS[number % len(CHAIRS)]
        names = worst_names()
        attendees, observers = rng.sample(names, k=8), rng.sample(names, k=4)

        def paragraph():
            return rng.choice(paragraphs)

        def title():
            return rng.choice(titles)

        def departments():
            return tuple(rng.sample(organizations, k=min(2, len(organizations))))

    else:
        issuer, _place, chair, roster = realistic_bodies()[(number // 20) % REALISTIC_ISSUERS]
        attendees, observers = rng.sample(roster, k=8), rng.sample(roster, k=4)
        cut_paragraphs, cut_titles = segmented_pools()
        text = replacer(rng)
        samplers = dictionary_samplers()

        def paragraph():
            return text(rng.choice(cut_paragraphs))

        def title():
            return text(rng.choice(cut_titles))

        def departments():
            # A body's own departments (市工信局 …) and now and then an organisation of the
            # dictionary.
            chosen = [rng.choice(organizations)]
            chosen.append(
                samplers["nt"].draw(rng) if rng.random() < 0.5 else rng.choice(organizations)
            )
            return tuple(dict.fromkeys(chosen))

    seq = numbering[(issuer, year)] = numbering.get((issuer, year), 0) + 1
    items, size = [], 0
    while size < TARGET_CHARACTERS:
        decisions = []
        for position in range(rng.randint(2, 5)):
            paragraph_text = paragraph()
            size += len(paragraph_text)
            decisions.append(
                Decision(no=position + 1, text=paragraph_text, organizations=departments())
            )
        item_title = title()
        size += len(item_title)
        items.append(AgendaItem(no=len(items) + 1, title=item_title, decisions=tuple(decisions)))
    session = seq
    parsed = parsed_minutes(
        issuer=issuer,
        kind=kind,
        year=year,
        seq=seq,
        doc_number=f"〔{year}〕{seq}号",
        session_no=session,
        session_name=f"第{session}次常务会议",
        meeting_date=date,
        chair=chair,
        opening=f"{date.year}年{date.month}月{date.day}日，{chair}主持召开第{session}次常务会议，"
        f"{paragraph()}",
        items=tuple(items),
        attendees=tuple(Attendee(name=name) for name in attendees),
        observers=tuple(
            Attendee(name=name, org=org)
            for name, org in zip(observers, rng.sample(organizations, k=4), strict=True)
        ),
        compiled_date=date + datetime.timedelta(days=7),
        printed_date=date + datetime.timedelta(days=8),
    )
    return parsed, number % 10 != 9


def numbering_before(corpus: str, start: int) -> dict:
    """The per-issuer, per-year counters after documents 0 … start-1 (for a shard)."""
    numbering: dict = {}
    for number in range(start):
        year = 2005 + number % 20
        if corpus == "worst":
            issuer = ISSUERS[(number // 20) % len(ISSUERS)]
        else:
            issuer = realistic_bodies()[(number // 20) % REALISTIC_ISSUERS][0]
        numbering[(issuer, year)] = numbering.get((issuer, year), 0) + 1
    return numbering


def generated(corpus: str, start: int, stop: int):
    """Documents ``start`` … ``stop``-1 of a corpus: (parsed, published) pairs."""
    if corpus not in CORPORA:
        raise ValueError(f"corpus: one of {CORPORA}")
    numbering = numbering_before(corpus, start)
    for number in range(start, stop):
        yield document(corpus, number, numbering)
