package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestPasswordChecksShareTheSlots: a password change and a new user's hash wait for the same
// few slots as sign-ins, and answer "busy" when none comes free, rather than each taking its
// 64 MiB at once.
func TestPasswordChecksShareTheSlots(t *testing.T) {
	db := storetest.OpenSQLite(t)
	s := NewServer(Config{DB: db})
	s.passwordWait = 10 * time.Millisecond
	for range cap(s.passwordChecks) {
		s.passwordChecks <- struct{}{}
	}
	hash, err := docket.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	u := &docket.User{ID: 1, Email: "a@example.org", Name: "A", Role: docket.RoleAdmin, PasswordHash: hash}
	cases := []struct {
		name string
		h    http.Handler
		form url.Values
	}{
		{"password change", s.handleChangePassword(), url.Values{"current": {"correct horse battery"}, "password": {"another good passphrase"}, "confirm": {"another good passphrase"}}},
		{"new user", s.handleAddUser(), url.Values{"name": {"B"}, "email": {"b@example.org"}, "role": {"editor"}, "password": {"another good passphrase"}}},
		{"sign-in", s.handleSignIn(), url.Values{"email": {"a@example.org"}, "password": {"correct horse battery"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(c.form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			w := httptest.NewRecorder()
			c.h.ServeHTTP(w, r)
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
				t.Fatalf("with every slot taken: %d, Retry-After %q, want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
			}
		})
	}
}
