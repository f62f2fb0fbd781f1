package cli

import (
	"errors"
	"flag"
	"fmt"
	"github.com/docket-dev/docket/internal/store"
	"io"
	"strconv"
	"strings"
	"time"
)

// errUsage means the command line was wrong and the message is already printed.
var errUsage = errors.New("usage")

// flags is a flag set whose flags may fall back to environment variables, and whose help
// says so.
type flags struct {
	*flag.FlagSet
	e        *env
	synopsis string
	about    string
	envs     map[string]string // flag name → env variable
	errs     []string          // bad environment values, reported at parse
}

func newFlags(e *env, name, synopsis, about string) *flags {
	fs := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), e: e, synopsis: synopsis, about: about, envs: map[string]string{}}
	fs.SetOutput(io.Discard)
	return fs
}

// dbFlag adds --db, which every command takes.
func (fs *flags) dbFlag(p *string) {
	fs.stringEnv(p, "db", "DOCKET_DB", "docket.db", "the database: a file path or sqlite:PATH (SQLite), or postgres://USER@HOST/DB")
}

func (fs *flags) stringEnv(p *string, name, envName, def, usage string) {
	if v := fs.e.getenv(envName); v != "" {
		def = v
	}
	fs.StringVar(p, name, def, usage)
	fs.envs[name] = envName
}

func (fs *flags) boolEnv(p *bool, name, envName string, usage string) {
	def := false
	if v := fs.e.getenv(envName); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Sprintf("%s=%q must be true or false (1 or 0)", envName, v))
		}
		def = b
	}
	fs.BoolVar(p, name, def, usage)
	fs.envs[name] = envName
}

func (fs *flags) intEnv(p *int, name, envName string, def int, usage string) {
	if v := fs.e.getenv(envName); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Sprintf("%s=%q must be a whole number", envName, v))
		} else {
			def = n
		}
	}
	fs.IntVar(p, name, def, usage)
	fs.envs[name] = envName
}

func (fs *flags) durationEnv(p *time.Duration, name, envName string, def time.Duration, usage string) {
	if v := fs.e.getenv(envName); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			fs.errs = append(fs.errs, fmt.Sprintf("%s=%q must be a duration such as 30s or 5m", envName, v))
		} else {
			def = d
		}
	}
	fs.DurationVar(p, name, def, usage)
	fs.envs[name] = envName
}

// parse parses args; --help prints the help to stdout and returns flag.ErrHelp; a bad flag
// prints what is wrong and how to get help, and returns errUsage.
func (fs *flags) parse(args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.usage(fs.e.stdout)
		return flag.ErrHelp
	}
	if err != nil {
		return fs.fail("%v", err)
	}
	if len(fs.errs) > 0 {
		return fs.fail("%s", strings.Join(fs.errs, "; "))
	}
	return nil
}

// fail prints a usage error and returns errUsage.
func (fs *flags) fail(format string, args ...any) error {
	fmt.Fprintf(fs.e.stderr, "docket %s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fmt.Fprintf(fs.e.stderr, "Run 'docket %s --help' for usage.\n", fs.Name())
	return errUsage
}

// args checks the count of positional arguments.
func (fs *flags) args(min, max int) ([]string, error) {
	a := fs.Args()
	if len(a) < min || (max >= 0 && len(a) > max) {
		return nil, fs.fail("usage: docket %s %s", fs.Name(), fs.synopsis)
	}
	return a, nil
}

func (fs *flags) usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: docket %s %s\n\n", fs.Name(), fs.synopsis)
	if fs.about != "" {
		fmt.Fprintf(w, "%s\n\n", fs.about)
	}
	fmt.Fprintln(w, "Flags:")
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		fmt.Fprintln(w, line)
		extra := []string{}
		if env, ok := fs.envs[f.Name]; ok {
			extra = append(extra, "env "+env)
		}
		if def := f.DefValue; def != "" && def != "false" && def != "0" {
			// A default may come from the environment: never print a secret in help.
			switch {
			case strings.Contains(f.Name, "token") || strings.Contains(f.Name, "password"):
				def = "set"
			case f.Name == "db":
				def = store.Redact(def)
			}
			extra = append(extra, "default "+def)
		}
		if len(extra) > 0 {
			usage += " (" + strings.Join(extra, "; ") + ")"
		}
		fmt.Fprintf(w, "        %s\n", usage)
	})
}
