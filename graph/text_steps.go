package graph

import (
	"context"

	"github.com/investgraph/investgraph/db"
	"github.com/investgraph/investgraph/graph/loader"
)

// paragraphTexts is the step of Citation.text: the texts of a level's
// cited paragraphs, in one statement. The text is a leaf, so the step
// leads to no objects.
func paragraphTexts(ctx context.Context, l *loader.Loaders, parents []any) ([]any, []int) {
	keys := make([]db.Citation, 0, len(parents))
	for _, p := range parents {
		if c, ok := p.(*db.Citation); ok {
			keys = append(keys, *c)
		}
	}
	l.ParagraphText.LoadAll(ctx, keys)
	return nil, make([]int, len(parents))
}
