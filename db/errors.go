package db

import (
	"errors"
	"fmt"
)

// Error codes returned by the store. Transports map them to their own
// vocabulary (GraphQL extensions.code, HTTP status) in one place.
const (
	EINTERNAL = "internal"
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
	// EUNAUTHORIZED: no valid token came where one is needed.
	EUNAUTHORIZED = "unauthorized"
	// EFORBIDDEN: the token's role does not allow the operation.
	EFORBIDDEN = "forbidden"
	// EUNAVAILABLE: the database server cannot be reached or went away;
	// the same request may succeed once it is back.
	EUNAVAILABLE = "unavailable"
)

// UnavailableMessage is the message of an EUNAVAILABLE error that the
// store did not write itself: a connection lost while serving.
const UnavailableMessage = "the database is unavailable; try again shortly"

// Error is an application error whose message is safe to show a client.
type Error struct {
	Code    string
	Message string
	// Field is the input the error is about, as a path such as
	// "input.yaml.projects[2].cite", when there is one.
	Field string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if isUnavailable(err) {
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the *Error's message,
// a fixed one for a database server that went away (EUNAVAILABLE), or
// "internal error" for anything else.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	} else if isUnavailable(err) {
		return UnavailableMessage
	}
	return "internal error"
}
