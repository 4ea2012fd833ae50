package seed_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// window is the shortest run of words that counts as copied text. Names and
// titles of up to seven words ("China National Offshore Oil Corporation
// International Limited") are facts and may be carried over.
const window = 8

// TestNoCopiedSentences checks that the seed's descriptions are written in
// our own words: no run of eight words of a source article appears in the
// seed files. The articles are not part of the repository: they are read
// from INVESTGRAPH_ARTICLES when it is set, else from shared/seeds beside the
// repository, where CI keeps them.
func TestNoCopiedSentences(t *testing.T) {
	dir := os.Getenv("INVESTGRAPH_ARTICLES")
	if dir == "" {
		// The test runs in seed/; the module root is its parent.
		dir = filepath.Join("..", "..", "shared", "seeds")
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			t.Skipf("no source articles: %s does not exist and INVESTGRAPH_ARTICLES is not set", dir)
		}
	}
	articles, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(articles) == 0 {
		t.Fatalf("no articles in %s (%v)", dir, err)
	}
	runs := map[string]string{} // run of words → article it comes from
	for _, a := range articles {
		text, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		words := wordsOf(string(text))
		for i := 0; i+window <= len(words); i++ {
			runs[strings.Join(words[i:i+window], " ")] = filepath.Base(a)
		}
	}
	files, err := filepath.Glob("data/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed files (%v)", err)
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		words := wordsOf(string(text))
		for i := 0; i+window <= len(words); i++ {
			run := strings.Join(words[i:i+window], " ")
			if src, ok := runs[run]; ok {
				t.Errorf("%s copies %q from %s: write it in our own words", f, run, src)
			}
		}
	}
}

// wordsOf splits text into lowercase words, ignoring punctuation.
func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
