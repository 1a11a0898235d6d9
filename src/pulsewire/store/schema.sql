-- The store's tables. Bars are kept physically ordered by (symbol, date) so that one
-- symbol's recent history is a short contiguous read (DuckDB prunes row groups by their
-- min/max of symbol and date).
CREATE TABLE IF NOT EXISTS bars (
    symbol    VARCHAR NOT NULL,
    date      DATE    NOT NULL,
    open      DOUBLE  NOT NULL,
    high      DOUBLE  NOT NULL,
    low       DOUBLE  NOT NULL,
    close     DOUBLE  NOT NULL,
    adj_close DOUBLE  NOT NULL,
    volume    DOUBLE
);
CREATE TABLE IF NOT EXISTS news (
    news_id   VARCHAR     NOT NULL PRIMARY KEY,
    ts_event  TIMESTAMPTZ NOT NULL,
    title     VARCHAR     NOT NULL,
    summary   VARCHAR     NOT NULL,
    source    VARCHAR     NOT NULL,
    url       VARCHAR     NOT NULL,
    origin    VARCHAR     NOT NULL,
    ts_ingest TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS calendar_events (
    date       DATE    NOT NULL,
    time_utc   TIME,
    event      VARCHAR NOT NULL,
    country    VARCHAR NOT NULL,
    importance VARCHAR NOT NULL,
    PRIMARY KEY (date, event, country)
);
CREATE TABLE IF NOT EXISTS ingest_log (
    file      VARCHAR     NOT NULL,
    kind      VARCHAR     NOT NULL,
    sha256    VARCHAR     NOT NULL,
    rows      BIGINT      NOT NULL,
    ts_ingest TIMESTAMPTZ NOT NULL
);
-- What each article committed to (see model.call), and how those calls were graded.
CREATE TABLE IF NOT EXISTS calls (
    origin             VARCHAR NOT NULL,
    as_of              DATE    NOT NULL,
    symbol             VARCHAR NOT NULL,
    close              DOUBLE  NOT NULL,
    pulse              DOUBLE  NOT NULL,
    pulse_label        VARCHAR NOT NULL,
    threat_level       TINYINT NOT NULL,
    threat_probability DOUBLE,
    support_low        DOUBLE,
    support_high       DOUBLE,
    resistance_low     DOUBLE,
    resistance_high    DOUBLE,
    PRIMARY KEY (origin, as_of, symbol)
);
-- The desk's call (Pulse's lean, or the other side when the record runs against it) and
-- its Conviction came after the first stores: their older rows hold NULL, read as the lean.
ALTER TABLE calls ADD COLUMN IF NOT EXISTS call VARCHAR;
ALTER TABLE calls ADD COLUMN IF NOT EXISTS conviction DOUBLE;
CREATE TABLE IF NOT EXISTS grades (
    origin             VARCHAR NOT NULL,
    as_of              DATE    NOT NULL,
    symbol             VARCHAR NOT NULL,
    forward_return     DOUBLE,
    direction_hit      BOOLEAN,
    sharp_move         BOOLEAN,
    support_outcome    VARCHAR,
    resistance_outcome VARCHAR,
    PRIMARY KEY (origin, as_of, symbol)
);
-- Editions: every article of one as-of date with the FactSheet it was written from.
CREATE TABLE IF NOT EXISTS articles (
    as_of     DATE        NOT NULL,
    slug      VARCHAR     NOT NULL,
    symbol    VARCHAR     NOT NULL,
    published TIMESTAMPTZ NOT NULL,
    article   JSON        NOT NULL,
    factsheet JSON        NOT NULL,
    PRIMARY KEY (as_of, slug)
);
-- The symbols an edition asked for and could not write, with why (facts.edition.LeftOut).
CREATE TABLE IF NOT EXISTS left_out (
    as_of     DATE    NOT NULL,
    symbol    VARCHAR NOT NULL,
    reason    VARCHAR NOT NULL,
    detail    VARCHAR NOT NULL,
    first_bar DATE,
    bars      BIGINT  NOT NULL,
    PRIMARY KEY (as_of, symbol)
);
