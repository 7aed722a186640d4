"""The PostgreSQL search engine: the index lives in the database's own tables (issue 9, DESIGN §7).

What is stored (migration 0012, ``pg_models``). PostgreSQL's parser does not segment Chinese,
so the vectors are built here with the project's own analysis (``analysis``) and written as
tsvector literals; what is indexed is what ``MeetingIndex`` prepares (``search_indexes``).

* ``minutes_search_document``: one row per document: year, kind, issuer, 文号, date,
  organisations, people (the filters, facets and sorts), the grams of the title and of the
  chair (the advanced search's fields), and the ``updated_at`` and item count seen when it was
  written (``check``).
* ``minutes_search_text``: the text. Part 0 holds ``words`` (rjieba search-mode words, for
  matching words and ranking) and ``grams`` (bigrams and run-final characters, one position per
  character, for literal matching). A tsvector keeps positions up to 16,383 and 256 per term,
  so a long document's grams go on in further parts, each cut before a position or a term runs
  out, the next starting ``OVERLAP`` positions back: any phrase a query can hold lies whole in
  one part. ``words`` needs no positions for matching (words are never phrases), so it stays
  whole in part 0, its positions capped.
* GIN indexes on ``words`` and ``grams``, or RUM ones when the extension is installed (RUM
  checks a phrase's positions inside the index instead of on every candidate row).

Visibility by construction. A ``public`` search reads the views ``minutes_search_public_*``
(the rows joined to the live ``minutes_meeting`` rows that are published and public, the
condition of ``Meeting.objects.published()``) under the role ``minutes_search_public`` (``SET
LOCAL ROLE`` inside the search's savepoint), which may read nothing else: a query a bug
widened still cannot reach a draft, even in raw SQL. Row-level security was not used: ``@@``
is not LEAKPROOF, so it stops index use (SEARCH-NOTES).

Writes: in the same transaction, once. ``changed(ids)`` runs inside the transaction that
changed the documents (the signals fire once per saved part: an admin save many times, an
import of a long document thousands). It only notes the ids on the connection; they are
written once, just before that transaction commits (a hook on the connection's commit), or
earlier when a search runs in the same transaction, so it sees its own changes. A rollback
forgets them. Outside a transaction (autocommit) they are written at once. Visibility does not
even wait for that: it comes from the live meeting row through the views, so a publish or a
withdrawal is atomic with the status change itself. There is no queue and no writer lock:
two transactions writing the same document serialise on its rows, and the later one wrote
the later state.

Queries (``query`` module syntax): each positive clause is the set of documents with a text
part where ``words @@`` (all jieba words of a term) or ``grams @@`` (a term's characters as
consecutive grams: ``'住房' <-> '房公' <-> '公积' <-> '积金'``, a lone last character as a
prefix ``'税':*``) holds; excluded clauses remove the documents whose grams hold any of their
literals. This is the Whoosh engine's query, term for term, so both give the same documents,
counts and facets. The planner is told ``enable_seqscan = off`` inside the search (it chose
sequential scans over the vectors otherwise). Relevance is ``ts_rank`` on ``words`` with every
word of the positive terms (never on ``grams``: ranking phrases by grams took seconds).
"""

from __future__ import annotations

import datetime
import sys
from collections import Counter

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from minutes.search import analysis, query
from minutes.search.engines import Engine
from minutes.search.query import FACETS, SINGLE_VALUED, SearchPage, SearchRequest

ROLE = "minutes_search_public"
DOCUMENT = "minutes_search_document"
TEXT = "minutes_search_text"
PUBLIC_DOCUMENT = "minutes_search_public_document"
PUBLIC_TEXT = "minutes_search_public_text"
MAX_POSITION = 16383
MAX_POSITIONS_PER_TERM = 256
# A part's grams start this many positions before the previous part ended, so any phrase of
# a query (at most MAX_QUERY_LENGTH characters) lies whole inside one part. A part is never
# shorter than MAX_POSITIONS_PER_TERM - 1 positions, so parts always advance.
OVERLAP = query.MAX_QUERY_LENGTH
DOCUMENT_COLUMNS = (
    "meeting_id",
    "updated",
    "items",
    "year",
    "kind",
    "issuer",
    "doc_number",
    "date",
    "organizations",
    "people",
    "title",
    "chair",
)
TEXT_COLUMNS = ("meeting_id", "part", "words", "grams")
BATCH = 200


# --- Vectors -------------------------------------------------------------------------------


def lexeme(text: str) -> str:
    """A term quoted for a tsvector or tsquery literal."""
    if "'" in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace("'", "''")
    return f"'{text}'"


def vector(positions: dict[str, list[int]]) -> str:
    """A tsvector literal of {term: positions counted from 1, ascending, unique}."""
    return " ".join(
        [f"{lexeme(term)}:{','.join(map(str, found))}" for term, found in positions.items()]
    )


# PostgreSQL refuses a tsvector literal whose terms, counted once per entry, pass 1 MB.
LITERAL_BYTES = 900_000
ENTRY = "'{}':{}".format  # one position of a term: PostgreSQL merges a term's entries


def entries(terms, first: int = 1) -> str:
    """A tsvector literal of ``terms`` at positions ``first``, ``first`` + 1, … (quoted terms).

    One entry per position, unsorted: PostgreSQL's input sorts the terms, merges their
    positions, caps a position at 16,383 and keeps a term's first 256, which is what the
    grouped literal (``vector``) said at a third of the Python time.
    """
    return " ".join(map(ENTRY, terms, range(first, first + len(terms))))


def quoted(term: str) -> str:
    """A term inside an ``ENTRY``: quotes and backslashes escaped (never in CJK terms)."""
    if "'" in term or "\\" in term:
        return term.replace("\\", "\\\\").replace("'", "''")
    return term


def words_vector(text: str) -> str:
    """The ``words`` tsvector of a text: ``analysis.word_terms``, positions capped.

    The same terms and positions as ``word_terms`` (a test holds them equal), made without
    its tuples of offsets, which the build does not need.
    """
    terms, positions = analysis.word_positions(text)
    if len("".join(terms).encode()) < LITERAL_BYTES:
        return " ".join(map(ENTRY, map(quoted, terms), positions))
    # A long text: PostgreSQL counts every entry's term towards its 1 MB limit before it
    # merges them ("string is too long for tsvector"), so its terms go grouped.
    grouped: dict[str, list[int]] = {}
    for term, position in zip(terms, positions, strict=True):
        found = grouped.setdefault(term, [])
        position = min(position, MAX_POSITION)
        if (not found or found[-1] < position) and len(found) < MAX_POSITIONS_PER_TERM:
            found.append(position)
    return vector(grouped)


def gram_list(text: str) -> list[str]:
    """``analysis.gram_list(text)``, quoted for a literal where a term needs it (CJK never)."""
    terms = analysis.gram_list(text)
    joined = "".join(terms)
    if "'" in joined or "\\" in joined:
        return [quoted(term) for term in terms]
    return terms


def gram_parts(text: str) -> list[str]:
    """The ``grams`` tsvectors of a text: one, or several overlapping parts of a long text."""
    terms = gram_list(text)
    if len(terms) <= MAX_POSITION and (
        not terms or max(Counter(terms).values()) <= MAX_POSITIONS_PER_TERM
    ):
        return [entries(terms)]
    parts = []
    start = 0
    while True:
        counts: Counter = Counter()
        end = start
        while (
            end < len(terms)
            and end - start < MAX_POSITION
            and counts[terms[end]] < MAX_POSITIONS_PER_TERM
        ):
            counts[terms[end]] += 1
            end += 1
        parts.append(entries(terms[start:end]))
        if end >= len(terms):
            return parts
        start = end - OVERLAP


def field_vector(text: str) -> str:
    """The grams of a short field (title, chair), positions capped."""
    return entries(gram_list(text or "")[:MAX_POSITION])


# --- Rows of documents ---------------------------------------------------------------------


def prepared_of(meeting) -> tuple:
    """What is indexed of one meeting (``MeetingIndex``), as plain values a worker can take."""
    from minutes.search_indexes import MeetingIndex

    prepared = MeetingIndex().full_prepare(meeting)
    return (
        meeting.pk,
        meeting.updated_at,
        len(meeting.items.all()),
        prepared["text"],
        int(prepared["year"]) if prepared.get("year") else None,
        str(prepared.get("kind") or ""),
        prepared.get("issuer") or None,
        prepared.get("doc_number") or None,
        prepared.get("date") or None,
        [name for name in dict.fromkeys(prepared.get("organizations") or []) if name],
        [name for name in dict.fromkeys(prepared.get("people") or []) if name],
        prepared.get("title", meeting.title) or "",
        prepared.get("chair", meeting.chair) or "",
    )


def rows_for_prepared(
    pk,
    updated,
    items,
    text,
    year,
    kind,
    issuer,
    doc_number,
    date,
    organizations,
    people,
    title,
    chair,
) -> tuple[tuple, list[tuple]]:
    """(document row, text rows) of one document's ``prepared_of`` values."""
    grams = gram_parts(text)
    texts = [
        (pk, part, words_vector(text) if part == 0 else "", vector_text)
        for part, vector_text in enumerate(grams)
    ]
    document = (
        pk,
        updated,
        items,
        year,
        kind,
        issuer,
        doc_number,
        date,
        organizations,
        people,
        field_vector(title),
        field_vector(chair),
    )
    return document, texts


def rows_for(meeting) -> tuple[tuple, list[tuple]]:
    """(document row, text rows) of one meeting, loaded by ``with_parts``."""
    return rows_for_prepared(*prepared_of(meeting))


def build_rows(meetings) -> tuple[list[tuple], list[tuple]]:
    """The rows of several meetings, names taught to the segmenter first (as Whoosh does)."""
    from minutes.search_indexes import organizations_of, people_of

    analysis.add_words(
        name for meeting in meetings for name in [*organizations_of(meeting), *people_of(meeting)]
    )
    documents, texts = [], []
    for meeting in meetings:
        document, parts = rows_for(meeting)
        documents.append(document)
        texts += parts
    return documents, texts


def write(meeting_ids, cursor=None) -> None:
    """Make these documents' rows their current state (none for a deleted document).

    Upserts, in id order: two transactions writing one document wait for each other on its
    rows, and the later one leaves its state (a delete-then-insert would fail on the key
    when the other inserted meanwhile).
    """
    from minutes.search_indexes import meetings_for, with_parts

    meeting_ids = sorted(set(meeting_ids))
    if not meeting_ids:
        return
    own = cursor is None
    cursor = cursor or connection.cursor()
    try:
        for start in range(0, len(meeting_ids), BATCH):
            chunk = meeting_ids[start : start + BATCH]
            # Two transactions changing parts of one document each read it before the other
            # committed, and the later writer left rows without the earlier change. Locking
            # the documents' rows here (not FOR UPDATE: the parts' foreign keys hold KEY SHARE)
            # makes the second wait, and its reads below then see the first one's commit.
            cursor.execute(
                "SELECT id FROM minutes_meeting WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                [chunk],
            )
            meetings = with_parts(meetings_for("internal").filter(pk__in=chunk).order_by("pk"))
            documents, texts = build_rows(meetings)
            upsert(cursor, DOCUMENT, DOCUMENT_COLUMNS, documents, ("meeting_id",))
            upsert(cursor, TEXT, TEXT_COLUMNS, texts, ("meeting_id", "part"))
            parts = Counter(row[0] for row in texts)
            cursor.execute(
                f"DELETE FROM {TEXT} t USING unnest(%s::integer[], %s::integer[]) AS v(id, n) "
                "WHERE t.meeting_id = v.id AND t.part >= v.n",
                [chunk, [parts.get(pk, 0) for pk in chunk]],
            )
            gone = sorted(set(chunk) - {meeting.pk for meeting in meetings})
            if gone:
                cursor.execute(f"DELETE FROM {DOCUMENT} WHERE meeting_id = ANY(%s)", [gone])
    finally:
        if own:
            cursor.close()


def upsert(cursor, table: str, columns, rows, key) -> None:
    if not rows:
        return
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    values = ", ".join([placeholders] * len(rows))
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns if column not in key)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}",
        [value for row in rows for value in row],
    )


# --- Writing in the changing transaction ---------------------------------------------------

PENDING = "_minutes_search_pending"
WRITTEN = "_minutes_search_written"


def current():
    """The default connection's wrapper itself (``django.db.connection`` is a proxy)."""
    return connections[DEFAULT_DB_ALIAS]


def note_changed(meeting_ids) -> None:
    """Write these documents' rows in the current transaction, once, before it commits."""
    meeting_ids = [pk for pk in meeting_ids if pk is not None]
    if not meeting_ids:
        return
    wrapper = current()
    if not wrapper.in_atomic_block:
        with transaction.atomic():
            write(meeting_ids)
        return
    hook_commit(wrapper)
    getattr(wrapper, PENDING).update(meeting_ids)


def flush() -> None:
    """Write every document noted in the current transaction (before a search, a commit).

    Each id written is remembered with the savepoint depth it was written at: rolling back
    a savepoint that held the write notes the id again, so the commit writes it anew.
    """
    wrapper = current()
    pending = getattr(wrapper, PENDING, None)
    if not pending:
        return
    ids = set(pending)
    pending.clear()
    try:
        write(ids)
    except BaseException:
        pending.update(ids)
        raise
    depth = len(wrapper.savepoint_ids)
    getattr(wrapper, WRITTEN).update(dict.fromkeys(ids, depth))


def hook_commit(wrapper) -> None:
    """Make this connection write its noted documents just before each commit.

    Django offers hooks after a commit only. ``_commit`` is what ``commit()`` calls once the
    atomic blocks are left and the transaction is still open: the rows written there commit
    with the change, or (if writing them fails) the whole transaction rolls back.
    """
    if PENDING in wrapper.__dict__:
        return
    setattr(wrapper, PENDING, set())
    setattr(wrapper, WRITTEN, {})
    real_commit, real_rollback = wrapper._commit, wrapper._rollback
    real_savepoint_rollback = wrapper._savepoint_rollback

    def forget():
        getattr(wrapper, PENDING).clear()
        getattr(wrapper, WRITTEN).clear()

    def commit_with_search_rows():
        if getattr(wrapper, PENDING):
            try:
                flush()
            except BaseException:
                forget()
                real_rollback()
                raise
        getattr(wrapper, WRITTEN).clear()
        return real_commit()

    def rollback_forgetting_rows():
        forget()
        return real_rollback()

    def savepoint_rollback_noting_rows(sid):
        # Django pops the savepoint first: writes made deeper than what is left are undone.
        depth = len(wrapper.savepoint_ids)
        written = getattr(wrapper, WRITTEN)
        undone = [pk for pk, at in written.items() if at > depth]
        for pk in undone:
            del written[pk]
        getattr(wrapper, PENDING).update(undone)
        return real_savepoint_rollback(sid)

    wrapper._commit = commit_with_search_rows
    wrapper._rollback = rollback_forgetting_rows
    wrapper._savepoint_rollback = savepoint_rollback_noting_rows


# --- Queries -------------------------------------------------------------------------------


def literal_tsquery(text: str) -> str:
    """Where ``text`` occurs literally in a grams vector (``analysis.phrase_terms``)."""
    terms, tail_prefix = analysis.phrase_terms(text)
    parts = [lexeme(term) for term in terms]
    if tail_prefix:
        parts.append(lexeme(tail_prefix) + ":*")
    return " <-> ".join(parts)


def either(queries) -> str:
    queries = [q for q in queries if q]
    return " | ".join(f"( {q} )" for q in queries)


def term_literals(term: query.Term) -> str:
    return either(literal_tsquery(text) for text in term.literals)


def term_words(term: query.Term) -> str:
    """All the jieba words of an unquoted term (empty for a quoted one)."""
    if term.quoted or not term.words:
        return ""
    return " & ".join(lexeme(word) for word in term.words)


class Where:
    """The WHERE clause of a request over the document rows ``d``, with its parameters."""

    def __init__(self, request: SearchRequest, text_table: str):
        self.conditions: list[str] = []
        self.params: list = []
        for clause in request.positive:
            words = either(term_words(term) for term in clause.terms)
            grams = either(term_literals(term) for term in clause.terms)
            tests = ["grams @@ %s::tsquery"]
            params = [grams]
            if words:
                tests.insert(0, "words @@ %s::tsquery")
                params.insert(0, words)
            self.add(
                f"d.meeting_id IN (SELECT meeting_id FROM {text_table} WHERE {' OR '.join(tests)})",
                *params,
            )
        excluded = either(
            term_literals(term) for clause in request.excluded for term in clause.terms
        )
        if excluded:
            self.add(
                f"d.meeting_id NOT IN (SELECT meeting_id FROM {text_table} "
                "WHERE grams @@ %s::tsquery)",
                excluded,
            )
        for name, values in request.selected.items():
            values = [str(value) for value in values if value]
            if not values:
                continue
            if name == "year":
                years = [int(value) for value in values if value.strip().isdigit()]
                self.add("d.year = ANY(%s)", years)
            elif name in SINGLE_VALUED:
                self.add(f"d.{name} = ANY(%s)", values)
            elif name in ("organizations", "people"):
                self.add(f"d.{name} @> %s::text[]", values)
            else:
                self.conditions.append("FALSE")  # a filter nothing can satisfy
        if request.date_from:
            self.add("d.date >= %s", request.date_from)
        if request.date_to:
            self.add("d.date <= %s", request.date_to)
        for name, text in request.fields.items():
            term = query.make_term(text, quoted=True) if name in query.TEXT_FIELDS else None
            if term is None:
                continue  # as Whoosh: a field it does not know, or nothing to match
            self.add(f"d.{name} @@ %s::tsquery", term_literals(term))

    def add(self, condition: str, *params) -> None:
        self.conditions.append(condition)
        self.params += params

    def sql(self) -> str:
        return " AND ".join(self.conditions) or "TRUE"


def rank_tsquery(request: SearchRequest) -> str:
    """Every word of the positive terms, any of them: what relevance ranks by."""
    words = dict.fromkeys(word for term in request.terms for word in term.words)
    return " | ".join(lexeme(word) for word in words)


def search_sql(request: SearchRequest) -> tuple[str, list]:
    """One statement: the matching documents once, their count, facets and one page."""
    public = request.audience != "internal"
    documents = PUBLIC_DOCUMENT if public else DOCUMENT
    texts = PUBLIC_TEXT if public else TEXT
    where = Where(request, texts)
    params = list(where.params)
    rank = rank_tsquery(request) if request.sort == "relevance" else ""
    if rank:
        page = (
            f"SELECT h.meeting_id, ts_rank(t.words, %s::tsquery) AS score, h.date FROM hits h "
            f"JOIN {texts} t ON t.meeting_id = h.meeting_id AND t.part = 0 "
            "ORDER BY score DESC, h.date DESC NULLS LAST, h.meeting_id DESC"
        )
        params.append(rank)
    else:
        direction = "ASC" if request.sort == "oldest" else "DESC"
        page = (
            f"SELECT h.meeting_id, 0.0::real AS score, h.date FROM hits h "
            f"ORDER BY h.date {direction} NULLS LAST, h.meeting_id {direction}"
        )
    per_page = max(int(request.per_page), 1)
    params += [per_page, (max(int(request.page), 1) - 1) * per_page]
    facets = []
    for name in FACETS:
        if name in ("organizations", "people"):
            facets.append(
                f"SELECT '{name}', value, count(*)::float8 FROM hits, unnest({name}) value "
                "WHERE value <> '' GROUP BY value"
            )
        else:
            facets.append(
                f"SELECT '{name}', {name}::text, count(*)::float8 FROM hits "
                f"WHERE {name} IS NOT NULL AND {name}::text <> '' GROUP BY {name}"
            )
    sql = (
        "WITH hits AS MATERIALIZED ("
        "SELECT d.meeting_id, d.year, d.kind, d.issuer, d.organizations, d.people, d.date "
        f"FROM {documents} d WHERE {where.sql()}) "
        "SELECT 'count', NULL, count(*)::float8 FROM hits "
        + "".join(f"UNION ALL {facet} " for facet in facets)
        + f"UNION ALL SELECT 'hit', page.meeting_id::text, page.score::float8 FROM ({page} "
        "LIMIT %s OFFSET %s) page"
    )
    return sql, params


class PostgresEngine(Engine):
    name = "postgres"

    def search(self, request: SearchRequest) -> SearchPage:
        if not request:
            return SearchPage(hits=[], count=0, facets={})
        flush()  # this transaction's own changes first (outside the savepoint below)
        sql, params = search_sql(request)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # SET LOCAL ends with the savepoint (or transaction), rolled back below.
                if request.audience != "internal":
                    cursor.execute(f"SET LOCAL ROLE {ROLE}")
                cursor.execute("SET LOCAL enable_seqscan = off")
                # The matching documents are kept once for the count, facets and page: at
                # 3,000 hits that overflowed the default 4 MB into temporary files.
                cursor.execute("SET LOCAL work_mem = '32MB'")
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            transaction.set_rollback(True)
        count = 0
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        hits = []
        for kind, value, number in rows:
            if kind == "count":
                count = int(number)
            elif kind == "hit":
                hits.append(query.Hit(int(value), float(number)))
            else:
                facets[kind][value] = int(number)
        return SearchPage(hits=hits, count=count, facets=facets)

    def changed(self, meeting_ids) -> None:
        note_changed(meeting_ids)

    def rebuild(self, *, out=None, **options) -> int:
        from minutes.search.pg_build import rebuild

        return rebuild(out=out or sys.stdout, **options)

    def check(self, *, repair: bool = False, out=None) -> bool:
        return check(repair=repair, out=out or sys.stdout)


# --- Check ---------------------------------------------------------------------------------


def differences() -> dict[str, set[int]]:
    """Documents missing from, extra in, or stale in the search tables."""
    flush()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT m.id, s.meeting_id IS NULL OR t.meeting_id IS NULL,
                   s.updated IS DISTINCT FROM m.updated_at
                   OR s.items <> (SELECT count(*) FROM minutes_agendaitem a
                                  WHERE a.meeting_id = m.id)
            FROM minutes_meeting m
            LEFT JOIN {DOCUMENT} s ON s.meeting_id = m.id
            LEFT JOIN {TEXT} t ON t.meeting_id = m.id AND t.part = 0
            """
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT meeting_id FROM {DOCUMENT} WHERE meeting_id NOT IN "
            f"(SELECT id FROM minutes_meeting) UNION SELECT meeting_id FROM {TEXT} "
            "WHERE meeting_id NOT IN (SELECT id FROM minutes_meeting)"
        )
        extra = {pk for (pk,) in cursor.fetchall()}
    return {
        "missing": {pk for pk, missing, _stale in rows if missing},
        "extra": extra,
        "stale": {pk for pk, missing, stale in rows if stale and not missing},
    }


def self_test() -> list[str]:
    """Problems found by running real searches: a faceted one for staff, the role's limits."""
    from minutes.models import Meeting

    problems = []
    everything = SearchRequest(
        date_from=datetime.date(1, 1, 1), audience="internal", per_page=1, sort="newest"
    )
    page = PostgresEngine().search(everything)
    dated = Meeting.objects.exclude(meeting_date=None).count()
    if page.count != dated:
        problems.append(f"a search over every date found {page.count} of {dated} documents")
    if sum(page.facets["kind"].values()) != page.count:
        problems.append("the kind facet does not add up to the count")
    public = PostgresEngine().search(
        SearchRequest(date_from=datetime.date(1, 1, 1), per_page=1, sort="newest")
    )
    published = Meeting.objects.published().exclude(meeting_date=None).count()
    if public.count != published:
        problems.append(f"a public search found {public.count} of {published} public documents")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(%s, %s, 'SELECT') OR has_table_privilege(%s, %s, "
            "'SELECT') OR has_table_privilege(%s, 'minutes_meeting', 'SELECT')",
            [ROLE, DOCUMENT, ROLE, TEXT, ROLE],
        )
        if cursor.fetchone()[0]:
            problems.append(f"the role {ROLE} can read more than the public views")
    return problems


def check(*, repair: bool = False, out=None) -> bool:
    out = out or sys.stdout
    found = differences()
    clean = True
    for kind, pks in found.items():
        if pks:
            clean = False
            out.write(f"postgres: {len(pks)} {kind}: {sorted(pks)[:20]}\n")
    wrong = set().union(*found.values())
    if repair and wrong:
        with transaction.atomic():
            write(wrong)
        out.write(f"postgres: repaired {len(wrong)} documents.\n")
    for problem in self_test():
        clean = False
        out.write(f"postgres: {problem}\n")
    if clean:
        out.write("The search tables match the database.\n")
    return clean
