-- source_texts holds the text of articles, paragraph by paragraph, where it
-- is known: from a changeset that carries it or from the files the server
-- was started with (-articles). It is keyed by the source's slug, which
-- outlives row ids, so that text attached at start-up stays when a
-- changeset rebuilds the graph. The built-in seed ships no text.
CREATE TABLE source_texts (
    source_slug TEXT    NOT NULL,
    paragraph   INTEGER NOT NULL CHECK (paragraph >= 1),
    text        TEXT    NOT NULL,
    PRIMARY KEY (source_slug, paragraph)
) STRICT, WITHOUT ROWID;
