package seed

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sync"

	"github.com/goccy/go-yaml"

	"github.com/investgraph/investgraph/db"
)

// parsedFiles keeps the files Build has decoded, by their text: a changeset
// is built over the seed and every changeset before it, and decoding their
// YAML again each time took most of a changeset's time. Decoding is a pure
// function of the text and the builder only reads a File, so a file decoded
// once serves every later Build. The cache is emptied when the texts it
// holds pass maxParsedBytes.
var parsedFiles struct {
	mu    sync.Mutex
	files map[string]*File
	bytes int
}

const maxParsedBytes = 64 << 20

// decodeFile decodes the YAML of one seed file, or returns the File an
// earlier call decoded from the same text.
func decodeFile(text []byte) (*File, error) {
	parsedFiles.mu.Lock()
	f, ok := parsedFiles.files[string(text)]
	parsedFiles.mu.Unlock()
	if ok {
		return f, nil
	}
	f = new(File)
	if err := yaml.UnmarshalWithOptions(text, f, yaml.DisallowUnknownField()); err != nil {
		return nil, err
	}
	parsedFiles.mu.Lock()
	defer parsedFiles.mu.Unlock()
	if parsedFiles.files == nil || parsedFiles.bytes+len(text) > maxParsedBytes {
		parsedFiles.files, parsedFiles.bytes = map[string]*File{}, 0
	}
	parsedFiles.files[string(text)] = f
	parsedFiles.bytes += len(text)
	return f, nil
}

// lastBuilt is the dataset of the last successful buildShared, with a hash
// of the texts it was built from.
var lastBuilt struct {
	mu  sync.Mutex
	key [sha256.Size]byte
	d   *db.Dataset
}

// buildShared is Build, except that the documents of the last successful
// call, text for text, give the dataset that call made without building it
// again: the graph before a changeset is the graph after the one before it,
// which was a quarter of a changeset's CPU. The dataset is shared, so it is
// never changed: a caller changes the copy buildCopy gives. Names do not
// enter the key: they only name problems, and a build with problems is not
// remembered.
func buildShared(docs []Document) (*db.Dataset, error) {
	h := sha256.New()
	for _, doc := range docs {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(doc.Text)))
		h.Write(n[:])
		h.Write(doc.Text)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	lastBuilt.mu.Lock()
	if lastBuilt.d != nil && lastBuilt.key == key {
		d := lastBuilt.d
		lastBuilt.mu.Unlock()
		return d, nil
	}
	lastBuilt.mu.Unlock()
	d, err := Build(docs)
	if err != nil {
		return nil, err
	}
	lastBuilt.mu.Lock()
	lastBuilt.key, lastBuilt.d = key, d
	lastBuilt.mu.Unlock()
	return d, nil
}

// buildCopy is buildShared's dataset as a copy that a retraction may
// change: retractions only append to Retractions and give Links a new
// slice without the link they withdraw (withdrawParticipant), so a copy
// of the struct whose slices have no room to append in place leaves the
// shared dataset as it was.
func buildCopy(docs []Document) (*db.Dataset, error) {
	shared, err := buildShared(docs)
	if err != nil {
		return nil, err
	}
	d := *shared
	d.Retractions = slices.Clip(d.Retractions)
	d.Links = slices.Clip(d.Links)
	return &d, nil
}
