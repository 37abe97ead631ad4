package fasttmpl

import (
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"text/template/parse"
)

// A Program is one escaped template of an html/template set, and every
// template it calls, compiled for Execute.
type Program struct {
	root *tmpl
}

// errDecline marks what Compile leaves to html/template.
var errDecline = errors.New("fasttmpl: not supported")

// Compile compiles the template name of set, which must already have
// been executed by html/template (so that it, and every template it
// calls, is escaped). funcs are the set's functions.
//
// It returns an error for anything it does not support: the caller
// keeps using html/template for that template. What it compiles,
// Execute writes byte for byte as html/template would.
func Compile(set *template.Template, name string, funcs template.FuncMap) (*Program, error) {
	c := &compiler{set: set, funcs: map[string]reflect.Value{}, tmpls: map[string]*tmpl{}}
	for k, f := range funcs {
		v := reflect.ValueOf(f)
		if v.Kind() != reflect.Func {
			return nil, fmt.Errorf("%w: function %q is a %s", errDecline, k, v.Kind())
		}
		c.funcs[k] = v
	}
	t, err := c.template(name)
	if err != nil {
		return nil, err
	}
	return &Program{root: t}, nil
}

type compiler struct {
	set   *template.Template
	funcs map[string]reflect.Value
	tmpls map[string]*tmpl
	// scope is the variables in scope, in the order text/template
	// pushes them: a variable's index is its slot in the frame.
	scope []string
	// slots is the most slots the template being compiled needs.
	slots int
}

// tmpl is one compiled template.
type tmpl struct {
	name  string
	root  node
	slots int
}

func (c *compiler) template(name string) (*tmpl, error) {
	if t, ok := c.tmpls[name]; ok {
		return t, nil
	}
	ht := c.set.Lookup(name)
	if ht == nil || ht.Tree == nil || ht.Tree.Root == nil {
		// Not defined, or only in text/template's name space (a
		// template html/template derived for another context).
		return nil, fmt.Errorf("%w: template %q not found", errDecline, name)
	}
	t := &tmpl{name: name}
	c.tmpls[name] = t
	outer, outerSlots := c.scope, c.slots
	c.scope, c.slots = []string{"$"}, 1
	root, err := c.list(ht.Tree.Root)
	t.root, t.slots = root, c.slots
	c.scope, c.slots = outer, outerSlots
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	return t, nil
}

func (c *compiler) push(name string) int {
	c.scope = append(c.scope, name)
	if len(c.scope) > c.slots {
		c.slots = len(c.scope)
	}
	return len(c.scope) - 1
}

// lookup finds a variable's slot as text/template's varValue does: the
// latest pushed of that name.
func (c *compiler) lookup(name string) (int, error) {
	for i := len(c.scope) - 1; i >= 0; i-- {
		if c.scope[i] == name {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%w: undefined variable %s", errDecline, name)
}

func (c *compiler) list(l *parse.ListNode) (node, error) {
	if l == nil {
		return listNode(nil), nil
	}
	out := make(listNode, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		cn, err := c.node(n)
		if err != nil {
			return nil, err
		}
		if cn != nil {
			out = append(out, cn)
		}
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}

func (c *compiler) node(n parse.Node) (node, error) {
	switch n := n.(type) {
	case *parse.TextNode:
		return textNode(n.Text), nil
	case *parse.CommentNode:
		return nil, nil
	case *parse.ActionNode:
		return c.action(n)
	case *parse.IfNode:
		return c.branch(n.Pipe, n.List, n.ElseList, false)
	case *parse.WithNode:
		return c.branch(n.Pipe, n.List, n.ElseList, true)
	case *parse.RangeNode:
		return c.rangeNode(n)
	case *parse.TemplateNode:
		return c.call(n)
	case *parse.ListNode:
		return c.list(n)
	}
	return nil, fmt.Errorf("%w: %s", errDecline, n)
}

// action compiles an action: one that declares or assigns variables
// writes nothing; any other must end in html/template's escapers.
func (c *compiler) action(n *parse.ActionNode) (node, error) {
	if len(n.Pipe.Decl) > 0 {
		p, err := c.pipeline(n.Pipe)
		if err != nil {
			return nil, err
		}
		return declNode{p}, nil
	}
	cmds := n.Pipe.Cmds
	var chain []string
	for len(cmds) > 0 {
		name, ok := escaperName(cmds[len(cmds)-1])
		if !ok {
			break
		}
		chain = append([]string{name}, chain...)
		cmds = cmds[:len(cmds)-1]
	}
	if len(chain) == 0 || len(cmds) == 0 {
		return nil, fmt.Errorf("%w: action %s is not escaped", errDecline, n)
	}
	esc, ok := escaperChain(chain)
	if !ok {
		return nil, fmt.Errorf("%w: escapers %s", errDecline, strings.Join(chain, " | "))
	}
	p, err := c.pipeline(&parse.PipeNode{NodeType: parse.NodePipe, Cmds: cmds})
	if err != nil {
		return nil, err
	}
	return &actionNode{pipe: p, esc: esc, str: escaperChainString(chain)}, nil
}

// escaperName reports whether cmd is one of html/template's escapers,
// given the value before it and nothing else.
func escaperName(cmd *parse.CommandNode) (string, bool) {
	if len(cmd.Args) != 1 {
		return "", false
	}
	id, ok := cmd.Args[0].(*parse.IdentifierNode)
	if !ok || !isEscaper(id.Ident) {
		return "", false
	}
	return id.Ident, true
}

func isEscaper(name string) bool {
	return strings.HasPrefix(name, "_html_template_") || name == "_eval_args_"
}

func (c *compiler) branch(pipe *parse.PipeNode, list, elseList *parse.ListNode, with bool) (node, error) {
	mark := len(c.scope)
	defer func() { c.scope = c.scope[:mark] }()
	p, err := c.pipeline(pipe)
	if err != nil {
		return nil, err
	}
	inner := len(c.scope)
	l, err := c.list(list)
	if err != nil {
		return nil, err
	}
	c.scope = c.scope[:inner]
	var e node
	if elseList != nil {
		if e, err = c.list(elseList); err != nil {
			return nil, err
		}
	}
	return &branchNode{pipe: p, list: l, elseList: e, with: with}, nil
}

func (c *compiler) rangeNode(n *parse.RangeNode) (node, error) {
	if n.Pipe.IsAssign || len(n.Pipe.Decl) > 2 {
		return nil, fmt.Errorf("%w: range %s", errDecline, n.Pipe)
	}
	mark := len(c.scope)
	defer func() { c.scope = c.scope[:mark] }()
	p, err := c.pipeline(n.Pipe)
	if err != nil {
		return nil, err
	}
	r := &rangeNode{pipe: p, elemSlot: -1, indexSlot: -1}
	switch d := p.decl; len(d) {
	case 1:
		r.elemSlot = d[0]
	case 2:
		r.indexSlot, r.elemSlot = d[0], d[1]
	}
	inner := len(c.scope)
	if r.list, err = c.list(n.List); err != nil {
		return nil, err
	}
	c.scope = c.scope[:inner]
	if n.ElseList != nil {
		if r.elseList, err = c.list(n.ElseList); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (c *compiler) call(n *parse.TemplateNode) (node, error) {
	t, err := c.template(n.Name)
	if err != nil {
		return nil, err
	}
	var p *pipeline
	if n.Pipe != nil {
		if len(n.Pipe.Decl) > 0 {
			return nil, fmt.Errorf("%w: declaration in template call", errDecline)
		}
		if p, err = c.pipeline(n.Pipe); err != nil {
			return nil, err
		}
	}
	return &callNode{t: t, pipe: p}, nil
}

func (c *compiler) pipeline(p *parse.PipeNode) (*pipeline, error) {
	out := &pipeline{assign: p.IsAssign}
	for _, cmd := range p.Cmds {
		cc, err := c.command(cmd)
		if err != nil {
			return nil, err
		}
		out.cmds = append(out.cmds, cc)
	}
	for _, v := range p.Decl {
		if len(v.Ident) != 1 {
			return nil, fmt.Errorf("%w: declaration %s", errDecline, v)
		}
		if p.IsAssign {
			slot, err := c.lookup(v.Ident[0])
			if err != nil {
				return nil, err
			}
			out.decl = append(out.decl, slot)
		} else {
			out.decl = append(out.decl, c.push(v.Ident[0]))
		}
	}
	return out, nil
}

// command compiles one command of a pipeline. Its first word says what
// it is, as in text/template's evalCommand.
func (c *compiler) command(cmd *parse.CommandNode) (command, error) {
	args := cmd.Args[1:]
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return c.fields(dotExpr{}, n.Ident, args)
	case *parse.ChainNode:
		if n.Node.Type() == parse.NodeNil {
			return nil, fmt.Errorf("%w: nil chain", errDecline)
		}
		recv, err := c.arg(n.Node)
		if err != nil {
			return nil, err
		}
		return c.fields(recv, n.Field, args)
	case *parse.VariableNode:
		slot, err := c.lookup(n.Ident[0])
		if err != nil {
			return nil, err
		}
		if len(n.Ident) == 1 {
			if len(args) > 0 {
				return nil, fmt.Errorf("%w: arguments to a variable", errDecline)
			}
			return &valueCmd{e: varExpr(slot)}, nil
		}
		return c.fields(varExpr(slot), n.Ident[1:], args)
	case *parse.IdentifierNode:
		return c.function(n.Ident, args)
	}
	if len(args) > 0 {
		return nil, fmt.Errorf("%w: arguments to %s", errDecline, cmd.Args[0])
	}
	e, err := c.arg(cmd.Args[0])
	if err != nil {
		return nil, err
	}
	if _, isNil := e.(nilExpr); isNil {
		return nil, fmt.Errorf("%w: nil is not a command", errDecline)
	}
	return &valueCmd{e: e}, nil
}

func (c *compiler) fields(recv expr, idents []string, args []parse.Node) (command, error) {
	f := &fieldCmd{recv: recv}
	for _, id := range idents {
		f.steps = append(f.steps, &step{name: id})
	}
	for _, a := range args {
		e, err := c.arg(a)
		if err != nil {
			return nil, err
		}
		f.args = append(f.args, e)
	}
	return f, nil
}

func (c *compiler) function(name string, args []parse.Node) (command, error) {
	if isEscaper(name) {
		return nil, fmt.Errorf("%w: escaper %s inside a pipeline", errDecline, name)
	}
	var es []expr
	for _, a := range args {
		e, err := c.arg(a)
		if err != nil {
			return nil, err
		}
		es = append(es, e)
	}
	if fn, ok := c.funcs[name]; ok {
		t := fn.Type()
		if err := goodFunc(t); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errDecline, name, err)
		}
		return &funcCmd{name: name, fn: fn, direct: directFor(fn), typ: t, args: es}, nil
	}
	b, ok := builtins[name]
	if !ok {
		return nil, fmt.Errorf("%w: function %q", errDecline, name)
	}
	return &builtinCmd{name: name, f: b, args: es}, nil
}

// arg compiles an argument, or the first word of a command that is not
// a function, field or variable.
func (c *compiler) arg(n parse.Node) (expr, error) {
	switch n := n.(type) {
	case *parse.DotNode:
		return dotExpr{}, nil
	case *parse.NilNode:
		return nilExpr{}, nil
	case *parse.BoolNode:
		return &constExpr{ideal: reflect.ValueOf(n.True)}, nil
	case *parse.StringNode:
		return &constExpr{ideal: reflect.ValueOf(n.Text)}, nil
	case *parse.NumberNode:
		// text/template's idealConstant, for what it takes as an int
		// or a float; anything else is declined.
		ce := &constExpr{}
		switch {
		case n.IsComplex:
			return nil, fmt.Errorf("%w: complex constant", errDecline)
		case n.IsFloat && !isHexInt(n.Text) && !isRuneInt(n.Text) && strings.ContainsAny(n.Text, ".eEpP"):
			ce.ideal = reflect.ValueOf(n.Float64)
		case n.IsInt && int64(int(n.Int64)) == n.Int64:
			ce.ideal = reflect.ValueOf(int(n.Int64))
		default:
			return nil, fmt.Errorf("%w: constant %s", errDecline, n.Text)
		}
		return ce, nil
	case *parse.FieldNode, *parse.ChainNode, *parse.VariableNode, *parse.IdentifierNode:
		cmd, err := c.command(&parse.CommandNode{NodeType: parse.NodeCommand, Args: []parse.Node{n}})
		if err != nil {
			return nil, err
		}
		return cmdExpr{cmd}, nil
	case *parse.PipeNode:
		if len(n.Decl) > 0 {
			return nil, fmt.Errorf("%w: declaration in a parenthesised pipeline", errDecline)
		}
		p, err := c.pipeline(n)
		if err != nil {
			return nil, err
		}
		return pipeExpr{p}, nil
	}
	return nil, fmt.Errorf("%w: argument %s", errDecline, n)
}

func isRuneInt(s string) bool { return len(s) > 0 && s[0] == '\'' }

func isHexInt(s string) bool {
	return len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strings.ContainsAny(s, "pP")
}

// goodFunc reports whether a function or method returns what a template
// may call: one result, or two with an error second.
func goodFunc(t reflect.Type) error {
	switch {
	case t.NumOut() == 1:
		return nil
	case t.NumOut() == 2 && t.Out(1) == errorType:
		return nil
	}
	return fmt.Errorf("can't call a function with %d results", t.NumOut())
}
