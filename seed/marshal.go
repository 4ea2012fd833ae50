package seed

import (
	"fmt"

	"github.com/goccy/go-yaml"
)

// MarshalFile writes f as the YAML text of a seed file, leaving out the
// fields it does not give: decoding the text gives f back, up to empty
// lists becoming absent ones, which the loader does not tell apart. It is
// the canonical text of a changeset sent as input objects.
func MarshalFile(f *File) (string, error) {
	b, err := yaml.MarshalWithOptions(f, yaml.OmitEmpty(), yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return "", fmt.Errorf("write seed file: %w", err)
	}
	return string(b), nil
}
