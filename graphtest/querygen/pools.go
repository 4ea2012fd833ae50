package querygen

import (
	"encoding/base64"
	"math"
	"strings"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph"
)

// The values arguments are drawn from. Global IDs and cursors are built
// with the functions that make the real ones (graph.GlobalID, db.Cursor),
// so they follow the formats as they change.

// long is the length of the long strings.
const long = 10_000

var (
	longASCII   = strings.Repeat("a", long)
	longUnicode = strings.Repeat("é中🇰🇿", long/4) // 10,000 characters of 1, 2 and 4 bytes
)

// A pool is where the values of one kind come from: plausible values, which
// the server may well accept (the samples' among them), and edge cases,
// which it mostly should refuse, or which are easy to get wrong.
type pool struct{ plausible, edge []any }

// kinds are the pools of string and integer arguments and input fields of
// these names, on top of the one of their type.
var kinds = map[string]string{
	"first": "page", "last": "page", "limit": "page", "depth": "hops", "maxHops": "hops",
	"after": "cursor", "before": "cursor", "slug": "slug", "name": "name", "text": "name", "region": "name",
	"location": "name", "query": "search", "currency": "currency", "country": "country",
}

// pool returns the pool for a value of the scalar type named typ for the
// argument or input field named hint.
func (g *Generator) pool(typ, hint string) pool {
	if k, ok := kinds[hint]; ok {
		if p, ok := g.pools[typ+":"+k]; ok {
			return p
		}
	}
	if p, ok := g.pools[typ]; ok {
		return p
	}
	return g.pools["String"] // a custom scalar without a pool of its own
}

// newPools builds the pools by type name and, for those that depend on the
// argument's name, "type:kind"; "" holds every string of every pool.
func newPools(s Samples) map[string]pool {
	pools := map[string]pool{
		"Int":             {plausible: anys[int64](0, 1, 2, 3), edge: ints},
		"Int:page":        {plausible: anys[int64](1, 2, 3, 5, 10, 20), edge: pageSizes},
		"Int:hops":        {plausible: anys[int64](1, 2, 3), edge: hops},
		"Float":           {plausible: []any{0.0, 1.5, 1e6, 1e9}, edge: floats},
		"ID":              {plausible: fromStrings(s.IDs, plausible.ids), edge: fromStrings(ids)},
		"String":          {plausible: fromStrings(s.Names, plausible.names), edge: fromStrings(strs)},
		"String:cursor":   {plausible: fromStrings(s.Cursors, plausible.cursors), edge: fromStrings(cursors)},
		"String:slug":     {plausible: fromStrings(s.Slugs, plausible.slugs), edge: fromStrings(slugs, strs)},
		"String:name":     {plausible: fromStrings(s.Names, plausible.names), edge: fromStrings(names, strs)},
		"String:search":   {plausible: fromStrings(plausible.search), edge: fromStrings(search)},
		"String:currency": {plausible: anys("USD", "usd", "KZT", "CNY"), edge: fromStrings(currencies)},
		"String:country":  {plausible: anys("CN", "KZ", "cn"), edge: fromStrings(countries)},
		"PartialDate":     {plausible: fromStrings(plausible.dates), edge: fromStrings(dates)},
	}
	var all []any
	for _, k := range sortedKeys(pools) {
		if p := pools[k]; !strings.HasPrefix(k, "Int") && k != "Float" {
			all = append(append(all, p.plausible...), p.edge...)
		}
	}
	pools[""] = pool{plausible: all, edge: all}
	return pools
}

// anys and fromStrings make the []any a pool holds.
func anys[T any](values ...T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

func fromStrings(lists ...[]string) []any {
	var out []any
	for _, l := range lists {
		out = append(out, anys(l...)...)
	}
	return out
}

// plausible are values that make sense in the built-in seed, for when the
// samples have none.
var plausible = struct{ ids, names, cursors, slugs, search, dates []string }{
	ids: []string{graph.GlobalID("Company", "citic-group"), graph.GlobalID("Person", "zhu-hexin"),
		graph.GlobalID("Project", "caspi-bitum-expansion"), graph.GlobalID("Agreement", "citic-five-documents-2023")},
	names:   []string{"CITIC", "CITIC Group", "KMG", "Kazmunaygas", "Caspi Bitum", "Zhu Hexin", "Tokayev", "Astana"},
	cursors: []string{db.Cursor{Order: "NAME", Key: "citic group", Slug: "citic-group"}.String(), db.OffsetCursor("SEARCH", 0), db.OffsetCursor("TIMELINE", 0)},
	slugs:   []string{"citic-group", "zhu-hexin", "caspi-bitum-expansion", "citic-five-documents-2023"},
	search:  []string{"oil", "CITIC", "bitu*", `"caspi bitum"`, "Beineu-Bozoi-Shymkent", "gas pipeline", "café", "Казахстан", "refinery", "KMG"},
	dates:   []string{"2024", "2023-Q4", "2024-H2", "2025-03", "2023-10-17", "2024-02-29", "2020", "2019-09"},
}

var ints = anys[int64](0, 1, -1, 2, 3, 6, 7, 16, 17, 20, -100, 100, 101, 1000, 1001, 5000, math.MaxInt32, math.MinInt32)

var (
	pageSizes = anys[int64](0, 1, 2, 3, 5, 10, 20, 99, 100, 101, 1000, -1, math.MaxInt32, math.MinInt32)
	hops      = anys[int64](-1, 0, 1, 2, 3, 4, 5, 6, 7, 20, math.MaxInt32, math.MinInt32)
)

var floats = []any{0.0, 1.0, -1.0, 1.5, -0.5, 0.001, 1e6, 1e9, 2.5e9, 2147483648.0, 9007199254740993.0,
	1e300, -1e300, 5e-324, math.MaxFloat64}

// oddScalars are values of other kinds than the string a custom scalar
// takes.
var oddScalars = []any{int64(2024), 2024.5, true, false, []any{}, []any{"2024"}, map[string]any{}, map[string]any{"year": int64(2024)}}

// strs are strings of every sort: empty, blank, unicode in several
// scripts and directions, control characters (not NUL), characters that
// mean something to SQL, JSON, HTML or a shell, and very long ones.
var strs = []string{
	"", " ", "   ", "\t", "a", "CITIC", "citic", "0", "-1", "1e309", "NaN", "null", "true", "undefined", "COMPANY",
	"Café Müller", "Ка\u0301захстан", "Қазақстан", "中信集团", "哈萨克斯坦石油", "ＣＩＴＩＣ", "İı", "ß", "ﬁ",
	"شركة النفط", "חברה", "\u202eevil\u202c", "\u200b\u200c\u200d", "\ufeffbom", "\ufffd", "\u2028\u2029\u0085",
	"🇰🇿🤝🇨🇳", "👨‍👩‍👧", "🛢️", "\x01\x02\x1f\x7f", "tab\there", "line\nbreak\r\n",
	"%", "_", "%_%", "%citic%", "a_b", "'", "\"", "\\", "`", "' OR '1'='1", "'; DROP TABLE companies; --",
	"{}", "[]", "<b>x</b>", "<mark>", "../../etc/passwd", "$(id)", "${x}",
	longASCII, longUnicode,
}

var (
	currencies = []string{"USD", "usd", "Usd", "KZT", "CNY", "EUR", "RUB", "", " ", "US", "USDD", "€", "$", "人民币", "U\u0301SD", longASCII}
	countries  = []string{"CN", "KZ", "cn", "kz", "RU", "US", "", "XX", "C", "CHN", "中国", "K\u0301Z", longASCII}
)

// search is search syntax, supported and refused.
var search = []string{
	"", " ", `"`, `""`, `"unterminated`, `"caspi bitum"`, `"a" "b"`, `'`, `' "`,
	"*", "**", "bitu*", "*itum", "b*t", `"oil"*`, strings.Repeat("*", 1000),
	"-", "--", "-oil", "oil -gas", "Beineu-Bozoi-Shymkent", "oil-", "-*",
	"AND", "OR", "NOT", "NEAR", "and", "oil AND gas", "oil OR gas", "NOT oil", "oil NOT",
	"NEAR(", "NEAR(oil gas)", "NEAR(oil gas, 5)", "oil NEAR gas", "near(", "NEAR/3",
	"(", ")", "()", "^oil", "title:oil", "{oil}", "oil+gas", "a.b", ",", ";", "!", "?", "&", "|", "~", "#",
	"@", "$", "=", "<", ">", "[", "]", `\`, "/", "`", "%", "_", ".",
	"CITIC", "citic", "caspi bitum", "KMG", "Казахстан", "中信", "café", "CAFÉ", "🛢️", "ﬁ", "\x01",
	"a b c d e f g h i j k l m n o p", "a b c d e f g h i j k l m n o p q",
	strings.Repeat("oil ", long/4), longASCII, longUnicode,
}

// dates are partial dates, well-formed or not.
var dates = []string{
	"2024", "2024-Q4", "2024-H2", "2025-03", "2025-03-15", "2024-02-29", "2023-02-29", "2023", "2000", "1991-12-16",
	"2024-13", "0000", "9999-12-31", "9999", "0001-01-01", "10000", "-2024", "+2024", "", " ", "garbage", "null",
	"2024-Q0", "2024-Q5", "2024-H0", "2024-H3", "2024-00", "2024-12-32", "2024-04-31", "2024-", "2024-1", "2024-01-1",
	"2024-W01", "2024/03/15", "15.03.2024", "２０２４", "२०२४", "2024-03-15T00:00:00Z", " 2024", "2024 ", "2024\n",
	"2024-q4", "2024-h2", "Q4-2024", strings.Repeat("2", long),
}

// slugs are slugs that exist in the built-in seed and slugs that cannot.
var slugs = []string{"citic-group", "zhu-hexin", "caspi-bitum-expansion", "citic-five-documents-2023",
	"CITIC-GROUP", "citic_group", "citic-group ", "-", "--", "nope", "", "中信", "%", longASCII}

// names are names and aliases, in the built-in seed's spellings and others.
var names = []string{"CITIC", "CITIC Group", "citic group", "ÇİTİC", "KMG", "Kazmunaygas", "KazMunayGas National Company",
	"Caspi Bitum", "caspi-bitum", "Zhu Hexin", "Tokayev", "Kassym-Jomart Tokayev", "Xi Jinping", "Astana", "Almaty",
	"Shymkent", "Aktau", "Beijing", "Café", "", " ", "%", "_", "中信集团", "Қазақстан", longUnicode}

// ids are global IDs of every wrong shape, and well-formed ones of
// objects that are not there.
var ids = []string{
	"", " ", "x", "not base64!", "%%%", "Company:citic-group", "citic-group", "🇰🇿",
	graph.GlobalID("Company", "citic-group"),
	base64.StdEncoding.EncodeToString([]byte("Company:citic-group")), // padded, standard alphabet
	graph.GlobalID("Company", "no-such-company"),
	graph.GlobalID("Company", ""),
	graph.GlobalID("", "citic-group"),
	graph.GlobalID("company", "citic-group"),
	graph.GlobalID("Nope", "citic-group"),
	graph.GlobalID("Relationship", "x"),
	graph.GlobalID("PageInfo", "x"),
	graph.GlobalID("Company", "citic-group:extra"),
	graph.GlobalID("Company", "中信"),
	graph.GlobalID("Company", "\x00"),
	graph.GlobalID("Company", "%"),
	graph.GlobalID("Company", "' OR 1=1 --"),
	graph.GlobalID("Company", longASCII),
	graph.GlobalID("Person", "zhu-hexin"),
	graph.GlobalID("Project", "caspi-bitum-expansion"),
	graph.GlobalID("Agreement", "citic-five-documents-2023"),
	graph.GlobalID("Meeting", "x"),
	graph.GlobalID("Source", "x"),
	base64.RawURLEncoding.EncodeToString([]byte("\xff\xfe:\xff")),
	strings.Repeat("A", long),
}

// cursors are cursors of every wrong shape, and well-formed ones of other
// lists, orderings and positions.
var cursors = []string{
	"", " ", "x", "====", "%%%",
	b64("[]"), b64(`["a","b"]`), b64(`[1,2,3]`), b64("null"), b64(`{"a":1}`), b64(`["a","b","c","d"]`),
	b64(`["a","b",null]`), b64(`"abc"`), b64("\xff"), strings.Repeat("W", long),
	base64.StdEncoding.EncodeToString([]byte(`["NAME","citic group","citic-group"]`)),
	db.Cursor{Order: "NAME", Key: "citic group", Slug: "citic-group"}.String(),
	db.Cursor{Order: "NAME DESC", Key: "zzz", Slug: "zzz"}.String(),
	db.Cursor{Order: "NAME", Key: "", Slug: ""}.String(),
	db.Cursor{Order: "", Key: "", Slug: "x"}.String(),
	db.Cursor{Order: "COUNTRY", Key: "CN", Slug: "x"}.String(),
	db.Cursor{Order: "FIRST_REPORTED", Key: "2024-01-01", Slug: "x"}.String(),
	db.Cursor{Order: "DATE", Key: "2024", Slug: "x"}.String(),
	db.Cursor{Order: "SIGNED_ON", Key: "", Slug: "x"}.String(),
	db.Cursor{Order: "PUBLISHED_ON DESC", Key: "9999-12-31", Slug: "x"}.String(),
	db.Cursor{Order: "AMOUNT", Key: "1e308", Slug: "x"}.String(),
	db.Cursor{Order: "BOGUS", Key: "k", Slug: "s"}.String(),
	db.Cursor{Order: "NAME", Key: longUnicode, Slug: "x"}.String(),
	db.OffsetCursor("SEARCH", 0),
	db.OffsetCursor("SEARCH", 19),
	db.OffsetCursor("SEARCH", 1_000_000),
	db.OffsetCursor("SEARCH", math.MaxInt32),
	db.OffsetCursor("SEARCH", math.MaxInt64),
	db.OffsetCursor("SEARCH", math.MaxInt64-1),
	db.OffsetCursor("TIMELINE", 0),
	db.OffsetCursor("TIMELINE", math.MaxInt64),
	db.Cursor{Order: "SEARCH", Key: "-1", Slug: "-"}.String(),
	db.Cursor{Order: "SEARCH", Key: "99999999999999999999", Slug: "-"}.String(),
	db.Cursor{Order: "SEARCH", Key: "1e3", Slug: "-"}.String(),
	db.Cursor{Order: "TIMELINE", Key: " 1", Slug: "-"}.String(),
	graph.GlobalID("Company", "citic-group"),
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
