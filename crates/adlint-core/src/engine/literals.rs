//! Required literals of a phrase or label pattern, for the term prefilter.
//!
//! [`factors`] reads a pattern as rule authors write it (placeholders such as `{giver}` left in)
//! and finds a small set of literal strings such that every match of the pattern contains one of
//! them. The prefilter looks for those strings with one ASCII-case-insensitive automaton; a
//! pattern none of whose strings occurs cannot match and its regex is never run.
//!
//! Soundness is all that matters here, so anything unclear becomes "any text": character
//! classes, escapes the parser does not know, placeholders, and letters whose case folding goes
//! beyond ASCII (`é` matches `É` under `(?i)`, which an ASCII-case-insensitive search would
//! miss). Only ASCII and caseless CJK characters ever end up in a literal. A pattern the parser
//! cannot read at all has no literals, and then runs on every caption.

/// Literal strings one of which every match of a pattern contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Factors {
    /// Non-empty literals, compared ASCII-case-insensitively.
    pub literals: Vec<String>,
    /// Every match starts with one of the literals.
    pub prefix: bool,
    /// Every match ends with one of the literals.
    pub suffix: bool,
}

/// The most strings a literal set may hold before it counts as unknown.
const LIMIT: usize = 32;

#[derive(Debug, Clone)]
enum Node {
    /// Matches the empty string only (assertions, flag groups).
    Empty,
    /// A run of literal characters.
    Lit(String),
    /// Anything: a class, a placeholder, a character the prefilter cannot compare.
    Any,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

/// The factors of a pattern, or `None` when it has none worth searching for.
pub(crate) fn factors(pattern: &str) -> Option<Factors> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser { chars, at: 0 };
    let node = parser.alternation()?;
    if parser.at != parser.chars.len() {
        return None;
    }
    let info = analyse(&node);
    // The whole match when it is known: both ends are the literal's.
    if let Some(exact) = nonempty(&info.exact) {
        return Some(Factors {
            literals: exact,
            prefix: true,
            suffix: true,
        });
    }
    let options = [
        (info.prefix.clone(), true, false),
        (info.suffix.clone(), false, true),
        (info.inner.clone(), false, false),
    ];
    // The longest shortest literal wins; on a tie the first (a prefix, which also lets the
    // prefilter check the word boundary at its start).
    let mut best: Option<Factors> = None;
    for (set, prefix, suffix) in options {
        let Some(set) = set else { continue };
        if best
            .as_ref()
            .is_none_or(|b| min_len(&set) > min_len(&b.literals))
        {
            best = Some(Factors {
                literals: set,
                prefix,
                suffix,
            });
        }
    }
    best
}

/// Whether a character can sit in a prefilter literal: ASCII (compared case-insensitively by
/// the automaton, as `(?i)` does, save for `ſ` and the Kelvin sign, which the caller handles)
/// or a caseless CJK character (compared exactly, which `(?i)` cannot tell from exactly).
pub(crate) fn comparable(c: char) -> bool {
    c.is_ascii()
        || matches!(c,
            '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
            | '\u{AC00}'..='\u{D7AF}')
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn alternation(&mut self) -> Option<Node> {
        let mut alts = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.at += 1;
            alts.push(self.concat()?);
        }
        Some(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alt(alts)
        })
    }

    fn concat(&mut self) -> Option<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantified(atom)?;
            // A run of literal characters is one literal: analysed once, not char by char.
            if let (Node::Lit(next), Some(Node::Lit(run))) = (&atom, items.last_mut()) {
                run.push_str(next);
                continue;
            }
            items.push(atom);
        }
        Some(Node::Concat(items))
    }

    /// A repetition `{m}`, `{m,}` or `{m,n}` at the cursor, if there is one.
    fn repetition(&self) -> Option<(usize, u32, Option<u32>)> {
        if self.peek() != Some('{') {
            return None;
        }
        let rest: String = self.chars[self.at + 1..].iter().collect();
        let close = rest.find('}')?;
        let body = &rest[..close];
        let (min, max) = match body.split_once(',') {
            None => {
                let n = body.trim().parse().ok()?;
                (n, Some(n))
            }
            Some((a, b)) => {
                let min = a.trim().parse().ok()?;
                let max = if b.trim().is_empty() {
                    None
                } else {
                    Some(b.trim().parse().ok()?)
                };
                (min, max)
            }
        };
        Some((body.chars().count() + 2, min, max))
    }

    fn quantified(&mut self, mut atom: Node) -> Option<Node> {
        loop {
            let (min, max) = match self.peek() {
                Some('?') => {
                    self.at += 1;
                    (0, Some(1))
                }
                Some('*') => {
                    self.at += 1;
                    (0, None)
                }
                Some('+') => {
                    self.at += 1;
                    (1, None)
                }
                Some('{') => match self.repetition() {
                    Some((len, min, max)) => {
                        self.at += len;
                        (min, max)
                    }
                    None => return Some(atom),
                },
                _ => return Some(atom),
            };
            // A lazy quantifier matches the same strings.
            if self.peek() == Some('?') {
                self.at += 1;
            }
            atom = Node::Repeat(Box::new(atom), min, max);
        }
    }

    fn atom(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.at += 1;
        match c {
            '(' => self.group(),
            '[' => {
                self.skip_class()?;
                Some(Node::Any)
            }
            '.' => Some(Node::Any),
            '^' | '$' => Some(Node::Empty),
            '\\' => self.escape(),
            '{' => {
                // A placeholder (`{giver}`, a vocabulary): any text.
                let rest: String = self.chars[self.at..].iter().collect();
                let close = rest.find('}')?;
                let name = &rest[..close];
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
                {
                    return None;
                }
                self.at += name.chars().count() + 1;
                Some(Node::Repeat(Box::new(Node::Any), 0, None))
            }
            '*' | '+' | '?' | ')' | '|' => None,
            c if comparable(c) => Some(Node::Lit(c.to_string())),
            _ => Some(Node::Any),
        }
    }

    fn group(&mut self) -> Option<Node> {
        if self.peek() == Some('?') {
            self.at += 1;
            match self.peek()? {
                'P' | '<' => {
                    // A named group: `(?P<name>` or `(?<name>`.
                    while self.peek()? != '>' {
                        self.at += 1;
                    }
                    self.at += 1;
                }
                _ => {
                    // Flags: `(?i)`, `(?-i:`, `(?:`.
                    let mut flags = String::new();
                    loop {
                        match self.peek()? {
                            ':' => {
                                self.at += 1;
                                break;
                            }
                            ')' => {
                                self.at += 1;
                                if flags.contains('x') {
                                    return None;
                                }
                                return Some(Node::Empty);
                            }
                            c => {
                                flags.push(c);
                                self.at += 1;
                            }
                        }
                    }
                    // Verbose mode changes what whitespace means: give up.
                    if flags.contains('x') {
                        return None;
                    }
                }
            }
        }
        let inner = self.alternation()?;
        if self.peek() != Some(')') {
            return None;
        }
        self.at += 1;
        Some(inner)
    }

    fn skip_class(&mut self) -> Option<()> {
        let mut depth = 1;
        // `]` first in a class (after an optional `^`) is a literal.
        if self.peek() == Some('^') {
            self.at += 1;
        }
        if self.peek() == Some(']') {
            self.at += 1;
        }
        while depth > 0 {
            match self.peek()? {
                '\\' => self.at += 2,
                '[' => {
                    depth += 1;
                    self.at += 1;
                    if self.peek() == Some('^') {
                        self.at += 1;
                    }
                    if self.peek() == Some(']') {
                        self.at += 1;
                    }
                }
                ']' => {
                    depth -= 1;
                    self.at += 1;
                }
                _ => self.at += 1,
            }
        }
        Some(())
    }

    fn escape(&mut self) -> Option<Node> {
        let c = self.peek()?;
        self.at += 1;
        match c {
            'b' | 'B' | 'A' | 'z' | '<' | '>' => {
                // `\b{start}` and friends.
                if c == 'b' && self.peek() == Some('{') {
                    while self.peek()? != '}' {
                        self.at += 1;
                    }
                    self.at += 1;
                }
                Some(Node::Empty)
            }
            'd' | 'D' | 'w' | 'W' | 's' | 'S' | 'p' | 'P' | 'x' | 'u' | 'U' => {
                if matches!(c, 'p' | 'P' | 'x' | 'u' | 'U') {
                    if self.peek() == Some('{') {
                        while self.peek()? != '}' {
                            self.at += 1;
                        }
                        self.at += 1;
                    } else {
                        let len = match c {
                            'p' | 'P' => 1,
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        self.at += len;
                        if self.at > self.chars.len() {
                            return None;
                        }
                    }
                }
                Some(Node::Any)
            }
            'n' => Some(Node::Lit("\n".into())),
            't' => Some(Node::Lit("\t".into())),
            c if c.is_ascii_alphanumeric() => None,
            c if comparable(c) => Some(Node::Lit(c.to_string())),
            _ => Some(Node::Any),
        }
    }
}

/// What is known of the strings a node matches.
#[derive(Debug, Clone, Default)]
struct Info {
    /// Every string it matches (may include the empty string).
    exact: Option<Vec<String>>,
    /// Non-empty strings one of which starts every match.
    prefix: Option<Vec<String>>,
    /// Non-empty strings one of which ends every match.
    suffix: Option<Vec<String>>,
    /// Non-empty strings one of which every match contains.
    inner: Option<Vec<String>>,
}

fn min_len(set: &[String]) -> usize {
    set.iter().map(String::len).min().unwrap_or(0)
}

/// A set with no empty string, or `None`.
fn nonempty(set: &Option<Vec<String>>) -> Option<Vec<String>> {
    set.as_ref()
        .filter(|s| !s.is_empty() && s.iter().all(|x| !x.is_empty()))
        .cloned()
}

fn cross(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() * b.len() > LIMIT {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            out.push(s);
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

fn union(sets: impl IntoIterator<Item = Option<Vec<String>>>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for set in sets {
        out.extend(set?);
        if out.len() > 4 * LIMIT {
            return None;
        }
    }
    out.sort_unstable();
    out.dedup();
    (out.len() <= LIMIT).then_some(out)
}

/// The better of two factor sets: the longer shortest string, then the fewer strings.
fn better(a: Option<Vec<String>>, b: Option<Vec<String>>) -> Option<Vec<String>> {
    match (a, b) {
        (Some(a), Some(b)) => {
            let key = |s: &Vec<String>| (min_len(s), std::cmp::Reverse(s.len()));
            Some(if key(&b) > key(&a) { b } else { a })
        }
        (a, b) => a.or(b),
    }
}

impl Info {
    /// Fill in what the exact set implies.
    fn normalised(mut self) -> Info {
        if let Some(exact) = nonempty(&self.exact) {
            self.prefix = better(self.prefix, Some(exact.clone()));
            self.suffix = better(self.suffix, Some(exact.clone()));
            self.inner = better(self.inner, Some(exact));
        }
        self.inner = better(
            better(self.inner.take(), self.prefix.clone()),
            self.suffix.clone(),
        );
        self
    }
}

fn analyse(node: &Node) -> Info {
    match node {
        Node::Empty => Info {
            exact: Some(vec![String::new()]),
            ..Info::default()
        },
        Node::Lit(run) => Info {
            exact: Some(vec![run.clone()]),
            ..Info::default()
        }
        .normalised(),
        Node::Any => Info::default(),
        Node::Alt(alts) => {
            let infos: Vec<Info> = alts.iter().map(analyse).collect();
            Info {
                exact: union(infos.iter().map(|i| i.exact.clone())),
                prefix: union(infos.iter().map(|i| i.prefix.clone())),
                suffix: union(infos.iter().map(|i| i.suffix.clone())),
                inner: union(infos.iter().map(|i| i.inner.clone())),
            }
            .normalised()
        }
        Node::Concat(items) => {
            let mut acc = analyse(&Node::Empty);
            for item in items {
                acc = concat(acc, analyse(item));
            }
            acc
        }
        Node::Repeat(inner, min, max) => {
            let info = analyse(inner);
            match (min, max) {
                (1, Some(1)) => info,
                (0, Some(1)) => Info {
                    exact: union([info.exact, Some(vec![String::new()])]),
                    ..Info::default()
                },
                (0, _) => Info::default(),
                _ => Info {
                    exact: None,
                    prefix: info.prefix,
                    suffix: info.suffix,
                    inner: info.inner,
                }
                .normalised(),
            }
        }
    }
}

fn concat(a: Info, b: Info) -> Info {
    let exact = match (&a.exact, &b.exact) {
        (Some(x), Some(y)) => cross(x, y),
        _ => None,
    };
    let a_has_empty = a
        .exact
        .as_ref()
        .is_some_and(|e| e.iter().any(String::is_empty));
    let b_has_empty = b
        .exact
        .as_ref()
        .is_some_and(|e| e.iter().any(String::is_empty));
    let prefix = match &a.exact {
        Some(ae) => match &b.prefix {
            Some(bp) => {
                cross(ae, bp).or_else(|| (!a_has_empty).then(|| a.prefix.clone()).flatten())
            }
            None if !a_has_empty => a.prefix.clone(),
            None => None,
        },
        None => a.prefix.clone(),
    };
    let suffix = match &b.exact {
        Some(be) => match &a.suffix {
            Some(asuf) => {
                cross(asuf, be).or_else(|| (!b_has_empty).then(|| b.suffix.clone()).flatten())
            }
            None if !b_has_empty => b.suffix.clone(),
            None => None,
        },
        None => b.suffix.clone(),
    };
    let joint = match (&a.suffix, &b.prefix) {
        (Some(x), Some(y)) => cross(x, y),
        _ => None,
    };
    let inner = better(better(a.inner, b.inner), joint);
    Info {
        exact,
        prefix,
        suffix,
        inner,
    }
    .normalised()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Option<(Vec<String>, bool, bool)> {
        factors(p).map(|f| {
            let mut l = f.literals;
            l.sort();
            (l, f.prefix, f.suffix)
        })
    }

    fn v(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_phrases_are_their_own_literal() {
        assert_eq!(
            lits("paid partnership"),
            Some((v(&["paid partnership"]), true, true))
        );
        assert_eq!(lits("I earn (?:a )?commissions?").unwrap().0.len(), 4);
        assert_eq!(
            lits("(?:ad|ads|advert)"),
            Some((v(&["ad", "ads", "advert"]), true, true))
        );
    }

    #[test]
    fn placeholders_leave_the_literal_around_them() {
        assert_eq!(
            lits("{giver} gifted me"),
            Some((v(&[" gifted me"]), false, true))
        );
        assert_eq!(
            lits("gifted (?:by|from) {giver}"),
            Some((v(&["gifted by ", "gifted from "]), true, false))
        );
        let (l, prefix, _) = lits("{giver} gave me [^.!?\\n]{0,60}?(?:for free|to try)").unwrap();
        assert!(!prefix);
        assert_eq!(l, v(&[" gave me "]));
    }

    #[test]
    fn letters_beyond_ascii_are_never_part_of_a_literal() {
        // `é` matches `É` under `(?i)`: only the ASCII part before it is searched for.
        assert_eq!(lits("publicité"), Some((v(&["publicit"]), true, false)));
        assert_eq!(lits("提供"), Some((v(&["提供"]), true, true)));
        assert_eq!(lits("\\p{L}+"), None);
        assert_eq!(lits("(?x) a b"), None);
    }
}
