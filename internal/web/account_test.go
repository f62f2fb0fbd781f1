package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store/storetest"
)

// TestChangePassword: the form refuses a wrong current password, a mismatch and a password
// too short, each at its field; wrong current passwords are throttled like sign-ins; a change
// ends the user's other sessions and keeps this one.
func TestChangePassword(t *testing.T) {
	db := storetest.OpenSQLite(t)
	f := newFixture(t, db, 1)
	users := addUsers(t, db)
	const newPassword = "a much better passphrase"

	fieldError := func(t *testing.T, body, field string) string {
		t.Helper()
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(doc.Find("#e-" + field).Text())
	}
	refusals := []struct {
		name, current, password, confirm string
		field, want                      string
	}{
		{"wrong current password", "not my password", newPassword, newPassword, "current", "The current password is not right."},
		{"no current password", "", newPassword, newPassword, "current", "Enter your current password."},
		{"mismatch", testPassword, newPassword, newPassword + "!", "confirm", "The two new passwords are not the same."},
		{"too short", testPassword, "short", "short", "password", "The new password must be 10 characters to 1024 bytes long."},
	}
	b := signedIn(t, f, users[docket.RoleEditor])
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			resp, body := b.do("POST", "/office/account/password", url.Values{"current": {c.current}, "password": {c.password}, "confirm": {c.confirm}})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			if got := fieldError(t, body, c.field); !strings.Contains(got, c.want) {
				t.Errorf("error at %s: got %q, want %q", c.field, got, c.want)
			}
		})
	}
	// The refusals changed nothing: the old password still signs in.
	if resp := newBrowser(t, f.srv.URL).signIn(users[docket.RoleEditor].Email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after refused changes the old password: %d, want 303", resp.StatusCode)
	}

	t.Run("throttled after repeated wrong current passwords", func(t *testing.T) {
		u := users[docket.RoleResearcher]
		b := signedIn(t, f, u)
		var codes []int
		for range 6 {
			resp, _ := b.do("POST", "/office/account/password", url.Values{"current": {"guess guess guess"}, "password": {newPassword}, "confirm": {newPassword}})
			codes = append(codes, resp.StatusCode)
		}
		want := []int{422, 422, 422, 422, 422, 429}
		if !slices.Equal(codes, want) {
			t.Fatalf("statuses %v, want %v", codes, want)
		}
		// Locked: even the right current password is refused, and so is a sign-in.
		resp, body := b.do("POST", "/office/account/password", url.Values{"current": {testPassword}, "password": {newPassword}, "confirm": {newPassword}})
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(fieldError(t, body, "current"), "Too many wrong passwords") {
			t.Fatalf("right password during the lock: %d %q, want 429 saying too many", resp.StatusCode, fieldError(t, body, "current"))
		}
		if resp := newBrowser(t, f.srv.URL).signIn(u.Email, testPassword); resp.StatusCode != http.StatusTooManyRequests {
			t.Errorf("sign-in during the lock: %d, want 429", resp.StatusCode)
		}
	})

	t.Run("a change ends the other sessions and keeps this one", func(t *testing.T) {
		u := users[docket.RoleAdmin]
		here, elsewhere := signedIn(t, f, u), signedIn(t, f, u)
		resp, _ := here.do("POST", "/office/account/password", url.Values{"current": {testPassword}, "password": {newPassword}, "confirm": {newPassword}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/office/account?done=password" {
			t.Fatalf("change: %d to %q, want 303 to the account page", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := here.do("GET", "/office/account", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("this session after the change: %d, want 200", resp.StatusCode)
		}
		if resp, _ := elsewhere.do("GET", "/office/account", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the other session after the change: %d, want a redirect to sign in", resp.StatusCode)
		}
		if resp := newBrowser(t, f.srv.URL).signIn(u.Email, testPassword); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the old password: %d, want 401", resp.StatusCode)
		}
		if resp := newBrowser(t, f.srv.URL).signIn(u.Email, newPassword); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the new password: %d, want 303", resp.StatusCode)
		}
	})
}
