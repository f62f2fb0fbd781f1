package web

import (
	"net/http"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// routes lists every route Docket serves.
func (s *Server) routes(mux *http.ServeMux) {
	// Public pages: public topics and published statements only. Each is registered with
	// s.public, so a test walks them all with a private topic's slug and a draft's id, and
	// each answers with an ETag made from its bytes, and 304 when the reader has it already.
	s.public(mux, "GET /{$}", time.Minute, s.handleHome())
	s.public(mux, "GET /topics/{slug}", time.Minute, s.handleTopic())
	s.publicDated(mux, "GET /topics/{slug}/feed.atom", 5*time.Minute, s.handleTopicAtom())
	// Streamed, so not through cacheable, which holds a response whole.
	s.publicStreamed(mux, "GET /topics/{slug}/timeline.csv", s.handleExport(exportCSV, true))
	s.publicStreamed(mux, "GET /topics/{slug}/timeline.json", s.handleExport(exportJSON, true))
	s.public(mux, "GET /statements/{id}", time.Minute, s.handleStatement())

	// Public JSON API.
	s.public(mux, "GET /api/v1/topics", time.Minute, s.handleAPITopics())
	s.public(mux, "GET /api/v1/topics/{slug}", time.Minute, s.handleAPITopic())
	s.public(mux, "GET /api/v1/topics/{slug}/timeline", time.Minute, s.handleAPITimeline())
	s.public(mux, "GET /api/v1/statements/{id}", time.Minute, s.handleAPIStatement())

	// Signing in and out.
	mux.Handle("GET /signin", s.handleSignInForm())
	mux.Handle("POST /signin", s.handleSignIn())
	mux.Handle("POST /signout", s.handleSignOut())

	// The office: every route names the action it needs (docket.Can); s.office checks it.
	s.office(mux, "GET /office", docket.ActViewOffice, s.handleOfficeHome())
	s.office(mux, "GET /office/account", docket.ActViewOffice, s.handleAccount())
	s.office(mux, "POST /office/account/password", docket.ActViewOffice, s.handleChangePassword())
	s.office(mux, "GET /office/sources", docket.ActViewOffice, s.handleSources())
	s.office(mux, "POST /office/sources", docket.ActManageSources, s.handleAddSource())
	s.office(mux, "POST /office/sources/{id}/fetch", docket.ActManageSources, s.handleFetchSource())
	s.office(mux, "POST /office/sources/{id}/disabled", docket.ActManageSources, s.handleSourceDisabled())
	s.office(mux, "GET /office/users", docket.ActManageUsers, s.handleUsers())
	s.office(mux, "POST /office/users", docket.ActManageUsers, s.handleAddUser())
	s.office(mux, "POST /office/users/{id}", docket.ActManageUsers, s.handleUpdateUser())
	s.office(mux, "GET /office/audit", docket.ActViewAudit, s.handleAudit())

	// Topics in the office: timelines with every filter, curation, follows, exports, settings.
	s.office(mux, "GET /office/topics", docket.ActViewOffice, s.handleOfficeTopics())
	s.office(mux, "POST /office/topics", docket.ActManageTopics, s.handleAddTopic())
	s.office(mux, "GET /office/topics/{slug}", docket.ActViewOffice, s.handleOfficeTopic())
	s.office(mux, "GET /office/topics/{slug}/rematch", docket.ActViewOffice, s.handleRematchStatus())
	s.office(mux, "GET /office/topics/{slug}/export.csv", docket.ActViewOffice, s.handleExport(exportCSV, false))
	s.office(mux, "GET /office/topics/{slug}/export.json", docket.ActViewOffice, s.handleExport(exportJSON, false))
	s.office(mux, "GET /office/topics/{slug}/settings", docket.ActManageTopics, s.handleTopicSettings())
	s.office(mux, "POST /office/topics/{slug}/settings", docket.ActManageTopics, s.handleSaveTopicSettings())
	s.office(mux, "POST /office/topics/{slug}/follow", docket.ActFollow, s.handleFollow(true))
	s.office(mux, "POST /office/topics/{slug}/unfollow", docket.ActFollow, s.handleFollow(false))
	s.office(mux, "POST /office/topics/{slug}/items", docket.ActCurate, s.handleAddItem())
	s.office(mux, "POST /office/topics/{slug}/items/{id}/state", docket.ActCurate, s.handleSetState())
	s.office(mux, "POST /office/topics/{slug}/items/{id}/pin", docket.ActCurate, s.handleSetPinned())
	s.office(mux, "POST /office/topics/{slug}/items/{id}/notes", docket.ActCurate, s.handleAddNote())

	// Statements: the board, drafting, evidence, the workflow (each action its own route, so
	// the role check is the action's), revisions, comments, import; and the members.
	s.office(mux, "GET /office/statements", docket.ActViewOffice, s.handleStatements())
	s.office(mux, "GET /office/statements/new", docket.ActEditStatement, s.handleNewStatement())
	s.office(mux, "POST /office/statements", docket.ActEditStatement, s.handleCreateStatement())
	s.office(mux, "GET /office/statements/import", docket.ActImportStatement, s.handleImportForm())
	s.office(mux, "POST /office/statements/import", docket.ActImportStatement, s.handleImport())
	s.office(mux, "GET /office/statements/{statement}", docket.ActViewOffice, s.handleEditor())
	s.office(mux, "POST /office/statements/{statement}", docket.ActEditStatement, s.handleSaveStatement())
	s.office(mux, "GET /office/statements/{statement}/revisions", docket.ActViewOffice, s.handleRevisions())
	s.office(mux, "POST /office/statements/{statement}/evidence/preview", docket.ActEditStatement, s.handleEvidencePreview())
	s.office(mux, "POST /office/statements/{statement}/evidence", docket.ActEditEvidence, s.handleSetEvidence())
	s.office(mux, "POST /office/statements/{statement}/comments", docket.ActComment, s.handleAddComment())
	for _, a := range transitionActions() {
		s.office(mux, "POST /office/statements/{statement}/"+a, a, s.handleTransition(a))
	}
	s.office(mux, "GET /office/members", docket.ActViewOffice, s.handleMembers())
	s.office(mux, "POST /office/members", docket.ActManageMembers, s.handleAddMember())
	s.office(mux, "POST /office/members/{member}", docket.ActManageMembers, s.handleUpdateMember())

	// Operations.
	mux.Handle("GET /healthz", s.handleHealthz())
	mux.Handle("GET /readyz", s.handleReadyz())
	mux.Handle("GET /metrics", s.handleMetrics())
	mux.Handle("GET /static/", s.handleStatic())

	mux.Handle("/", s.handleNotFound())
}
