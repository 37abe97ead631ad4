// Package netlifytest has what tests of servers built on package netlify
// share: request targets that try to escape the site, and a client that
// sends them unchanged.
package netlifytest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
)

// TraversalPaths are request targets that try to leave the site folder or
// reach a file by an unclean name: "..", encoded "%2e%2e", backslashes
// (plain and encoded), NUL bytes, "." and empty segments. A static server
// must answer each with 404.
var TraversalPaths = []string{
	"/../secret.txt",
	"/guide/../../secret.txt",
	"/%2e%2e/secret.txt",
	"/%2E%2E/secret.txt",
	"/guide/%2e%2e/%2e%2e/secret.txt",
	"/..%2fsecret.txt",
	"/%2e%2e%2fsecret.txt",
	"/..\\secret.txt",
	"/%5c..%5csecret.txt",
	"/guide%5c..%5c..%5csecret.txt",
	"/index.html%00.txt",
	"/%00",
	"/guide/./index.html",
	"/guide//index.html",
	"//secret.txt",
	"/./",
	"/../content/site.yaml",
	"/%2e%2e/content/site.yaml",
}

// RawGet sends a GET with target written as is on the request line, so no
// client cleans it first, and returns the status and body.
func RawGet(t testing.TB, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
