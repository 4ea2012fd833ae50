package seed

import (
	"sync"

	"github.com/goccy/go-yaml"
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
