// Package docket holds Docket's domain: the record types, their statuses, the statement
// workflow table and the one coded error type that every layer returns and the web layer
// turns into responses.
package docket

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web package and one exit code in the cli.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	EUNAUTH    = "unauthorized"
	ETHROTTLED = "throttled"
	EINTERNAL  = "internal"
)

// Error is an error a user may see: Code says what kind, Message says what is wrong in words
// meant for the reader. Field, when set, names the form field or flag at fault.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error tied to a form field or flag.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a generic message
// for internal errors, whose details are for the log and not for the reader.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// Errors collects field errors of one form or command so they can be shown together.
type Errors []*Error

func (es Errors) Error() string {
	switch len(es) {
	case 0:
		return "no errors"
	case 1:
		return es[0].Message
	}
	return fmt.Sprintf("%s (and %d more)", es[0].Message, len(es)-1)
}

// Err returns nil when es is empty, so a validator can end with `return errs.Err()`.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// As lets errors.As find an *Error inside Errors: the first one stands for the lot.
func (es Errors) As(target any) bool {
	if len(es) == 0 {
		return false
	}
	if t, ok := target.(**Error); ok {
		*t = &Error{Code: EINVALID, Message: es.Error(), Field: es[0].Field}
		return true
	}
	return false
}
