package store

import (
	"context"
	"strings"
)

// Citation is one piece of published evidence as a count of a statement's sources needs it:
// the sentence it supports and the item it cites.
type Citation struct {
	StatementID  int64  `db:"statement_id"`
	SentenceHash string `db:"sentence_hash"`
	ItemID       int64  `db:"item_id"`
}

// Citations returns the published citations of several statements, by statement, in one
// query that an index answers alone: what PublishedEvidence gives, without the items' titles
// and addresses and in no particular order, for pages that only count a statement's sources.
func (db *DB) Citations(ctx context.Context, statementIDs []int64) (map[int64][]Citation, error) {
	out := map[int64][]Citation{}
	if len(statementIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(statementIDs))
	for i, id := range statementIDs {
		args[i] = id
	}
	var rows []Citation
	err := db.sel(ctx, &rows, `SELECT statement_id, sentence_hash, item_id FROM published_evidence
		WHERE statement_id IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
	for _, r := range rows {
		out[r.StatementID] = append(out[r.StatementID], r)
	}
	return out, err
}
