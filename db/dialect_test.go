package db

import "testing"

func TestTranslatePostgres(t *testing.T) {
	for _, tc := range []struct{ name, sqlite, want string }{
		{"Placeholders", `SELECT a FROM t WHERE b = ? AND c = ? AND d = ?2 AND e = ?`,
			`SELECT a FROM t WHERE b = $1 AND c = $2 AND d = $2 AND e = $3`},
		{"UnusedParameterDropped", `SELECT a FROM t WHERE b = ?1 AND c = ?3`,
			`SELECT a FROM t WHERE b = $1 AND c = $2`},
		{"NullsPlacedAsSQLite", `SELECT a FROM t ORDER BY a, b DESC, c NULLS LAST LIMIT ?`,
			`SELECT a FROM t ORDER BY a NULLS FIRST, b DESC NULLS LAST, c NULLS LAST LIMIT $1`},
		{"NoCase", `SELECT x.name FROM t x ORDER BY x.name COLLATE NOCASE, x.slug`,
			`SELECT x.name FROM t x ORDER BY lower(x.name COLLATE "C") NULLS FIRST, x.slug NULLS FIRST`},
		{"LikeIgnoresCase", `SELECT a FROM t WHERE a LIKE ? ESCAPE '\'`, `SELECT a FROM t WHERE a ILIKE $1 ESCAPE '\'`},
		{"InsertOrIgnore", `INSERT OR IGNORE INTO t (a) SELECT b FROM u`, `INSERT INTO t (a) SELECT b FROM u ON CONFLICT DO NOTHING`},
		{"Functions", `SELECT instr(a, ?), group_concat(b, ' '), ifnull(c, 0), max(d, e), max(f), min(g, h) FROM t`,
			`SELECT strpos(a, $1), string_agg(b, ' '), coalesce(c, 0), greatest(d, e), max(f), least(g, h) FROM t`},
		{"JSONList", `SELECT a FROM t WHERE id IN (SELECT value FROM json_each(?))`, `SELECT a FROM t WHERE id = ANY($1)`},
		{"JSONRows", `SELECT k.value ->> '$[0]' FROM json_each(?) k`, `SELECT k.value ->> 0 FROM jsonb_array_elements(CAST($1 AS jsonb)) k`},
		{"SubqueryAlias", `SELECT n FROM (SELECT 1 AS n) WHERE n > 0`, `SELECT n FROM (SELECT 1 AS n) AS _1 WHERE n > 0`},
		{"Casts", `SELECT CAST(a AS INTEGER), CAST(b AS REAL), CAST(c AS TEXT) FROM t`,
			`SELECT CAST(a AS bigint), CAST(b AS double precision), CAST(c AS TEXT) FROM t`},
		{"TempTable", `CREATE TEMP TABLE IF NOT EXISTS touched (kind TEXT, PRIMARY KEY (kind)) WITHOUT ROWID`,
			`CREATE TEMP TABLE IF NOT EXISTS touched (kind TEXT, PRIMARY KEY (kind)) `},
		{"StringsKept", `SELECT 'a ? LIKE b', "max" FROM t`, `SELECT 'a ? LIKE b', "max" FROM t`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := translate(tc.sqlite).sql; got != tc.want {
				t.Errorf("translate(%q)\n got %q\nwant %q", tc.sqlite, got, tc.want)
			}
		})
	}
	if st := translate(`PRAGMA foreign_keys = OFF`); !st.none {
		t.Errorf("a PRAGMA translates to %q, want nothing", st.sql)
	}
}

func TestPgArrayLiteral(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`[]`, `{}`},
		{`[1,2,30]`, `{1,2,30}`},
		{`["COMPANY","it's \"x\"","a\\b"]`, `{"COMPANY","it's \"x\"","a\\b"}`},
	} {
		if got, ok := pgArrayLiteral(tc.json); !ok || got != tc.want {
			t.Errorf("pgArrayLiteral(%q) = %q, %v; want %q", tc.json, got, ok, tc.want)
		}
	}
	if _, ok := pgArrayLiteral(`{"a":1}`); ok {
		t.Error("an object read as an array")
	}
}
