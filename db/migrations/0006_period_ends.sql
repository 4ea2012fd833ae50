-- The last day of the dates that kept only their first: a milestone's date,
-- an agreement's signing, a position's report and a source's publication.
-- A partial date is the period it names (2024-H2 is 1 July to 31 December
-- 2024), so every dated row has both ends: a range filter keeps the rows
-- whose period overlaps it, and the timeline orders every kind of event by
-- its period's start, then its end.
ALTER TABLE milestones ADD COLUMN date_end TEXT;
ALTER TABLE agreements ADD COLUMN signed_end TEXT;
ALTER TABLE positions ADD COLUMN reported_end TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN published_end TEXT NOT NULL DEFAULT '';

-- The ends of the rows already loaded, from each date as the source gave
-- it (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM or YYYY-MM-DD) and its first day; a
-- load writes them from db.PartialDate.End, which gives the same days.
UPDATE milestones SET date_end = CASE
    WHEN length(date) = 10 THEN date
    WHEN length(date) = 4 THEN date || '-12-31'
    WHEN substr(date, 6, 1) = 'H' THEN date(date_start, '+6 months', '-1 day')
    WHEN substr(date, 6, 1) = 'Q' THEN date(date_start, '+3 months', '-1 day')
    ELSE date(date_start, '+1 months', '-1 day')
END WHERE date IS NOT NULL;
UPDATE agreements SET signed_end = CASE
    WHEN length(signed_on) = 10 THEN signed_on
    WHEN length(signed_on) = 4 THEN signed_on || '-12-31'
    WHEN substr(signed_on, 6, 1) = 'H' THEN date(signed_start, '+6 months', '-1 day')
    WHEN substr(signed_on, 6, 1) = 'Q' THEN date(signed_start, '+3 months', '-1 day')
    ELSE date(signed_start, '+1 months', '-1 day')
END WHERE signed_on IS NOT NULL;
UPDATE positions SET reported_end = CASE
    WHEN length(reported_on) = 10 THEN reported_on
    WHEN length(reported_on) = 4 THEN reported_on || '-12-31'
    WHEN substr(reported_on, 6, 1) = 'H' THEN date(reported_start, '+6 months', '-1 day')
    WHEN substr(reported_on, 6, 1) = 'Q' THEN date(reported_start, '+3 months', '-1 day')
    ELSE date(reported_start, '+1 months', '-1 day')
END;
UPDATE sources SET published_end = CASE
    WHEN length(published_on) = 10 THEN published_on
    WHEN length(published_on) = 4 THEN published_on || '-12-31'
    WHEN substr(published_on, 6, 1) = 'H' THEN date(published_start, '+6 months', '-1 day')
    WHEN substr(published_on, 6, 1) = 'Q' THEN date(published_start, '+3 months', '-1 day')
    ELSE date(published_start, '+1 months', '-1 day')
END;
