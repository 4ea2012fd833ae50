package db_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestNewPageArgs(t *testing.T) {
	intp := func(n int) *int { return &n }
	strp := func(s string) *string { return &s }

	t.Run("OKDefault", func(t *testing.T) {
		p, err := db.NewPageArgs(nil, nil, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		// The schema and README promise 20 items when neither first nor
		// last is given.
		if got, want := p.First, 20; got != want {
			t.Errorf("First = %d, want %d", got, want)
		}
		if p.After != nil {
			t.Errorf("After = %+v, want nil", p.After)
		}
	})
	t.Run("OKBounds", func(t *testing.T) {
		for _, n := range []int{0, 1, db.MaxPageSize} {
			p, err := db.NewPageArgs(intp(n), nil, nil, nil)
			if err != nil {
				t.Fatalf("first %d: %v", n, err)
			}
			if got, want := p.First, n; got != want {
				t.Errorf("First = %d, want %d", got, want)
			}
		}
	})
	t.Run("OKAfter", func(t *testing.T) {
		c := db.Cursor{Order: "DATE", Key: "2024-07-01", Slug: "2024-07-bektenov-xi-guohua"}
		p, err := db.NewPageArgs(intp(5), strp(c.String()), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.After == nil {
			t.Fatal("After = nil, want the cursor")
		}
		if got, want := *p.After, c; got != want {
			t.Errorf("After = %+v, want %+v", got, want)
		}
	})
	t.Run("ErrNegativeFirst", func(t *testing.T) {
		_, err := db.NewPageArgs(intp(-1), nil, nil, nil)
		wantCode(t, err, db.EINVALID)
	})
	t.Run("ErrFirstTooLarge", func(t *testing.T) {
		_, err := db.NewPageArgs(intp(db.MaxPageSize+1), nil, nil, nil)
		wantCode(t, err, db.EINVALID)
	})
	t.Run("OKLastBefore", func(t *testing.T) {
		c := db.Cursor{Order: "NAME", Key: "KazMunayGas", Slug: "kazmunaygas"}
		p, err := db.NewPageArgs(nil, nil, intp(4), strp(c.String()))
		if err != nil {
			t.Fatal(err)
		}
		if !p.Backward || p.Last != 4 || p.Before == nil || *p.Before != c || p.After != nil {
			t.Errorf("args = %+v, want backward, the last 4 before %+v", p, c)
		}
	})
	t.Run("OKLastZero", func(t *testing.T) {
		p, err := db.NewPageArgs(nil, nil, intp(0), nil)
		if err != nil || !p.Backward || p.Last != 0 {
			t.Errorf("last 0: args %+v, %v; want backward with Last 0", p, err)
		}
	})
	for name, n := range map[string]int{"ErrNegativeLast": -1, "ErrLastTooLarge": db.MaxPageSize + 1} {
		t.Run(name, func(t *testing.T) {
			_, err := db.NewPageArgs(nil, nil, intp(n), nil)
			wantCode(t, err, db.EINVALID)
			if err != nil && !strings.Contains(err.Error(), "last") {
				t.Errorf("error %q does not name last", err)
			}
		})
	}
	t.Run("ErrFirstAndLast", func(t *testing.T) {
		_, err := db.NewPageArgs(intp(1), nil, intp(1), nil)
		wantCode(t, err, db.EINVALID)
	})
	t.Run("ErrBadBefore", func(t *testing.T) {
		_, err := db.NewPageArgs(nil, nil, intp(3), strp("not a cursor"))
		wantCode(t, err, db.EINVALID)
	})
	t.Run("ErrBadAfter", func(t *testing.T) {
		_, err := db.NewPageArgs(nil, strp("not a cursor"), nil, nil)
		wantCode(t, err, db.EINVALID)
	})
}

// TestPageSizes holds the page sizes to the documented ones: 20 items by
// default, 100 at most.
func TestPageSizes(t *testing.T) {
	if db.DefaultPageSize != 20 || db.MaxPageSize != 100 {
		t.Errorf("DefaultPageSize %d, MaxPageSize %d, want 20 and 100", db.DefaultPageSize, db.MaxPageSize)
	}
}

func TestCursor_String(t *testing.T) {
	for _, c := range []db.Cursor{
		{Key: "CITIC Group", Slug: "citic-group"},
		{Key: "", Slug: "x"},
		{Key: "9999", Slug: "cdb-pipeline-financing"},
		{Key: `quote " and \ backslash, ünïcödé`, Slug: "a-b"},
	} {
		s := c.String()
		if strings.ContainsAny(s, "+/= ") {
			t.Errorf("cursor %q is not URL-safe unpadded base64", s)
		}
		got, err := db.ParseCursor(s)
		if err != nil {
			t.Fatalf("ParseCursor(%q) of %+v: %v", s, c, err)
		}
		if got != c {
			t.Errorf("round trip of %+v = %+v", c, got)
		}
	}
}

func TestParseCursor(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, in := range map[string]string{
		"Empty":        "",
		"NotBase64":    "!!!not base64!!!",
		"PaddedStd":    base64.StdEncoding.EncodeToString([]byte(`["ab","c"]`)), // ends in "="
		"NotJSON":      enc("a,b"),
		"Object":       enc(`{"key":"a","slug":"b"}`),
		"Null":         enc(`null`),
		"OnePart":      enc(`["a"]`),
		"FourParts":    enc(`["a","b","c","d"]`),
		"TwoParts":     enc(`["a","b"]`),
		"EmptySlug":    db.Cursor{Order: "NAME", Key: "a"}.String(),
		"Numbers":      enc(`[1,2]`),
		"TrailingData": enc(`["a","b"]x`),
	} {
		t.Run("Err"+name, func(t *testing.T) {
			_, err := db.ParseCursor(in)
			wantCode(t, err, db.EINVALID)
		})
	}
}
