package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
)

// TestUserAddPassword: the password comes from DOCKET_PASSWORD, else from the first line of
// standard input, and an empty one is refused; the user then signs in with it.
func TestUserAddPassword(t *testing.T) {
	db := filepath.Join(t.TempDir(), "docket.db")
	cases := []struct {
		name     string
		env      map[string]string
		stdin    string
		email    string
		code     int
		password string // what the stored hash must accept
		stderr   string
	}{
		{"from DOCKET_PASSWORD", map[string]string{"DOCKET_PASSWORD": "correct horse"}, "", "env@example.org", 0, "correct horse", ""},
		{"DOCKET_PASSWORD before standard input", map[string]string{"DOCKET_PASSWORD": "from the env"}, "from stdin\n", "both@example.org", 0, "from the env", ""},
		{"the first line of standard input", nil, "battery staple\r\nsecond line\n", "stdin@example.org", 0, "battery staple", ""},
		{"standard input without a newline", nil, "no newline", "eof@example.org", 0, "no newline", ""},
		{"empty standard input", nil, "", "empty@example.org", 2, "", "no password: set DOCKET_PASSWORD or give it on standard input"},
		{"an empty first line", nil, "\nlater\n", "blank@example.org", 2, "", "no password: set DOCKET_PASSWORD or give it on standard input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runWithInput(t, c.env, c.stdin, "user", "add", "--db", db, "--email", c.email, "--name", "Test User", "--role", "editor")
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Fatalf("exit %d, stderr %q; want exit %d with %q", r.code, r.stderr, c.code, c.stderr)
			}
			ctx := context.Background()
			st, err := store.Open(ctx, db, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			u, err := st.UserByEmail(ctx, c.email)
			if c.code != 0 {
				if docket.ErrorCode(err) != docket.ENOTFOUND {
					t.Errorf("after a refusal: user %+v (%v), want none", u, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := "added editor Test User <" + c.email + ">\n"; r.stdout != want {
				t.Errorf("stdout %q, want %q", r.stdout, want)
			}
			if ok, err := docket.CheckPassword(c.password, u.PasswordHash); !ok || err != nil {
				t.Errorf("the stored hash does not accept %q (%v)", c.password, err)
			}
		})
	}
}

// TestServeSaysHowToCreateAnAdmin: serve prints the command that creates an admin while
// nobody can sign in to the office, and stops saying it once an admin exists.
func TestServeSaysHowToCreateAnAdmin(t *testing.T) {
	db := filepath.Join(t.TempDir(), "docket.db")
	env := map[string]string{"DOCKET_DB": db, "DOCKET_LOG_LEVEL": "warn"}
	hint := "No admin can sign in to the office yet. Create one with:\n" +
		"  docket user add --db " + db + " --email you@example.org --name 'Your Name' --role admin\n"

	srv := startServe(t, env, "--addr", "127.0.0.1:0")
	srv.stop(t)
	if got := srv.stderr.String(); !strings.Contains(got, hint) {
		t.Errorf("serve on a database without an admin said %q, want %q", got, hint)
	}
	// An editor cannot manage users: still no admin.
	mustRun(t, map[string]string{"DOCKET_DB": db, "DOCKET_PASSWORD": "long enough password"}, "user", "add", "--email", "ed@example.org", "--name", "Ed", "--role", "editor")
	srv = startServe(t, env, "--addr", "127.0.0.1:0")
	srv.stop(t)
	if got := srv.stderr.String(); !strings.Contains(got, hint) {
		t.Errorf("serve with only an editor said %q, want %q", got, hint)
	}
	mustRun(t, map[string]string{"DOCKET_DB": db, "DOCKET_PASSWORD": "long enough password"}, "user", "add", "--email", "admin@example.org", "--name", "Ada", "--role", "admin")
	srv = startServe(t, env, "--addr", "127.0.0.1:0")
	srv.stop(t)
	if got := srv.stderr.String(); strings.Contains(got, "No admin") {
		t.Errorf("serve with an admin said %q, want no hint", got)
	}
}
