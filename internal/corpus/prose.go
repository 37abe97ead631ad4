package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The word lists below are the raw material of the prose. Sentences combine
// one item from several lists, so a page of a thousand words rarely repeats
// a sentence, and the text has the length, punctuation and vocabulary of
// the real guide (which is what goldmark, the search tokeniser and minify
// see).

var subjects = []string{
	"the adviser", "a GP practice", "the partnership", "health staff", "patients",
	"the welfare rights service", "commissioners", "the integrated care board",
	"a social prescriber", "the hospital trust", "the local council", "advice providers",
	"community nurses", "the evaluation team", "many families", "older people",
	"the steering group", "clinicians", "the funder", "frontline workers",
	"the practice manager", "a specialist debt caseworker", "midwives", "health visitors",
	"the mental health team", "people on low incomes", "carers", "the primary care network",
	"a housing officer", "the advice charity", "the project lead", "hospital social workers",
	"receptionists", "the public health team", "ward staff", "the referral coordinator",
}

var modals = []string{
	"can", "should", "often", "may", "will need to", "must", "tend to", "could",
	"usually", "rarely", "are able to", "need to", "sometimes", "try to",
}

var verbs = []string{
	"refer", "support", "measure", "fund", "review", "improve", "reduce", "track",
	"share", "agree", "record", "explain", "identify", "coordinate", "recognise",
	"resolve", "challenge", "check", "plan", "discuss", "report", "protect", "secure",
	"prioritise", "follow up", "escalate", "document", "describe", "compare", "sustain",
	"strengthen", "simplify", "monitor", "negotiate", "map",
}

var objects = []string{
	"benefit claims", "debt advice", "housing problems", "referral forms", "consent records",
	"the caseload", "income gains", "waiting times", "appeals against sanctions",
	"rent arrears", "fuel debts", "disability benefits", "Universal Credit deductions",
	"eviction notices", "employment disputes", "immigration status questions",
	"the data-sharing agreement", "outcome measures", "staff training", "the referral pathway",
	"appointment slots", "client feedback", "the budget", "the service level agreement",
	"safeguarding concerns", "repeat consultations", "prescribing costs", "stress and anxiety",
	"council tax arrears", "Personal Independence Payment claims", "mandatory reconsiderations",
	"the annual report", "follow-up calls", "interpreting needs", "case notes",
}

var tails = []string{
	"within six weeks", "for people on low incomes", "across the primary care network",
	"before the contract ends", "in the first year", "without extra funding",
	"at the point of care", "in busy clinics", "over the winter months",
	"for patients with long-term conditions", "in deprived neighbourhoods",
	"when demand rises", "through a shared spreadsheet", "with the patient's consent",
	"at every quarterly review", "during home visits", "in more than one language",
	"as soon as a problem is raised", "for families with young children",
	"after discharge from hospital", "by phone or video", "on the same day",
	"in the waiting room", "once trust is built", "for the whole practice list",
	"with a named contact", "in plain English", "before the next appointment",
}

var connectors = []string{
	"However,", "In practice,", "As a result,", "For example,", "Over time,",
	"In most areas,", "At first,", "Even so,", "In one partnership,", "Where this works,",
	"By contrast,", "In the evaluations we reviewed,", "Across the sites,", "Above all,",
	"In smaller practices,", "Later,", "Often,", "Typically,",
}

var findingVerbs = []string{"found", "reported", "showed", "noted", "argued", "observed"}

var places = []string{
	"Liverpool", "Leeds", "Bristol", "Newcastle", "Sheffield", "Manchester", "Nottingham",
	"Leicester", "Bradford", "Hull", "Plymouth", "Sunderland", "Stoke-on-Trent", "Derby",
	"Southampton", "Portsmouth", "Wolverhampton", "Blackpool", "Middlesbrough", "Norwich",
	"Tower Hamlets", "Hackney", "Lambeth", "Newham", "Cornwall", "Cumbria", "Kent",
	"Lincolnshire", "Oldham", "Rochdale", "Wigan", "Salford", "Barnsley", "Doncaster",
	"Gateshead", "Exeter", "Ipswich", "Luton", "Coventry", "Birmingham",
}

var groups = []string{
	"patients", "families", "carers", "older people", "new parents", "people with cancer",
	"tenants", "young adults", "people with diabetes", "outpatients",
}

var pastVerbs = []string{
	"received advice", "gained income", "cleared their arrears", "kept their homes",
	"returned to work", "appealed a decision", "reported less stress", "were referred twice",
}

// h2s and h3s are the heading texts of a page; customIDs are the IDs that
// some H2s are given with {#id}. None of the custom IDs is the slug of a
// heading text, so a custom ID never clashes with an automatic one.
var h2s = []string{
	"What the evidence shows", "Why it matters", "How it works", "Who it helps",
	"Setting up the service", "Referral routes", "Sharing information", "Training staff",
	"Measuring outcomes", "Costs and savings", "Risks to watch", "Working with the NHS",
	"Governance", "Funding the work", "Reaching people who need it", "Keeping it going",
	"Lessons from practice", "What went well", "What was hard", "Next steps",
	"Roles and responsibilities", "Consent and privacy", "Space and equipment",
	"Recording the work", "Building trust", "Demand and capacity", "Waiting lists",
	"The role of the adviser", "The role of health staff", "Local context",
	"Equality and access", "Language and interpreting", "Digital and remote advice",
	"Working with hospitals", "Mental health settings", "Maternity and early years",
	"Cancer and palliative care", "Community settings", "Evaluation design",
	"Quality of the evidence", "Gaps in the research", "Policy background",
	"Commissioning options", "Contract terms", "Value for money", "Staff wellbeing",
	"Supervision", "Case management", "Escalation", "Ending a partnership",
}

var h3s = []string{
	"Example", "A worked case", "Common problems", "Checklist", "Questions to ask",
	"Tips for advisers", "Tips for clinicians", "Data to collect", "Typical costs",
	"Timescales", "Who to involve", "Templates", "Warning signs", "Quick wins",
	"Longer term", "In small practices", "In large trusts", "Rural areas",
	"Urban areas", "First month", "First year", "After the pilot", "Key figures",
	"What patients said", "What staff said", "Caveats", "Alternatives",
	"Further reading", "Definitions", "Scope", "Limits", "Open questions",
	"Practical steps", "Budget lines", "Sample wording", "Useful contacts",
}

var customIDs = []string{
	"key-points", "in-practice", "what-to-do", "evidence", "cost", "risks",
	"next", "summary", "background", "method", "results", "limits-of-evidence",
	"set-up", "pathways", "consent", "outcomes", "funding-notes", "lessons",
}

var termWords = []string{
	"Advice on prescription", "Appointee", "Benefit cap", "Caseworker", "Co-location",
	"Debt relief order", "Discretionary housing payment", "Embedded adviser",
	"Fit note", "Health inequalities", "Integrated care board", "Legal aid",
	"Mandatory reconsideration", "Outreach", "Personal Independence Payment",
	"Primary care network", "Referral pathway", "Sanction", "Social prescribing",
	"Tribunal", "Universal Credit", "Warm referral", "Welfare rights", "Work capability assessment",
}

var adjectives = []string{
	"shared", "early", "joint", "local", "practical", "regular", "specialist",
	"flexible", "secure", "simple", "timely", "trusted", "clear", "steady",
}

// prose writes sentences and paragraphs from one page's random source.
type prose struct {
	r *rand.Rand
}

func (p prose) pick(list []string) string { return list[p.r.IntN(len(list))] }

// chance reports true with probability num/den.
func (p prose) chance(num, den int) bool { return p.r.IntN(den) < num }

// between returns an int in [lo, hi].
func (p prose) between(lo, hi int) int { return lo + p.r.IntN(hi-lo+1) }

// clause is "subject modal verb object [tail]".
func (p prose) clause() string { return p.clauseTail(p.chance(2, 3)) }

func (p prose) clauseTail(tail bool) string {
	obj := p.pick(objects)
	switch p.r.IntN(12) {
	case 0:
		obj = "*" + obj + "*"
	case 1:
		obj = "**" + obj + "**"
	}
	s := p.pick(subjects) + " " + p.pick(modals) + " " + p.pick(verbs) + " " + obj
	if tail {
		s += " " + p.pick(tails)
	}
	return s
}

// maxSentenceWords keeps sentences under the editorial check's limit of
// 35 words (markdown.MaxSentenceWords), with room for a citation.
const maxSentenceWords = 30

// sentence returns one sentence; cite, when not empty, is a citation key to
// work into it.
func (p prose) sentence(cite string) string {
	var s string
	switch p.r.IntN(7) {
	case 0:
		s = p.pick(connectors) + " " + p.clause()
	case 1:
		s = capitalise(p.clause()) + ", and " + p.clauseTail(false)
	case 2:
		n := p.between(3, 95)
		s = "In " + p.pick(places) + ", " + strconv.Itoa(n) + " of " + strconv.Itoa(n+p.between(5, 200)) +
			" " + p.pick(groups) + " " + p.pick(pastVerbs) + " " + p.pick(tails)
	case 3:
		s = capitalise(p.clause()) + " because " + p.clauseTail(false)
	case 4:
		s = "When " + p.clauseTail(false) + ", " + p.clause()
	default:
		s = capitalise(p.clause())
	}
	if wordCount(s) > maxSentenceWords {
		s = capitalise(p.clauseTail(false))
	}
	if cite == "" {
		return capitalise(s) + "."
	}
	switch p.r.IntN(5) {
	case 0:
		// Sentences start with a capital letter, so the editorial check
		// can tell where one ends: "As @key found, …".
		return "As @" + cite + " " + p.pick(findingVerbs) + ", " + lowerFirst(s) + "."
	case 1:
		return capitalise(s) + " [@" + cite + ", p. " + strconv.Itoa(p.between(2, 240)) + "]."
	default:
		return capitalise(s) + " [@" + cite + "]."
	}
}

// title is a short title in sentence case.
func (p prose) title() string {
	switch p.r.IntN(4) {
	case 0:
		return capitalise(p.pick(adjectives) + " " + strings.TrimPrefix(p.pick(objects), "the ") + " " + p.pick(tails))
	case 1:
		return capitalise(p.pick(subjects) + " " + p.pick(modals) + " " + p.pick(verbs) + " " + p.pick(objects))
	case 2:
		return capitalise(p.pick(verbs) + " " + p.pick(objects) + " " + p.pick(tails))
	}
	return capitalise(p.pick(adjectives) + " support for " + p.pick(groups) + " " + p.pick(tails))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '*' {
		i := strings.IndexFunc(s, func(r rune) bool { return r != '*' })
		if i < 0 {
			return s
		}
		return s[:i] + capitalise(s[i:])
	}
	if 'a' <= s[0] && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func lowerFirst(s string) string {
	if len(s) > 1 && 'A' <= s[0] && s[0] <= 'Z' && !('A' <= s[1] && s[1] <= 'Z') {
		return string(s[0]-'A'+'a') + s[1:]
	}
	return s
}

func wordCount(s string) int { return len(strings.Fields(s)) }
