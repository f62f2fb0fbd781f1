package cli_test

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// docketProc is a real docket process: this test binary started again as docket (see
// TestMain).
type docketProc struct {
	cmd    *exec.Cmd
	out    *syncBuffer // its standard output and error
	exited chan struct{}
	state  *os.ProcessState // set when exited is closed
}

// docketProcess starts this test binary as `docket args...` with env added. When the test
// ends, a process still running gets SIGTERM (and SIGKILL 30 s later); what it printed is
// logged when the test failed.
func docketProcess(t testing.TB, env []string, args ...string) *docketProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "DOCKET_TEST_RUN_DOCKET=1"), env...)
	p := &docketProc{cmd: cmd, out: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		p.state = cmd.ProcessState
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.exited:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				<-p.exited
			}
		}
		if t.Failed() {
			t.Logf("docket %s (pid %d) said:\n%s", strings.Join(args, " "), cmd.Process.Pid, p.out.String())
		}
	})
	return p
}

func (p *docketProc) pid() int { return p.cmd.Process.Pid }

// terminate sends SIGTERM and checks that the process exits 0 within limit (its shutdown
// timeout): it finishes its requests and fetches and stops.
func (p *docketProc) terminate(t testing.TB, limit time.Duration) {
	t.Helper()
	start := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM to pid %d: %v", p.pid(), err)
	}
	select {
	case <-p.exited:
	case <-time.After(limit):
		t.Fatalf("pid %d still running %s after SIGTERM, want it stopped within its shutdown timeout", p.pid(), limit)
	}
	if code := p.state.ExitCode(); code != 0 {
		t.Errorf("pid %d exited %d (%s) %s after SIGTERM, want 0", p.pid(), code, p.state, time.Since(start).Round(time.Millisecond))
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *docketProc) kill(t testing.TB) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.exited
}

// waitOutput waits for the process to print a line containing s, and returns that line.
func (p *docketProc) waitOutput(t testing.TB, s string) string {
	t.Helper()
	var line string
	waitFor(t, 20*time.Second, func() bool {
		for _, l := range strings.Split(p.out.String(), "\n") {
			if strings.Contains(l, s) {
				line = l
				return true
			}
		}
		return false
	})
	return line
}

// peers tells which of the test's docket processes holds a TCP connection, by its address as
// a server sees it, from Linux's /proc: the socket's inode in /proc/net/tcp, then the process
// whose descriptors include that socket. It lets a feed server say which process asked.
type peers struct {
	mu     sync.Mutex
	pids   []int
	byAddr map[string]int
}

func newPeers(t testing.TB) *peers {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("needs Linux's /proc/net/tcp to tell which process made a request")
	}
	return &peers{byAddr: map[string]int{}}
}

func (ps *peers) add(pid int) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ps.pids = append(ps.pids, pid)
}

// of returns the pid of the process whose socket has the local address addr, 0 if none of
// the known processes has it.
func (ps *peers) of(addr string) int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if pid, ok := ps.byAddr[addr]; ok {
		return pid
	}
	ap, err := netip.ParseAddrPort(addr)
	if err != nil || !ap.Addr().Is4() {
		return 0
	}
	// /proc/net/tcp writes an IPv4 address as the hex of its 32 bits in the machine's
	// byte order, then the port.
	b := ap.Addr().As4()
	local := fmt.Sprintf("%08X:%04X", binary.NativeEndian.Uint32(b[:]), ap.Port())
	inode := ""
	for _, s := range procSockets("/proc/net/tcp") {
		if s.local == local {
			inode = s.inode
		}
	}
	if inode == "" {
		return 0
	}
	for _, pid := range ps.pids {
		if socketInodes(pid)[inode] {
			ps.byAddr[addr] = pid
			return pid
		}
	}
	return 0
}

// forget drops a closed connection's address, which a later connection may reuse.
func (ps *peers) forget(addr string) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	delete(ps.byAddr, addr)
}

type procSocket struct{ local, state, inode string }

// procSockets reads /proc/net/tcp or tcp6.
func procSockets(path string) []procSocket {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []procSocket
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) >= 10 {
			out = append(out, procSocket{local: f[1], state: f[3], inode: f[9]})
		}
	}
	return out
}

// socketInodes returns the inodes of the sockets a process has open.
func socketInodes(pid int) map[string]bool {
	dir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	ents, _ := os.ReadDir(dir)
	out := map[string]bool{}
	for _, e := range ents {
		l, err := os.Readlink(filepath.Join(dir, e.Name()))
		if err == nil && strings.HasPrefix(l, "socket:[") {
			out[strings.TrimSuffix(strings.TrimPrefix(l, "socket:["), "]")] = true
		}
	}
	return out
}

// listeningPorts counts the TCP sockets a process listens on.
func listeningPorts(pid int) int {
	mine := socketInodes(pid)
	n := 0
	for _, path := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		for _, s := range procSockets(path) {
			if s.state == "0A" && mine[s.inode] { // 0A: TCP_LISTEN
				n++
			}
		}
	}
	return n
}
