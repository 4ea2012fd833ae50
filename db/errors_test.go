package db_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/investgraph/investgraph/db"
)

func TestErrorCode(t *testing.T) {
	notFound := db.Errorf(db.ENOTFOUND, "company %q not found", "nope")
	for _, tt := range []struct {
		name string
		err  error
		code string
		msg  string
	}{
		{"Nil", nil, "", "internal error"},
		{"AppError", notFound, db.ENOTFOUND, `company "nope" not found`},
		{"Wrapped", fmt.Errorf("find: %w", notFound), db.ENOTFOUND, `company "nope" not found`},
		{"Other", errors.New("disk I/O error"), db.EINTERNAL, "internal error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := db.ErrorCode(tt.err), tt.code; got != want {
				t.Errorf("ErrorCode = %q, want %q", got, want)
			}
			if tt.err == nil {
				return
			}
			if got, want := db.ErrorMessage(tt.err), tt.msg; got != want {
				t.Errorf("ErrorMessage = %q, want %q", got, want)
			}
		})
	}
}
