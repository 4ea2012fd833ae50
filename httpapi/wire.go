package httpapi

import (
	"encoding/json"
)

// marshalResponse encodes a response as json.Marshal does, with the data,
// which the executors have already written as JSON, copied in one pass
// instead of run through encoding/json's validating scanner: on the wide
// queries that scan took a fifth of the request.
func marshalResponse(out wireResponse) ([]byte, error) {
	if len(out.Data) == 0 {
		return json.Marshal(out)
	}
	buf := make([]byte, 0, len(out.Data)+256)
	buf = append(buf, '{')
	if len(out.Errors) > 0 {
		errs, err := json.Marshal(out.Errors)
		if err != nil {
			return nil, err
		}
		buf = append(buf, `"errors":`...)
		buf = append(append(buf, errs...), ',')
	}
	buf = append(buf, `"data":`...)
	buf = appendCompact(buf, out.Data)
	if len(out.Extensions) > 0 {
		ext, err := json.Marshal(out.Extensions)
		if err != nil {
			return nil, err
		}
		buf = append(buf, `,"extensions":`...)
		buf = append(buf, ext...)
	}
	return append(buf, '}'), nil
}

// appendCompact appends the JSON src to dst as json.Marshal writes a
// json.RawMessage: without the whitespace between tokens, and with <, >,
// &, U+2028 and U+2029 escaped. src must be valid JSON, as the executors
// write it.
func appendCompact(dst, src []byte) []byte {
	const hex = "0123456789abcdef"
	inString, escaped := false, false
	start := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		var esc byte // the character to write as \u00XX or \u20XX, if any
		switch {
		case c == '<' || c == '>' || c == '&':
			esc = c
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && src[i+2]&^1 == 0xA8:
			dst = append(dst, src[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[src[i+2]&0xF])
			i += 2
			start = i + 1
			escaped = false
			continue
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		case c == '"':
			inString = true
			continue
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			dst = append(dst, src[start:i]...)
			start = i + 1
			continue
		default:
			continue
		}
		dst = append(dst, src[start:i]...)
		dst = append(dst, '\\', 'u', '0', '0', hex[esc>>4], hex[esc&0xF])
		start = i + 1
		escaped = false
	}
	return append(dst, src[start:]...)
}
