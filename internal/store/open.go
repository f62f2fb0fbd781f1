// Package store keeps Docket's records in SQLite or PostgreSQL through one sqlx code base:
// queries are written with ? and rebound for the dialect; where the dialects differ (full-text
// search) the two versions stand side by side. Store methods open a transaction, call small
// helpers that take it, and commit.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/docket-dev/docket/internal/docket"
)

func init() {
	// sqlx does not know modernc's driver name; without this, ? would still pass through, but
	// by accident rather than by design.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// Dialect says which database a DB talks to.
type Dialect int

// The two dialects.
const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is an open Docket database: a writer pool and a reader pool. On SQLite the writer pool has
// one connection, shared by the application and River (inside a job's transaction, use only
// that transaction); the readers are a separate read-only pool. On PostgreSQL both are the same
// pool, and Pool is the pgx pool River's listener needs.
type DB struct {
	Dialect Dialect
	W       *sqlx.DB
	R       *sqlx.DB
	Pool    *pgxpool.Pool // PostgreSQL only
	Path    string        // SQLite only: the database file

	log *slog.Logger
	// now is the clock; tests replace it.
	now func() time.Time

	// reads caches the reader pool's prepared statements on SQLite, whose driver otherwise
	// prepares every query again: an eighth of a public page's cost. database/sql keeps each
	// one prepared once per connection of the pool.
	readsMu sync.Mutex
	reads   map[string]*sqlx.Stmt

	// versionConn is the SQLite connection DataVersion reads on, opened on first use.
	versionMu   sync.Mutex
	versionConn *sql.DB
}

// maxCachedReads bounds the cache, and queries with more than maxCachedParams parameters
// (long IN lists, which come in every length) stay out of it. Past the bound, queries are
// prepared each time, as before.
const (
	maxCachedReads  = 256
	maxCachedParams = 24
)

// readStmt returns the cached statement for a reader query on SQLite, or nil where the query
// is better run unprepared (PostgreSQL, whose driver caches statements itself; a full cache).
func (db *DB) readStmt(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if db.Dialect != SQLite || strings.Count(query, "?") > maxCachedParams {
		return nil, nil
	}
	db.readsMu.Lock()
	defer db.readsMu.Unlock()
	if st, ok := db.reads[query]; ok {
		return st, nil
	}
	if len(db.reads) >= maxCachedReads {
		return nil, nil
	}
	st, err := db.R.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if db.reads == nil {
		db.reads = map[string]*sqlx.Stmt{}
	}
	db.reads[query] = st
	return st, nil
}

// Options tune Open.
type Options struct {
	Logger *slog.Logger
	// Readers is the size of the SQLite read pool (default: 2 per CPU, at least 4), or the
	// PostgreSQL pool's maximum (default: 4 per CPU, at least 8).
	Readers int
	// ReadOnly opens the database only to read it (`docket migrate --check`): a missing
	// SQLite file is not created but refused with ENOTFOUND, and nothing is written, on
	// SQLite by opening the file read-only, on PostgreSQL by making every transaction
	// read-only.
	ReadOnly bool
}

// Open opens the database that dbURL names: a file path or sqlite:PATH for SQLite,
// postgres:// or postgresql:// for PostgreSQL. It checks that the database answers but does not
// migrate it; call Migrate for that.
func Open(ctx context.Context, dbURL string, o Options) (*DB, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	kind, target, err := parseURL(dbURL)
	if err != nil {
		return nil, err
	}
	if kind == Postgres {
		return openPostgres(ctx, target, o)
	}
	return openSQLite(ctx, target, o)
}

// parseURL tells the dialect and target of a --db value. What it refuses is a wrong command
// line, so its errors name the flag as their field.
func parseURL(dbURL string) (Dialect, string, error) {
	s := strings.TrimSpace(dbURL)
	switch {
	case s == "":
		return 0, "", docket.FieldError("db", "--db is empty: give a file path, sqlite:PATH or postgres://USER@HOST/DB")
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		if _, err := url.Parse(s); err != nil {
			return 0, "", docket.FieldError("db", "--db %q is not a valid PostgreSQL URL: %v", Redact(s), err)
		}
		return Postgres, s, nil
	case strings.HasPrefix(s, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(s, "sqlite:"), "//")
		if p == "" {
			return 0, "", docket.FieldError("db", "--db %q names no file", s)
		}
		return SQLite, p, nil
	case strings.HasPrefix(s, "file:"):
		return SQLite, strings.TrimPrefix(s, "file:"), nil
	}
	if i := strings.Index(s, "://"); i > 0 {
		return 0, "", docket.FieldError("db", "--db %q: unsupported scheme %q (use a file path, sqlite:PATH or postgres://)", Redact(s), s[:i])
	}
	return SQLite, s, nil
}

// Redact hides a password in a database URL before it reaches a message or a log.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// SQLite connection kinds: the writer, the readers, and an inspector that only reads but,
// unlike the readers, may tidy the -wal and -shm files away when it closes.
type sqliteConn int

const (
	sqliteWriter sqliteConn = iota
	sqliteReader
	sqliteInspector
)

func sqliteDSN(path string, kind sqliteConn) string {
	// The path goes into a file: URI; escape what would end the path part.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	q := []string{
		"_pragma=busy_timeout(10000)",
		"_pragma=foreign_keys(1)",
		"_time_format=sqlite",
	}
	switch kind {
	case sqliteReader:
		q = append(q, "mode=ro", "_pragma=cache_size(-16000)")
	case sqliteInspector:
		// Not mode=ro: a read-only connection to a WAL database creates -wal and -shm files
		// and cannot remove them. query_only refuses every write; nothing else is set, so
		// opening changes nothing in the file either.
		q = append(q, "_pragma=query_only(1)")
	default:
		q = append(q, "_pragma=journal_mode(WAL)", "_pragma=synchronous(NORMAL)", "_txlock=immediate",
			"_pragma=cache_size(-16000)")
	}
	return "file:" + p + "?" + strings.Join(q, "&")
}

func openSQLite(ctx context.Context, path string, o Options) (*DB, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, docket.Errorf(docket.EINVALID, "--db %s is a directory, not an SQLite file", path)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, docket.Errorf(docket.EINVALID, "--db %s: %v", path, err)
	} else if errors.Is(err, os.ErrNotExist) {
		if _, derr := os.Stat(filepath.Dir(path)); derr != nil {
			return nil, docket.Errorf(docket.EINVALID, "--db %s: folder %s does not exist", path, filepath.Dir(path))
		}
		if o.ReadOnly {
			return nil, docket.Errorf(docket.ENOTFOUND, "--db %s does not exist yet: docket migrate creates it", path)
		}
	} else if err := checkSQLiteHeader(path); err != nil {
		return nil, err
	}
	if o.ReadOnly {
		return openSQLiteReadOnly(ctx, path, o)
	}
	if st, err := os.Stat(path); err == nil && st.Size() > 0 {
		// The writer's settings turn the file to WAL mode, a change to another
		// application's database: look at what it holds first, without writing.
		look, err := openSQLiteReadOnly(ctx, path, o)
		if err != nil {
			return nil, err
		}
		err = look.refuseForeign(ctx)
		look.Close()
		if err != nil {
			return nil, err
		}
	}

	w, err := sqlx.Open("sqlite", sqliteDSN(path, sqliteWriter))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := w.PingContext(pctx); err != nil {
		w.Close()
		return nil, docket.Errorf(docket.EINVALID, "--db %s: not a usable SQLite database: %v", path, sqliteMessage(err))
	}
	readers := o.Readers
	if readers <= 0 {
		readers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	r, err := sqlx.Open("sqlite", sqliteDSN(path, sqliteReader))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	if err := r.PingContext(pctx); err != nil {
		w.Close()
		r.Close()
		return nil, docket.Errorf(docket.EINVALID, "--db %s: cannot open for reading: %v", path, sqliteMessage(err))
	}
	return &DB{Dialect: SQLite, W: w, R: r, Path: path, log: o.Logger, now: docket.Now}, nil
}

// openSQLiteReadOnly opens one pool of inspector connections, which serves as the writer
// too: any write fails, and the folder is left as it was.
func openSQLiteReadOnly(ctx context.Context, path string, o Options) (*DB, error) {
	r, err := sqlx.Open("sqlite", sqliteDSN(path, sqliteInspector))
	if err != nil {
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(max(o.Readers, 1))
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := r.PingContext(pctx); err != nil {
		r.Close()
		return nil, docket.Errorf(docket.EINVALID, "--db %s: cannot open for reading: %v", path, sqliteMessage(err))
	}
	return &DB{Dialect: SQLite, W: r, R: r, Path: path, log: o.Logger, now: docket.Now}, nil
}

// checkSQLiteHeader refuses a non-empty file that is not an SQLite database before SQLite
// gets to touch it (an empty file is what some tools create, and SQLite accepts it).
func checkSQLiteHeader(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return docket.Errorf(docket.EINVALID, "--db %s: %v", path, err)
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	if n == 0 {
		return nil
	}
	if n < 16 || string(head) != "SQLite format 3\x00" {
		return docket.Errorf(docket.EINVALID, "--db %s is not an SQLite database", path)
	}
	return nil
}

func sqliteMessage(err error) string {
	s := err.Error()
	// modernc wraps messages as "... (26)"; the words are what the reader needs.
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		s = s[:i]
	}
	return s
}

func openPostgres(ctx context.Context, dsn string, o Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, docket.Errorf(docket.EINVALID, "--db %s: %v", Redact(dsn), err)
	}
	maxConns := o.Readers
	if maxConns <= 0 {
		maxConns = max(8, 4*runtime.GOMAXPROCS(0))
	}
	cfg.MaxConns = int32(maxConns)
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	if o.ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, docket.Errorf(docket.EINVALID, "--db %s: %v", Redact(dsn), err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, docket.Errorf(docket.EINVALID, "cannot reach PostgreSQL at %s: %s", hostOf(cfg), connectReason(err))
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	x := sqlx.NewDb(sqlDB, "pgx")
	return &DB{Dialect: Postgres, W: x, R: x, Pool: pool, log: o.Logger, now: docket.Now}, nil
}

func hostOf(cfg *pgxpool.Config) string {
	return fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
}

// connectReason says on one line why pgx could not connect. Its error is a line naming the
// user and database, then a line per address and TLS mode it tried; what the reader needs is
// each distinct cause: the refused or timed-out dial, the failed lookup, the server's refusal.
func connectReason(err error) string {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		if inner := errors.Unwrap(ce); inner != nil {
			err = inner
		}
	}
	tries := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		tries = j.Unwrap()
	}
	var causes []string
	for _, e := range tries {
		if c := connectCause(e); !slices.Contains(causes, c) {
			causes = append(causes, c)
		}
	}
	return strings.Join(causes, "; ")
}

// connectCause is the innermost error of one attempt that still says what failed where.
func connectCause(err error) string {
	var pg *pgconn.PgError
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &pg):
		return pg.Error()
	case errors.As(err, &dns):
		return dns.Error()
	case errors.As(err, &op):
		return op.Error()
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	db.readsMu.Lock()
	for _, st := range db.reads {
		errs = append(errs, st.Close())
	}
	db.reads = nil
	db.readsMu.Unlock()
	if db.R != db.W {
		errs = append(errs, db.R.Close())
	}
	db.versionMu.Lock()
	if db.versionConn != nil {
		errs = append(errs, db.versionConn.Close())
		db.versionConn = nil
	}
	db.versionMu.Unlock()
	errs = append(errs, db.W.Close())
	if db.Pool != nil {
		db.Pool.Close()
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error { return db.R.PingContext(ctx) }

// SetClock replaces the clock, for tests.
func (db *DB) SetClock(now func() time.Time) {
	db.now = func() time.Time { return docket.StoreTime(now()) }
}

// Now is the store's clock.
func (db *DB) Now() time.Time { return db.now() }

// Tx is a write transaction. Store helpers that take a *Tx work inside a transaction the
// caller owns, such as a River job's.
type Tx struct {
	*sqlx.Tx
	dialect Dialect
	now     time.Time
	// stmts caches prepared statements for the life of the transaction on SQLite, whose
	// driver would otherwise parse the same statement again for every row of a batch
	// (pgx caches statements per connection by itself).
	stmts map[string]*sqlx.Stmt
}

// prepared returns the cached statement for query, preparing it once.
func (tx *Tx) prepared(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if st, ok := tx.stmts[query]; ok {
		return st, nil
	}
	st, err := tx.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sqlx.Stmt{}
	}
	tx.stmts[query] = st
	return st, nil
}

// forUpdate locks the rows a SELECT reads until the transaction ends, on PostgreSQL; SQLite
// needs no such clause, its writers running one at a time.
func (tx *Tx) forUpdate() string {
	if tx.dialect == Postgres {
		return ` FOR UPDATE`
	}
	return ``
}

// Dialect says which database the transaction runs on.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// WrapTx adopts a transaction begun elsewhere (River hands workers a *sql.Tx).
func (db *DB) WrapTx(tx *sql.Tx) *Tx {
	// sqlx cannot adopt a *sql.Tx with its driver name, so Tx rebinds by dialect itself.
	return &Tx{Tx: &sqlx.Tx{Tx: tx, Mapper: db.W.Mapper}, dialect: db.Dialect, now: db.now()}
}

// Rebind turns a ?-query into the dialect's placeholders.
func (tx *Tx) Rebind(query string) string {
	if tx.dialect == Postgres {
		return sqlx.Rebind(sqlx.DOLLAR, query)
	}
	return query
}

// Update runs fn in a write transaction and commits it when fn returns nil.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := db.W.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: stx, dialect: db.Dialect, now: db.now()}
	defer stx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// get runs a one-row read on the reader pool.
func (db *DB) get(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		return err
	}
	if st != nil {
		return st.GetContext(ctx, dest, args...)
	}
	return db.R.GetContext(ctx, dest, db.R.Rebind(query), args...)
}

// sel runs a many-row read on the reader pool.
func (db *DB) sel(ctx context.Context, dest any, query string, args ...any) error {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		return err
	}
	if st != nil {
		return st.SelectContext(ctx, dest, args...)
	}
	return db.R.SelectContext(ctx, dest, db.R.Rebind(query), args...)
}

func (tx *Tx) get(ctx context.Context, dest any, query string, args ...any) error {
	return tx.GetContext(ctx, dest, tx.Rebind(query), args...)
}

func (tx *Tx) sel(ctx context.Context, dest any, query string, args ...any) error {
	return tx.SelectContext(ctx, dest, tx.Rebind(query), args...)
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx.dialect == SQLite {
		st, err := tx.prepared(ctx, query)
		if err != nil {
			return nil, err
		}
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, tx.Rebind(query), args...)
}

// query runs a many-row query, through the transaction's statement cache on SQLite.
func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	if tx.dialect == SQLite {
		st, err := tx.prepared(ctx, query)
		if err != nil {
			return nil, err
		}
		return st.QueryxContext(ctx, args...)
	}
	return tx.QueryxContext(ctx, tx.Rebind(query), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRowxContext(ctx, tx.Rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// notFound turns sql.ErrNoRows into a coded not-found error.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return docket.Errorf(docket.ENOTFOUND, format, args...)
	}
	return err
}

// isUniqueViolation reports whether err is a unique-constraint failure on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// IsDataError reports whether err is the database refusing the values it was given, not
// failing: on PostgreSQL a data exception (SQLSTATE class 22: a character it cannot hold, a
// value too long) or a program limit (class 54: a tsvector over 1 MiB); on SQLite a string or
// blob too big. Ingest records such a failure on the source whose feed gave the values.
func IsDataError(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return strings.HasPrefix(pg.Code, "22") || strings.HasPrefix(pg.Code, "54")
	}
	return err != nil && strings.Contains(err.Error(), "string or blob too big")
}

// Savepoint runs fn inside a savepoint of tx: when fn fails, what it wrote is undone and tx
// can go on (a failed statement would otherwise abort a PostgreSQL transaction).
func (tx *Tx) Savepoint(ctx context.Context, fn func() error) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT docket_sp`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT docket_sp`); rerr != nil {
			return errors.Join(err, rerr)
		}
		if _, rerr := tx.ExecContext(ctx, `RELEASE SAVEPOINT docket_sp`); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	_, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT docket_sp`)
	return err
}
