package db

import (
	"strings"
)

// in adds `col IN (values...)` when values is not empty.
func in[T ~string](q *pageQuery, col string, values []T) {
	if len(values) == 0 {
		return
	}
	strs := make([]string, len(values))
	for i, v := range values {
		strs[i] = string(v)
	}
	q.where = append(q.where, col+` IN (SELECT value FROM json_each(?))`)
	q.args = append(q.args, jsonString(strs))
}

// contains adds a case-insensitive substring match on col.
func (q *pageQuery) contains(col, part string) {
	if part = strings.TrimSpace(part); part == "" {
		return
	}
	q.where = append(q.where, `instr(lower(`+col+`), lower(?)) > 0`)
	q.args = append(q.args, part)
}

// nameLike keeps entities one of whose names contains text, compared in
// normalized form.
func (q *pageQuery) nameLike(subject Subject, text string) {
	norm := NormalizeName(text)
	if norm == "" {
		return
	}
	q.where = append(q.where, `x.id IN (SELECT subject_id FROM names WHERE subject = ? AND instr(norm, ?) > 0)`)
	q.args = append(q.args, string(subject), norm)
}

// overlaps keeps rows whose [startCol, endCol] overlaps [from, to].
func (q *pageQuery) overlaps(startCol, endCol string, from, to *PartialDate) {
	if from != nil {
		q.where, q.args = append(q.where, endCol+` >= ?`), append(q.args, from.Start())
	}
	if to != nil {
		q.where, q.args = append(q.where, startCol+` <= ?`), append(q.args, to.End())
	}
}

// checkRange rejects a range whose start is after its end.
func checkRange(from, to *PartialDate) error {
	if from != nil && to != nil && from.Start() > to.End() {
		return Errorf(EINVALID, "from (%s) is after to (%s): swap them", from, to)
	}
	return nil
}

// rangeBounds returns the first and last day of a range, open ends made wide.
func rangeBounds(from, to *PartialDate) (string, string) {
	lo, hi := "0000-01-01", noCutoff
	if from != nil {
		lo = from.Start()
	}
	if to != nil {
		hi = to.End()
	}
	return lo, hi
}
