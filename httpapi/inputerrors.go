package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"

	"github.com/investgraph/investgraph/db"
)

// explainValue rewrites the message of an error about an input value (see
// badValue) in the client's terms. gqlparser reports a variable of the wrong
// type in Go's ("cannot use slice as String", "must be a CompanyFilter, not
// a map") and without naming the variable; a mistyped enum value gets a
// suggestion only when it is a letter or two off. The message names the
// variable, the type it expected and what it got, and for an enum the
// values meant or allowed.
func explainValue(ctx context.Context, schema *ast.Schema, e *gqlerror.Error) string {
	if len(e.Path) >= 2 && e.Path[0] == ast.PathName("variable") {
		if msg, ok := explainVariable(ctx, schema, e); ok {
			return msg
		}
		return e.Message
	}
	if m := literalNotInEnum.FindStringSubmatch(e.Message); m != nil {
		if enum := enumDef(schema, m[2]); enum != nil {
			return noSuchEnumValue(enum, m[1])
		}
	}
	if m := literalNotEnum.FindStringSubmatch(e.Message); m != nil {
		if enum := enumDef(schema, m[1]); enum != nil {
			return notAnEnumLiteral(enum, m[2])
		}
	}
	if m := literalUnknownField.FindStringSubmatch(e.Message); m != nil {
		if def := schema.Types[m[2]]; def != nil && def.Kind == ast.InputObject {
			return noSuchField(def, m[1])
		}
	}
	return e.Message
}

// The validator's messages about literals: a name that is not one of an
// enum's values, a literal of another kind given for an enum (often its
// value in quotes), and a field an input object does not have.
var (
	literalNotInEnum    = regexp.MustCompile(`(?s)^Value "(.*)" does not exist in "([\[\]A-Za-z0-9_!]+)" enum\.`)
	literalNotEnum      = regexp.MustCompile(`(?s)^Enum "([\[\]A-Za-z0-9_!]+)" cannot represent non-enum value: (.*?)\.(?: Did you mean .*)?$`)
	literalUnknownField = regexp.MustCompile(`^Field "([A-Za-z0-9_]+)" is not defined by type "([A-Za-z0-9_]+)"\.`)
)

// enumDef returns the enum a type reference such as "[CompanyKind!]" names,
// or nil if it names no enum.
func enumDef(schema *ast.Schema, typ string) *ast.Definition {
	def := schema.Types[strings.Trim(typ, "[]!")]
	if def == nil || def.Kind != ast.Enum {
		return nil
	}
	return def
}

// noSuchEnumValue says got is not a value of enum, suggesting the values
// it is close to, or listing them all.
func noSuchEnumValue(enum *ast.Definition, got string) string {
	msg := fmt.Sprintf("%s has no value %s", enum.Name, db.Quote(got))
	if s := suggest(got, enumValues(enum)); len(s) > 0 {
		return msg + "; did you mean " + core.OrList(s...) + "?"
	}
	return msg + "; use one of " + strings.Join(enumValues(enum), ", ")
}

// noSuchField says an input object has no field got, suggesting the fields
// it is close to, or listing them all.
func noSuchField(def *ast.Definition, got string) string {
	var names []string
	for _, f := range def.Fields {
		names = append(names, f.Name)
	}
	msg := fmt.Sprintf("%s has no field %s", def.Name, db.Quote(got))
	if s := suggest(got, names); len(s) > 0 {
		return msg + "; did you mean " + core.OrList(s...) + "?"
	}
	return msg + "; its fields are " + strings.Join(names, ", ")
}

// notAnEnumLiteral explains a literal of the wrong kind given for an enum:
// most often its value in quotes, which GraphQL reads as a string.
func notAnEnumLiteral(enum *ast.Definition, literal string) string {
	if s, err := strconv.Unquote(literal); err == nil {
		for _, v := range enumValues(enum) {
			if strings.EqualFold(s, v) {
				return fmt.Sprintf("%s values are written without quotes: %s, not %s", enum.Name, v, db.Quote(s))
			}
		}
		return noSuchEnumValue(enum, s) + " (and without quotes)"
	}
	return fmt.Sprintf("expected a %s value, got %s; use one of %s", enum.Name, cut(literal), strings.Join(enumValues(enum), ", "))
}

func enumValues(enum *ast.Definition) []string {
	names := make([]string, len(enum.EnumValues))
	for i, v := range enum.EnumValues {
		names[i] = v.Name
	}
	return names
}

// suggest returns up to three of options that got may have meant: those
// that contain it, ignoring case and underscores (STATE_OWNED_COMPANY for
// STATE_OWNED), then those a few edits away, closest first.
func suggest(got string, options []string) []string {
	if len(got) < 2 || len(got) > db.QuoteLimit {
		return nil // too short to mean anything, or too long to be a typo
	}
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, o := range options {
		if strings.Contains(norm(o), norm(got)) {
			add(o)
		}
	}
	for _, o := range core.SuggestionList(got, options) {
		add(o)
	}
	return out[:min(len(out), 3)]
}

// explainVariable rewrites the validator's messages about a variable, whose
// path is variable.NAME followed by the fields and indexes within it.
func explainVariable(ctx context.Context, schema *ast.Schema, e *gqlerror.Error) (string, bool) {
	name, ok := e.Path[1].(ast.PathName)
	if !ok || !graphql.HasOperationContext(ctx) {
		return "", false
	}
	op := graphql.GetOperationContext(ctx).Operation
	if op == nil || op.VariableDefinitions.ForName(string(name)) == nil {
		return "", false
	}
	typ := op.VariableDefinitions.ForName(string(name)).Type
	raw, sent := infoFrom(ctx).variables[string(name)]
	label := "$" + string(name)
	rest := e.Path[2:]
	if e.Message == "unknown field" && len(rest) > 0 {
		rest = rest[:len(rest)-1] // the unknown field itself
	}
	for _, step := range rest {
		switch step := step.(type) {
		case ast.PathName:
			def := schema.Types[typ.Name()]
			if def == nil || def.Fields.ForName(string(step)) == nil {
				return "", false
			}
			typ = def.Fields.ForName(string(step)).Type
			obj, _ := raw.(map[string]any)
			raw, sent = obj[string(step)]
			label += "." + string(step)
		case ast.PathIndex:
			if typ.Elem == nil {
				return "", false
			}
			typ = typ.Elem
			// A single value where a list is expected counts as a list
			// of one, and the validator reports it at index 0.
			if list, ok := raw.([]any); ok {
				if int(step) >= len(list) {
					return "", false
				}
				raw = list[step]
				label += fmt.Sprintf("[%d]", step)
			}
		}
	}
	label = "variable " + label
	def := schema.Types[typ.Name()]
	if def == nil {
		return "", false
	}

	switch msg := e.Message; {
	case msg == "must be defined":
		return fmt.Sprintf("%s of type %s is required but was not given", label, typ), true
	case msg == "cannot be null":
		return fmt.Sprintf("%s of type %s must not be null", label, typ), true
	case msg == "unknown field":
		field, _ := e.Path[len(e.Path)-1].(ast.PathName)
		return label + ": " + noSuchField(def, string(field)), true
	case !sent:
		return "", false
	case def.Kind == ast.Enum:
		if s, ok := raw.(string); ok {
			return label + ": " + noSuchEnumValue(def, s), true
		}
		return fmt.Sprintf("%s: expected a %s value, got %s; use one of %s",
			label, def.Name, describe(raw, ""), strings.Join(enumValues(def), ", ")), true
	case def.Kind == ast.InputObject:
		return fmt.Sprintf("%s: expected a %s object, got %s", label, def.Name, describe(raw, "")), true
	case strings.HasPrefix(msg, "cannot use "):
		return fmt.Sprintf("%s: expected %s, got %s", label, def.Name, describe(raw, def.Name)), true
	}
	return "", false
}

// describe says what a variable's value was in JSON's and GraphQL's terms,
// never Go's: the string "x", the number 1.5, true, a list, an object,
// null. For a number given as an Int or Float it says why it does not fit.
func describe(v any, want string) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "the string " + db.Quote(v)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	case json.Number:
		s := "the number " + cut(string(v))
		f, err := strconv.ParseFloat(string(v), 64)
		switch {
		case want == "Float" && err != nil:
			return s + ", which is out of range for a Float"
		case want != "Int":
			return s
		case err == nil && f != math.Trunc(f):
			return s + ", which is not a whole number"
		case err != nil || math.Abs(f) >= math.MaxInt64:
			return s + ", which is out of range for an Int"
		default:
			return s + "; write it as a whole number such as " + strconv.FormatFloat(f, 'f', -1, 64)
		}
	default:
		return "a value of another type"
	}
}

// cut shortens an echoed value that is not a string (a number, an enum
// name) as db.Quote shortens strings.
func cut(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= db.QuoteLimit {
		return s
	}
	return string([]rune(s)[:db.QuoteLimit]) + fmt.Sprintf("… (%d characters)", n)
}

// maxMessage is the most characters of an error message a client gets.
const maxMessage = 512

var (
	// quoted matches a double-quoted string as %q and GraphQL write them.
	quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	// longWord matches an unquoted value, such as an enum name or a number,
	// too long to be meant; it is longer than the quoted strings already cut.
	longWord = regexp.MustCompile(`[^\s"]{80,}`)
)

// shorten is the last defence against echoing a huge input whole, for the
// messages written before db.Quote or by libraries: a quoted string longer
// than db.QuoteLimit is cut as db.Quote cuts it, and a message still longer
// than maxMessage characters is cut to that.
func shorten(msg string) string {
	if len(msg) <= db.QuoteLimit {
		return msg
	}
	msg = quoted.ReplaceAllStringFunc(msg, func(q string) string {
		inner := q[1 : len(q)-1]
		if utf8.RuneCountInString(inner) <= db.QuoteLimit+1 { // +1: already cut, ending in …
			return q
		}
		if s, err := strconv.Unquote(q); err == nil {
			inner = s
		}
		return db.Quote(inner)
	})
	msg = longWord.ReplaceAllStringFunc(msg, cut)
	if n := utf8.RuneCountInString(msg); n > maxMessage {
		msg = string([]rune(msg)[:maxMessage]) + fmt.Sprintf("… (message of %d characters cut)", n)
	}
	return msg
}
