package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"hjp/internal/testsite"
)

func TestServeUsageErrors(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--bind", "everywhere"}, `--bind must be an IP address`},
		{[]string{"--port", "0"}, `--port must be between 1 and 65535, not 0`},
		{[]string{"--port", "70000"}, `--port must be between 1 and 65535`},
		{[]string{"--poll", "1ms"}, `--poll must be at least 50ms`},
		{[]string{"--poll", "soon"}, `invalid value "soon" for flag -poll`},
		{[]string{"--source", "/no/such/folder"}, `--source "/no/such/folder" is not a folder`},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		args := append([]string{"--source", src}, tt.args...)
		if tt.args[0] == "--source" {
			args = tt.args
		}
		var o, e bytes.Buffer
		code := runServe(context.Background(), args, &o, &e, func(string) string { return "" })
		if code != exitUsage || !strings.Contains(e.String(), tt.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want 2 and %q", tt.args, code, e.String(), tt.want)
		}
	}
}

// TestServeWarnsOffLoopback binds an address this machine does not have,
// so nothing listens, and checks the warning comes before the failure.
func TestServeWarnsOffLoopback(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	var o, e bytes.Buffer
	code := runServe(context.Background(), []string{"--source", src, "--bind", "192.0.2.1", "--port", "18999"}, &o, &e, func(string) string { return "" })
	if code != exitContent || !strings.Contains(e.String(), "warning: listening on 192.0.2.1, so other machines on the network can open the preview") {
		t.Errorf("exit %d, stderr %q", code, e.String())
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServeRunsAndStopsCleanly(t *testing.T) {
	src := testsite.New(t, testsite.Fixture())
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var o, e lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- runServe(ctx, []string{"--source", src, "--port", strconv.Itoa(port)}, &o, &e, func(string) string { return "" })
	}()
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no page within 10s:\n%s%s", o.String(), e.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(o.String(), "Serving "+url) {
		t.Errorf("the URL is not printed:\n%s", o.String())
	}
	cancel() // what Ctrl-C does
	select {
	case code := <-done:
		if code != exitOK || !strings.Contains(o.String(), "Stopped.") {
			t.Errorf("exit %d after Ctrl-C:\n%s%s", code, o.String(), e.String())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve did not stop within 5s of Ctrl-C")
	}
	if _, err := http.Get(url); err == nil {
		t.Errorf("still serving after stopping")
	}
}
