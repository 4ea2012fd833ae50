package seed_test

import (
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// window is the shortest run of words that counts as copied text. Names and
// titles of up to seven words ("China National Offshore Oil Corporation
// International Limited") are facts and may be carried over.
const window = 8

// runsPath holds a fingerprint (a 64-bit FNV-1a hash) of every run of
// window words of the source articles, so that the check runs without the
// articles, which are not part of the repository.
const runsPath = "testdata/article-runs.txt"

var updateRuns = flag.Bool("update-runs", false, "rewrite "+runsPath+" from the source articles")

// TestNoCopiedSentences checks that the seed's descriptions are written in
// our own words: no run of eight words of a source article appears in the
// seed files. It compares fingerprints of the runs, kept in testdata. When
// the articles are at hand (INVESTGRAPH_ARTICLES, or shared/seeds beside the
// repository, where CI keeps them), it also checks that the fingerprints
// are those of the articles and names the article a copied run comes from.
func TestNoCopiedSentences(t *testing.T) {
	articles, dir := articleRuns(t)
	if *updateRuns {
		if articles == nil {
			t.Fatalf("-update-runs needs the articles: %s does not exist", dir)
		}
		writeRuns(t, articles)
	}
	fingerprints := readRuns(t)
	if articles != nil {
		var fresh []uint64
		for run := range articles {
			fresh = append(fresh, fingerprint(run))
		}
		slices.Sort(fresh)
		fresh = slices.Compact(fresh)
		if !slices.Equal(fresh, fingerprints) {
			t.Fatalf("%s is not made from the articles in %s: run go test ./seed -run TestNoCopiedSentences -update-runs", runsPath, dir)
		}
	}
	if len(fingerprints) < 1000 {
		t.Fatalf("%s holds %d fingerprints, expected the runs of every article", runsPath, len(fingerprints))
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
			if _, ok := slices.BinarySearch(fingerprints, fingerprint(run)); ok {
				src := "a source article"
				if a, ok := articles[run]; ok {
					src = a
				}
				t.Errorf("%s copies %q from %s: write it in our own words", f, run, src)
			}
		}
	}
}

// TestNoCopiedSentences_Catches checks the check: a run taken from the
// fingerprinted articles is found, and one that differs by a word is not.
func TestNoCopiedSentences_Catches(t *testing.T) {
	articles, _ := articleRuns(t)
	if articles == nil {
		// Without the articles, a fingerprint's run cannot be rebuilt; the
		// committed file is still checked for being sorted and readable.
		readRuns(t)
		return
	}
	fingerprints := readRuns(t)
	for run := range articles {
		if _, ok := slices.BinarySearch(fingerprints, fingerprint(run)); !ok {
			t.Fatalf("run %q of an article has no fingerprint", run)
		}
		altered := run + "x"
		if _, ok := slices.BinarySearch(fingerprints, fingerprint(altered)); ok {
			t.Errorf("altered run %q matches a fingerprint", altered)
		}
		break
	}
}

// articleRuns reads the source articles when they are at hand: each run of
// window words and the article it comes from. It returns nil, and the
// directory it looked in, when they are not.
func articleRuns(t *testing.T) (map[string]string, string) {
	t.Helper()
	dir := os.Getenv("INVESTGRAPH_ARTICLES")
	if dir == "" {
		// The test runs in seed/; the module root is its parent.
		dir = filepath.Join("..", "..", "shared", "seeds")
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil, dir
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
	return runs, dir
}

func fingerprint(run string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(run))
	return h.Sum64()
}

func writeRuns(t *testing.T, runs map[string]string) {
	t.Helper()
	var fps []uint64
	for run := range runs {
		fps = append(fps, fingerprint(run))
	}
	slices.Sort(fps)
	fps = slices.Compact(fps)
	var b strings.Builder
	fmt.Fprintf(&b, "# FNV-1a 64-bit hashes of every run of %d words of the source articles,\n# lower-cased, punctuation dropped. Made by: go test ./seed -run TestNoCopiedSentences -update-runs\n", window)
	for _, fp := range fps {
		fmt.Fprintf(&b, "%016x\n", fp)
	}
	if err := os.MkdirAll(filepath.Dir(runsPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(runsPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readRuns reads the committed fingerprints, which must be sorted.
func readRuns(t *testing.T) []uint64 {
	t.Helper()
	raw, err := os.ReadFile(runsPath)
	if err != nil {
		t.Fatalf("%v: with the articles at hand, run go test ./seed -run TestNoCopiedSentences -update-runs", err)
	}
	var fps []uint64
	for line := range strings.SplitSeq(string(raw), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var fp uint64
		if _, err := fmt.Sscanf(line, "%x", &fp); err != nil {
			t.Fatalf("%s: %q: %v", runsPath, line, err)
		}
		fps = append(fps, fp)
	}
	if !slices.IsSorted(fps) {
		t.Fatalf("%s is not sorted", runsPath)
	}
	return fps
}

// wordsOf splits text into lowercase words, ignoring punctuation.
func wordsOf(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
