package schema

// ParseSimple is parseSimple, for the external tests (which use the
// corpus generator, whose config package imports this one).
var ParseSimple = parseSimple
