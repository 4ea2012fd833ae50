package db

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// On PostgreSQL a snapshot is one transaction on one connection, and a
// connection carries one result at a time: a read under a snapshot reads
// all its rows at once, holding the snapshot's lock, and is scanned from
// memory (bufferedRows). Reads under the snapshot from several goroutines
// take turns, as on SQLite; the pages the store reads are small.

// bufferedRows are rows read to the end, scanned as *sql.Rows scans.
type bufferedRows struct {
	rows [][]any
	next int // the row Next moves to
}

// queryBuffered runs a read in the snapshot and reads all its rows.
func (sn *snapshot) queryBuffered(ctx context.Context, query string, args ...any) (*readRows, error) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if err := sn.begin(false); err != nil {
		return nil, snapshotError(ctx, err)
	}
	rows, err := sn.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, snapshotError(ctx, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	b := &bufferedRows{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		b.rows = append(b.rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, snapshotError(ctx, err)
	}
	return &readRows{buf: b}, nil
}

// scanBuffered scans the first row of a buffered read, as *sql.Row does.
func (sn *snapshot) scanBuffered(ctx context.Context, query string, args []any, dest []any) error {
	rows, err := sn.queryBuffered(ctx, query, args...)
	if err != nil {
		return err
	}
	if !rows.Next() {
		return sql.ErrNoRows
	}
	return rows.Scan(dest...)
}

// scan assigns row i's values to dest.
func (b *bufferedRows) scan(dest []any) error {
	if b.next == 0 || b.next > len(b.rows) {
		return fmt.Errorf("scan: no row")
	}
	row := b.rows[b.next-1]
	if len(dest) != len(row) {
		return fmt.Errorf("scan: %d destinations for %d columns", len(dest), len(row))
	}
	for i, d := range dest {
		if err := assign(d, row[i]); err != nil {
			return fmt.Errorf("scan column %d: %w", i, err)
		}
	}
	return nil
}

// assign stores the driver value src in dest, converting as database/sql
// does for the kinds of destination the store scans into: Scanners,
// pointers to strings, integers, floats, booleans, bytes, times and any,
// and pointers to those pointers for NULLable columns.
func assign(dest, src any) error {
	if sc, ok := dest.(sql.Scanner); ok {
		return sc.Scan(src)
	}
	if p, ok := dest.(*any); ok {
		if b, ok := src.([]byte); ok {
			src = append([]byte(nil), b...)
		}
		*p = src
		return nil
	}
	v := reflect.ValueOf(dest)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return fmt.Errorf("destination %T is not a pointer", dest)
	}
	return assignValue(v.Elem(), src)
}

// assignValue stores src in the settable value d.
func assignValue(d reflect.Value, src any) error {
	if d.Kind() == reflect.Pointer {
		if src == nil {
			d.SetZero()
			return nil
		}
		n := reflect.New(d.Type().Elem())
		if err := assignValue(n.Elem(), src); err != nil {
			return err
		}
		d.Set(n)
		return nil
	}
	if src == nil {
		if d.Kind() == reflect.Interface {
			d.SetZero()
			return nil
		}
		return fmt.Errorf("converting NULL to %s is unsupported", d.Type())
	}
	if d.Addr().Type().Implements(reflect.TypeFor[sql.Scanner]()) {
		return d.Addr().Interface().(sql.Scanner).Scan(src)
	}
	switch d.Kind() {
	case reflect.String:
		switch s := src.(type) {
		case string:
			d.SetString(s)
		case []byte:
			d.SetString(string(s))
		case int64:
			d.SetString(strconv.FormatInt(s, 10))
		case float64:
			d.SetString(strconv.FormatFloat(s, 'g', -1, 64))
		case time.Time:
			d.SetString(s.Format(time.RFC3339Nano))
		default:
			return fmt.Errorf("converting %T to a string is unsupported", src)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := asInt(src)
		if err != nil {
			return err
		}
		if d.OverflowInt(n) {
			return fmt.Errorf("value %d overflows %s", n, d.Type())
		}
		d.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := asInt(src)
		if err != nil || n < 0 {
			return fmt.Errorf("converting %v to %s is unsupported", src, d.Type())
		}
		d.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		switch s := src.(type) {
		case float64:
			d.SetFloat(s)
		case float32:
			d.SetFloat(float64(s))
		case int64:
			d.SetFloat(float64(s))
		case string:
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("converting %q to a float: %w", s, err)
			}
			d.SetFloat(f)
		default:
			return fmt.Errorf("converting %T to a float is unsupported", src)
		}
	case reflect.Bool:
		switch s := src.(type) {
		case bool:
			d.SetBool(s)
		case int64:
			d.SetBool(s != 0)
		default:
			return fmt.Errorf("converting %T to a bool is unsupported", src)
		}
	case reflect.Slice:
		b, ok := src.([]byte)
		if !ok || d.Type().Elem().Kind() != reflect.Uint8 {
			if s, isString := src.(string); isString && d.Type().Elem().Kind() == reflect.Uint8 {
				d.SetBytes([]byte(s))
				return nil
			}
			return fmt.Errorf("converting %T to %s is unsupported", src, d.Type())
		}
		d.SetBytes(append([]byte(nil), b...))
	case reflect.Interface:
		d.Set(reflect.ValueOf(src))
	default:
		if t, ok := src.(time.Time); ok && d.Type() == reflect.TypeFor[time.Time]() {
			d.Set(reflect.ValueOf(t))
			return nil
		}
		return fmt.Errorf("converting %T to %s is unsupported", src, d.Type())
	}
	return nil
}

// asInt reads an integer from a driver value.
func asInt(src any) (int64, error) {
	switch s := src.(type) {
	case int64:
		return s, nil
	case int32:
		return int64(s), nil
	case float64:
		if s != float64(int64(s)) {
			return 0, fmt.Errorf("converting %v to an integer loses its fraction", s)
		}
		return int64(s), nil
	case bool:
		if s {
			return 1, nil
		}
		return 0, nil
	case string:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("converting %q to an integer: %w", s, err)
		}
		return n, nil
	case []byte:
		return asInt(string(s))
	}
	return 0, fmt.Errorf("converting %T to an integer is unsupported", src)
}
