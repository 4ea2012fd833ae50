package main

import (
	"strings"
	"testing"
)

func TestResponseCheck(t *testing.T) {
	want, err := splitResponse([]byte(`{"data":{"a":1},"extensions":{"cost":3,"sqlStatements":6}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want.statements != 6 {
		t.Errorf("statements = %d, want 6", want.statements)
	}
	t.Run("OKOtherCount", func(t *testing.T) {
		n, err := want.check([]byte(`{"data":{"a":1},"extensions":{"cost":3,"sqlStatements":12}}`))
		if err != nil || n != 12 {
			t.Errorf("check = %d, %v; want 12, nil", n, err)
		}
	})
	t.Run("ErrOtherData", func(t *testing.T) {
		if _, err := want.check([]byte(`{"data":{"a":2},"extensions":{"cost":3,"sqlStatements":6}}`)); err == nil {
			t.Error("different data passed the check")
		}
	})
	t.Run("ErrGraphQLError", func(t *testing.T) {
		_, err := want.check([]byte(`{"errors":[{"message":"boom"}],"data":null,"extensions":{"sqlStatements":1}}`))
		if err == nil || !strings.Contains(err.Error(), "boom") {
			t.Errorf("err = %v, want one quoting the response", err)
		}
	})
	t.Run("ErrNoCount", func(t *testing.T) {
		if _, err := splitResponse([]byte(`{"data":{}}`)); err == nil {
			t.Error("a response without sqlStatements was accepted")
		}
	})
}

// TestDataOnlyResponse checks the comparison of the write-load run: the
// extensions may change, the data may not.
func TestDataOnlyResponse(t *testing.T) {
	want := dataOnlyResponse([]byte(`{"data":{"a":1},"extensions":{"cost":3}}`))
	if _, err := want.check([]byte(`{"data":{"a":1},"extensions":{"cost":9,"sqlStatements":2}}`)); err != nil {
		t.Errorf("other extensions: %v", err)
	}
	if _, err := want.check([]byte(`{"data":{"a":2},"extensions":{"cost":3}}`)); err == nil {
		t.Error("other data: no error")
	}
}
