package db_test

import (
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestNormalizeName(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for in, want := range map[string]string{
			"KazMunayGas":                  "kazmunaygas",
			"Kazmunaygas":                  "kazmunaygas",
			"KMG":                          "kmg",
			"Beineu-Bozoi-Shymkent":        "beineu bozoi shymkent",
			"beineu bozoi shymkent":        "beineu bozoi shymkent",
			"  Beineu -- Bozoi\tShymkent ": "beineu bozoi shymkent",
			"Ålesund":                      "alesund",
			"Öskemen":                      "oskemen",
			"Ürümqi":                       "urumqi",
			"People's Republic of China":   "people s republic of china",
			"JV \"Caspi Bitum\" LLP":       "jv caspi bitum llp",
			"ﬁnance":                       "finance", // NFKD splits the ligature
			"Қазақстан":                    "қазақстан",
			"CNOOC 2024":                   "cnooc 2024",
			"":                             "",
			" - ":                          "",
		} {
			if got := db.NormalizeName(in); got != want {
				t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
			}
		}
	})
	t.Run("OKSameName", func(t *testing.T) {
		for _, pair := range [][2]string{
			{"Beineu-Bozoi-Shymkent", "beineu bozoi shymkent"},
			{"KazMunayGas", "kazmunaygas"},
			{"KazMunayGas National Company", "kazmunaygas-national company"},
			{"Ålesund", "ALESUND"},
			{"Taldykorgan–Oskemen", "Taldykorgan Oskemen"}, // en dash
		} {
			if a, b := db.NormalizeName(pair[0]), db.NormalizeName(pair[1]); a != b {
				t.Errorf("NormalizeName(%q) = %q, NormalizeName(%q) = %q, want equal", pair[0], a, pair[1], b)
			}
		}
	})
	t.Run("OKDifferentNames", func(t *testing.T) {
		for _, pair := range [][2]string{
			{"CITIC", "CITIC Group"},
			{"KMG", "KazMunayGas"},
			{"Kenkiyak-Atyrau", "Kenkiyak-Kumkol"},
		} {
			if a := db.NormalizeName(pair[0]); a == db.NormalizeName(pair[1]) {
				t.Errorf("NormalizeName(%q) = NormalizeName(%q) = %q, want different", pair[0], pair[1], a)
			}
		}
	})
}
