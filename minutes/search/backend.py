"""The Whoosh engine's index on disk: a lean schema, a kept searcher, one writer.

Why a backend of our own rather than haystack's ``WhooshSearchBackend`` as it is
(SEARCH-NOTES): haystack builds every text field sortable with an English stemmer and adds a
spelling field (×1.9 slower indexing, ×1.8 larger), opens a new searcher for each query (and
several per results page), passes no writer options (so segments are compound and every open
copies them into memory), and highlights with a hard-coded English analyzer. We keep its
connection settings, its ``SearchIndex`` classes (``minutes/search_indexes.py``) and their
``index_queryset(using)``, and replace what it does with the index itself.
"""

from __future__ import annotations

import datetime
import fcntl
import os
import secrets
import threading
from collections import Counter
from pathlib import Path

from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from whoosh import columns, fields, index
from whoosh.analysis import Token, Tokenizer
from whoosh.codec.base import Segment
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_uint
from whoosh.util import IDCHARS
from whoosh.writing import SegmentWriter

from minutes.search.analysis import gram_list, gram_terms, search_words, word_terms


class _TermTokenizer(Tokenizer):
    """A Whoosh tokenizer over one of the term functions of ``analysis``."""

    terms = staticmethod(gram_terms)

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, position, start, end in self.terms(value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class GramTokenizer(_TermTokenizer):
    """Bigrams and run-final characters, one position per character."""

    terms = staticmethod(gram_terms)

    @staticmethod
    def postings(text: str, format_) -> list[tuple]:
        """What ``format_.word_values`` gives for this text (Positions), built directly."""
        positions: dict[str, list[int]] = {}
        for position, term in enumerate(gram_list(text)):
            found = positions.get(term)
            if found is None:
                positions[term] = [position]
            else:
                found.append(position)
        boost, encode = format_.field_boost, format_.encode
        return [
            (term.encode(), len(found), len(found) * boost, encode(found))
            for term, found in positions.items()
        ]


class WordTokenizer(_TermTokenizer):
    """rjieba search-mode words with sequential positions."""

    terms = staticmethod(word_terms)

    @staticmethod
    def postings(text: str, format_) -> list[tuple]:
        """What ``format_.word_values`` gives for this text (Frequency), built directly."""
        boost = format_.field_boost
        return [
            (term.encode(), count, count * boost, pack_uint(count))
            for term, count in Counter(search_words(text)).items()
        ]


def GramAnalyzer():
    """The analyzer of the ``grams`` field."""
    return GramTokenizer()


def WordAnalyzer():
    """The analyzer of the ``words`` field."""
    return WordTokenizer()


class Analysed:
    """A text to be cut once by each analyzer and written into both indexes.

    A published document goes into ``public`` and ``internal``; its ``words`` and ``grams``
    postings are computed for the first and reused for the second (the analysis is most of
    the cost of writing a document).
    """

    def __init__(self, text: str):
        self.text = text
        self.postings: dict[type, list] = {}


class SharedText(fields.TEXT):
    """A text field that accepts an ``Analysed`` value and analyses it only once.

    Its postings are built by the tokenizer's ``postings`` straight from the term lists of
    ``analysis``: the same tuples Whoosh's ``word_values`` makes from a ``Token`` per term
    (a test holds them equal), at a fifth of the time, which was most of a build's.
    """

    def index(self, value, **kwargs):
        if not isinstance(value, Analysed):
            return super().index(value, **kwargs)
        key = type(self.analyzer)
        postings = value.postings.get(key)
        if postings is None:
            postings = value.postings[key] = self.analyzer.postings(value.text, self.format)
        return postings


class NamesColumn(columns.VarBytesListColumn):
    """Whoosh's list column, with the default its readers ask for.

    A segment whose documents name no organisation (or person) has no file for the column,
    and Whoosh then reads the column type's default, which ``VarBytesListColumn`` never
    defines: every faceted search answered ``AttributeError: ... no attribute '_default'``
    once one such document was published (issue 8, item 8). No names is an empty list.
    """

    def default_value(self, reverse=False):
        return []


class ListKeyword(fields.KEYWORD):
    """A multi-valued keyword with a list column, so facet counts read a column, not postings."""

    def __init__(self):
        super().__init__(commas=True, lowercase=False, scorable=False)
        self.column_type = NamesColumn()

    def to_column_value(self, value):
        return [part.encode() for part in value.split(",") if part]

    def from_column_value(self, value):
        return [part.decode() for part in value]


def build_schema() -> fields.Schema:
    """One Whoosh document per minutes document (its agenda items are found at display time).

    Nothing large is stored: hits are turned back into rows through the one door, and
    snippets are cut from the rows' text with the index's own analysis.
    """
    return fields.Schema(
        meeting_id=fields.ID(stored=True, unique=True),
        # For check_search_index: the document's updated_at when it was indexed.
        updated=fields.STORED(),
        # Ranking only: no positions needed, phrases go to ``grams``.
        words=SharedText(analyzer=WordAnalyzer(), phrase=False),
        grams=SharedText(analyzer=GramAnalyzer(), phrase=True),
        # The advanced search's fields, matched literally like ``grams``.
        title=fields.TEXT(analyzer=GramAnalyzer(), phrase=True),
        chair=fields.TEXT(analyzer=GramAnalyzer(), phrase=True),
        doc_number=fields.ID(),
        year=fields.ID(sortable=True),
        date=fields.DATETIME(sortable=True),
        kind=fields.ID(sortable=True),
        issuer=fields.ID(sortable=True),
        status=fields.ID(),
        organizations=ListKeyword(),
        people=ListKeyword(),
    )


def updated_stamp(moment) -> str:
    """A document's ``updated_at`` as the index stores it."""
    return moment.isoformat() if moment else ""


def to_whoosh_document(prepared: dict) -> dict:
    """A haystack ``full_prepare`` dict as the fields of our schema."""
    text = Analysed(prepared["text"])
    document = {"meeting_id": str(prepared["meeting_id"]), "words": text, "grams": text}
    if prepared.get("updated_at"):
        document["updated"] = updated_stamp(prepared["updated_at"])
    for name in ("title", "chair", "doc_number", "year", "kind", "issuer", "status"):
        if prepared.get(name):
            document[name] = str(prepared[name])
    if prepared.get("date"):
        date = prepared["date"]
        document["date"] = datetime.datetime(date.year, date.month, date.day)
    for name in ("organizations", "people"):
        # Written even when empty, so that every segment has the column: Whoosh's facets
        # fall back to reading the postings of an index where no segment has it.
        document[name] = ",".join(dict.fromkeys(prepared.get(name) or ()))
    return document


# Segments of at least this many documents are left alone by ordinary updates.
BIG_SEGMENT = 1000
SEGMENTS_PER_TIER = 4


def merge_small_segments(writer, segments):
    """The merge policy of ordinary updates: small segments merge, big ones are never rewritten.

    Whoosh's own policy (``MERGE_SMALL``) lets enough small segments pull the biggest one into
    a merge: one publish then rewrote the whole index (seconds, at 10,000 documents). Here the
    segments under ``BIG_SEGMENT`` documents are grouped by order of magnitude (1-9, 10-99,
    100-999), and a group merges into the new segment once it has ``SEGMENTS_PER_TIER``
    members; so an update copies at most a few thousand documents, and there are never more
    than a dozen small segments. The nightly ``rebuild_index`` writes the index anew, big
    segments and deletions included.
    """
    from whoosh.reading import SegmentReader

    merging = segments_to_merge(segments)
    for segment in merging:
        if not segment.doc_count():
            # Every document of it was deleted: drop it. Copied, it gave Whoosh a new segment
            # of no documents whose empty terms file no reader could open ("Unknown file
            # header b''"): every search failed until a rebuild.
            continue
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merging]


def segments_to_merge(segments) -> list:
    """The small segments whose order of magnitude has ``SEGMENTS_PER_TIER`` members."""
    tiers: dict[int, list] = {}
    for segment in segments:
        count = segment.doc_count_all()
        if count < BIG_SEGMENT:
            tiers.setdefault(len(str(count)), []).append(segment)
    return [
        segment for tier in tiers.values() if len(tier) >= SEGMENTS_PER_TIER for segment in tier
    ]


def hold_files(searcher) -> None:
    """Open every column file of the searcher's segments now (see ``open_searcher``)."""
    for reader, _base in searcher.reader().leaf_readers():
        per_document = getattr(reader, "_perdoc", None)
        if per_document is None:  # an empty index has no segment
            continue
        storage, segment = per_document._storage, per_document._segment
        prefix, suffix = segment.make_filename("."), W3Codec.COLUMN_EXT
        for filename in storage.list():
            if filename.startswith(prefix) and filename.endswith(suffix):
                name = filename[len(prefix) : -len(suffix)]
                if name not in per_document._colfiles:
                    per_document._colfiles[name] = per_document._get_column_file(name)
        # Whoosh asks the directory whether a column exists; the answer must not change when
        # a merge deletes the file this reader holds open.
        per_document.has_column = per_document._colfiles.__contains__


class FieldLengths:
    """A segment's field lengths, each field's column read once.

    Whoosh's flush asks the per-document reader for a document's field length at every
    posting (2.7 million reads for 380 documents, a sixth of a rebuild); reading each length
    column once into a list gives the same numbers.
    """

    def __init__(self, reader):
        self.reader = reader
        self.columns: dict[str, list[int]] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self.columns.get(fieldname)
        if lengths is None:
            read = self.reader.doc_field_length
            lengths = self.columns[fieldname] = [
                read(number, fieldname, default) for number in range(self.reader.doc_count_all())
            ]
        return lengths[docnum]

    def close(self):
        self.reader.close()


def _segment_id(cls, size=16):
    """A new segment's name, from the operating system's randomness.

    Whoosh draws it from the ``random`` module, whose state anything in the process may
    seed (Hypothesis does, for every example): the same name then came out twice, and the new
    segment's files overwrote those of a live one, which no reader could open afterwards.
    """
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


def _flush_segment(self):
    """``SegmentWriter._flush_segment`` of Whoosh 2.7, reading lengths through FieldLengths."""
    self.perdocwriter.close()
    lengths = FieldLengths(self.per_document_reader()) if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
    self.fieldwriter.close()
    if lengths:
        lengths.close()


class MinutesWhooshBackend(WhooshSearchBackend):
    """One index directory per connection, reached through a symlink so rebuilds swap in whole."""

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.path = str(connection_options["PATH"])
        self.local = threading.local()

    # --- Directory: PATH is a symlink to the live build (PATH.<n>).
    def live_directory(self) -> Path:
        """The directory the index currently lives in, created empty on first use."""
        link = Path(self.path)
        if not link.is_symlink():
            link.parent.mkdir(parents=True, exist_ok=True)
            # Workers starting together all find no index: one creates it, the others wait
            # (without the lock a second creator swapped in its own and deleted the files the
            # first was writing to: EmptyIndexError).
            with open(link.parent / f".{link.name}.create.lock", "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
                if not link.is_symlink():
                    if link.exists():  # a plain directory from an older layout: adopt it
                        return link
                    first = self.fresh_directory()
                    index.create_in(first, build_schema())
                    self.swap_in(first)
        return link.resolve()

    def fresh_directory(self) -> Path:
        """An empty directory beside the live one, for a rebuild."""
        stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")
        directory = Path(f"{self.path}.{stamp}-{os.getpid()}")
        directory.mkdir(parents=True)
        return directory

    def swap_in(self, directory: Path) -> None:
        """Point PATH at ``directory`` atomically; readers move over at their next search."""
        link = Path(self.path)
        temporary = link.with_name(f"{link.name}.link-{os.getpid()}")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(directory.name)
        previous = link.resolve() if link.is_symlink() else None
        os.replace(temporary, link)
        if previous and previous != directory.resolve():
            for old in previous.iterdir():
                old.unlink()
            previous.rmdir()

    def setup(self):
        self.content_field_name = "text"
        self.schema = build_schema()
        self.index = self.open_index()
        self.setup_complete = True

    def build_schema(self, fields_):
        return "text", build_schema()

    def open_index(self, directory: Path | None = None):
        """The Whoosh index in ``directory`` (the live one by default)."""
        directory = directory or self.live_directory()
        return FileStorage(str(directory)).open_index(schema=build_schema())

    # --- Reading: one searcher per thread, refreshed when the index changes.
    def searcher(self):
        """A searcher that is current: reused while the index is unchanged.

        Opening costs ~0.2 ms with non-compound segments but more with many; reusing it also
        keeps Whoosh's per-segment caches (facet columns) warm between requests.
        """
        directory = self.live_directory()
        state = getattr(self.local, "state", None)
        if state is None or state[0] != directory or not state[1].up_to_date():
            # Whoosh's own refresh() kept the old generation after a deletions-only commit;
            # opening anew costs ~0.2 ms with non-compound segments (SEARCH-NOTES).
            if state is not None:
                state[1].close()
            state = self.open_searcher()
        self.local.state = state
        return state[1]

    def open_searcher(self):
        """(directory, searcher) with every file of its segments open.

        Whoosh opens column files (facets, lengths, stored fields) only when first read, but
        a writer's commit deletes the files of segments it merged. A searcher opened just
        before a commit then found a column missing and failed (or silently read defaults).
        Files held open stay readable after deletion (POSIX), so all are opened at once, and
        the searcher is kept only if the index did not change meanwhile: a later commit
        deletes nothing before writing its new table of contents, whose generation we compare.
        """
        while True:
            directory = self.live_directory()
            whoosh_index = self.open_index(directory)
            generation = whoosh_index.latest_generation()
            searcher = whoosh_index.searcher()
            try:
                hold_files(searcher)
            except OSError:  # a file went before it was opened: the index changed
                searcher.close()
                continue
            # Not ``searcher.up_to_date()``: it is always False for an index with no segment.
            if (
                whoosh_index.latest_generation() == generation
                and self.live_directory() == directory
            ):
                return directory, searcher
            searcher.close()

    # --- Writing: only ever called by minutes.search.indexing, which holds the writer lock.
    def writer(self, directory: Path | None = None, **options):
        """A Whoosh writer that leaves non-compound segments (SEARCH-NOTES: 0.2 ms opens)."""
        options.setdefault("limitmb", 256)
        # Set here, not at import, so other Whoosh users in the process (the benchmark's
        # plain recipe) keep Whoosh as it is; writer processes forked later inherit it.
        SegmentWriter._flush_segment = _flush_segment
        Segment._random_id = classmethod(_segment_id)
        return self.open_index(directory).writer(compound=False, **options)

    def update(self, index, iterable, commit=True):
        from minutes.search.indexing import write_meetings

        write_meetings(self.connection_alias, list(iterable))

    def remove(self, obj_or_string, commit=True):
        from minutes.search.indexing import enqueue

        enqueue([getattr(obj_or_string, "meeting_id", getattr(obj_or_string, "pk", None))])

    def clear(self, models=None, commit=True):
        index.create_in(str(self.live_directory()), build_schema())
        self.local.state = None


class MinutesWhooshEngine(BaseEngine):
    backend = MinutesWhooshBackend
    query = WhooshSearchQuery
