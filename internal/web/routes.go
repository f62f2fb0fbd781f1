package web

import (
	"net/http"
	"time"

	"github.com/docket-dev/docket/internal/docket"
)

// routes lists every route Docket serves.
func (s *Server) routes(mux *http.ServeMux) {
	// Public pages: public topics and published statements only.
	// Each answers with an ETag made from its bytes, and 304 when the reader has it already.
	mux.Handle("GET /{$}", s.cacheable(time.Minute, s.handleHome()))
	mux.Handle("GET /topics/{slug}", s.cacheable(time.Minute, s.handleTopic()))
	mux.Handle("GET /topics/{slug}/feed.atom", s.cacheable(5*time.Minute, s.handleTopicAtom()))
	// Streamed, so not through cacheable, which holds a response whole.
	mux.Handle("GET /topics/{slug}/timeline.csv", s.handleExport(exportCSV, true))
	mux.Handle("GET /topics/{slug}/timeline.json", s.handleExport(exportJSON, true))
	mux.Handle("GET /statements/{id}", s.cacheable(time.Minute, s.handleStatement()))

	// Public JSON API.
	mux.Handle("GET /api/v1/topics", s.cacheable(time.Minute, s.handleAPITopics()))
	mux.Handle("GET /api/v1/topics/{slug}", s.cacheable(time.Minute, s.handleAPITopic()))
	mux.Handle("GET /api/v1/topics/{slug}/timeline", s.cacheable(time.Minute, s.handleAPITimeline()))
	mux.Handle("GET /api/v1/statements/{id}", s.cacheable(time.Minute, s.handleAPIStatement()))

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
