package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/docket-dev/docket/internal/docket"
	"github.com/docket-dev/docket/internal/store"
)

func runUserAdd(ctx context.Context, e *env, args []string) error {
	var o struct{ db, email, name, role string }
	fs := newFlags(e, "user add", "--email EMAIL --name NAME --role admin|editor|researcher",
		"Adds a user who can sign in to the office. The password is never a flag: it is read from\n"+
			"DOCKET_PASSWORD, or asked for on the terminal, or read from the first line of standard input.")
	fs.dbFlag(&o.db)
	fs.StringVar(&o.email, "email", "", "the user's email address (they sign in with it)")
	fs.StringVar(&o.name, "name", "", "the user's name as pages show it")
	fs.StringVar(&o.role, "role", "", "admin (everything), editor (statements and their workflow) or researcher (timelines and curation)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if _, err := fs.args(0, 0); err != nil {
		return err
	}
	u := &docket.User{Email: store.NormalizeEmail(o.email), Name: strings.TrimSpace(o.name), Role: o.role}
	if err := store.ValidateUser(u); err != nil {
		return err
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	if u.PasswordHash, err = docket.HashPassword(pw); err != nil {
		return err
	}
	db, err := openDB(ctx, e, o.db, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateUser(ctx, u, nil); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added %s %s <%s>\n", u.Role, u.Name, u.Email)
	return nil
}

// readPassword takes the password from DOCKET_PASSWORD, a terminal prompt (asked twice), or
// the first line of standard input, in that order.
func readPassword(e *env) (string, error) {
	if pw := e.getenv("DOCKET_PASSWORD"); pw != "" {
		return pw, nil
	}
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(e.stderr, "Password again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(a) != string(b) {
			return "", docket.FieldError("password", "the two passwords are not the same")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", docket.FieldError("password", "no password: set DOCKET_PASSWORD or give it on standard input")
	}
	return line, nil
}
