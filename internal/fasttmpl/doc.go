// Package fasttmpl executes html/template's escaped parse trees without
// text/template's reflection overhead, for the layouts hjp's theme uses;
// anything it does not support it declines, so the caller falls back to
// html/template.
package fasttmpl
