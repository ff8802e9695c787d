//! Conditions in rule files: a tiny boolean language over named facts.
//!
//! `when = "needs-disclosure and not clear and not (weak-a or weak-b)"`. Atoms are term-list
//! names (true when the list has a match), fact names from `[facts]`, the built-in facts
//! (`declared-sponsored`, `declared-not-sponsored`, `video-platform`, `platform-label`) and `head(list)` (true
//! when a match of the list ends inside the fold). Parsing resolves every name, so a typo is a
//! rule-file error with a span, never a silent `false` at run time.

use std::ops::Range;

/// A parsed condition. Names are resolved to indices by the caller's resolver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Atom(Atom),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// A resolved name in a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Atom {
    /// A term list has at least one match.
    List(usize),
    /// A term list has a match that ends inside the head.
    InHead(usize),
    /// A `[facts]` entry.
    Fact(usize),
    DeclaredSponsored,
    DeclaredNotSponsored,
    VideoPlatform,
    /// The platform's own "Paid partnership" label is shown on the post.
    PlatformLabel,
}

/// What a name in a condition refers to, as decided by the pack being compiled.
pub enum Resolved {
    List(usize),
    Fact(usize),
}

/// A parse error: what went wrong and where (byte range within the expression string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub message: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Ident(&'a str),
    LParen,
    RParen,
}

fn lex(src: &str) -> Result<Vec<(Tok<'_>, Range<usize>)>, ExprError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' || c == ')' {
            chars.next();
            let tok = if c == '(' { Tok::LParen } else { Tok::RParen };
            out.push((tok, i..i + 1));
        } else if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '-' || d == '_' || d == '.' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push((Tok::Ident(&src[i..end]), i..end));
        } else {
            return Err(ExprError {
                message: format!("unexpected character `{c}` in condition"),
                span: i..i + c.len_utf8(),
            });
        }
    }
    Ok(out)
}

struct Parser<'a, 'r> {
    toks: Vec<(Tok<'a>, Range<usize>)>,
    pos: usize,
    end: usize,
    resolve: &'r dyn Fn(&str) -> Option<Resolved>,
}

impl<'a> Parser<'a, '_> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.pos).map(|(t, _)| t.clone())
    }

    fn span(&self) -> Range<usize> {
        self.toks
            .get(self.pos)
            .map_or(self.end..self.end, |(_, s)| s.clone())
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            message: message.into(),
            span: self.span(),
        })
    }

    fn keyword(&mut self, word: &str) -> bool {
        if self.peek() == Some(Tok::Ident(word)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.and()?];
        while self.keyword("or") {
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.not()?];
        while self.keyword("and") {
            items.push(self.not()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if self.keyword("not") {
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let span = self.span();
        match self.peek() {
            Some(Tok::LParen) => {
                self.pos += 1;
                let inner = self.or()?;
                if self.peek() != Some(Tok::RParen) {
                    return self.err("expected `)`");
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Tok::Ident(name)) if !matches!(name, "and" | "or" | "not") => {
                self.pos += 1;
                if name == "head" && self.peek() == Some(Tok::LParen) {
                    self.pos += 1;
                    let arg_span = self.span();
                    let Some(Tok::Ident(list)) = self.peek() else {
                        return self.err("expected a term-list name inside `head(...)`");
                    };
                    self.pos += 1;
                    if self.peek() != Some(Tok::RParen) {
                        return self.err("expected `)`");
                    }
                    self.pos += 1;
                    return match (self.resolve)(list) {
                        Some(Resolved::List(i)) => Ok(Expr::Atom(Atom::InHead(i))),
                        _ => Err(ExprError {
                            message: format!("`{list}` is not a term list"),
                            span: arg_span,
                        }),
                    };
                }
                let atom = match name {
                    "declared-sponsored" => Atom::DeclaredSponsored,
                    "declared-not-sponsored" => Atom::DeclaredNotSponsored,
                    "video-platform" => Atom::VideoPlatform,
                    "platform-label" => Atom::PlatformLabel,
                    _ => match (self.resolve)(name) {
                        Some(Resolved::List(i)) => Atom::List(i),
                        Some(Resolved::Fact(i)) => Atom::Fact(i),
                        None => {
                            return Err(ExprError {
                                message: format!("unknown term list or fact `{name}`"),
                                span,
                            });
                        }
                    },
                };
                Ok(Expr::Atom(atom))
            }
            _ => self.err("expected a name, `not` or `(`"),
        }
    }
}

/// Parse a condition, resolving names with `resolve`.
pub fn parse(src: &str, resolve: &dyn Fn(&str) -> Option<Resolved>) -> Result<Expr, ExprError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        end: src.len(),
        resolve,
    };
    let expr = p.or()?;
    if p.pos != p.toks.len() {
        return p.err("expected `and`, `or` or the end of the condition");
    }
    Ok(expr)
}

impl Expr {
    /// Evaluate with `atom` deciding each atom. Short-circuits left to right.
    pub fn eval(&self, atom: &mut dyn FnMut(Atom) -> bool) -> bool {
        match self {
            Expr::Atom(a) => atom(*a),
            Expr::Not(e) => !e.eval(atom),
            Expr::And(items) => items.iter().all(|e| e.eval(atom)),
            Expr::Or(items) => items.iter().any(|e| e.eval(atom)),
        }
    }

    /// Every atom the condition mentions (for dependency checks).
    pub fn atoms(&self, out: &mut Vec<Atom>) {
        match self {
            Expr::Atom(a) => out.push(*a),
            Expr::Not(e) => e.atoms(out),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|e| e.atoms(out)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(name: &str) -> Option<Resolved> {
        match name {
            "clear" => Some(Resolved::List(0)),
            "signal" => Some(Resolved::List(1)),
            "needs" => Some(Resolved::Fact(0)),
            _ => None,
        }
    }

    #[test]
    fn precedence_is_not_and_or() {
        let e = parse("not clear and signal or needs", &resolve).unwrap();
        assert_eq!(
            e,
            Expr::Or(vec![
                Expr::And(vec![
                    Expr::Not(Box::new(Expr::Atom(Atom::List(0)))),
                    Expr::Atom(Atom::List(1))
                ]),
                Expr::Atom(Atom::Fact(0))
            ])
        );
    }

    #[test]
    fn unknown_names_point_at_the_name() {
        let err = parse("clear and signl", &resolve).unwrap_err();
        assert_eq!(err.span, 10..15);
        assert!(err.message.contains("signl"));
    }

    #[test]
    fn head_takes_a_list() {
        let e = parse("head(clear) and declared-sponsored", &resolve).unwrap();
        let mut atoms = Vec::new();
        e.atoms(&mut atoms);
        assert_eq!(atoms, vec![Atom::InHead(0), Atom::DeclaredSponsored]);
        assert!(parse("head(needs)", &resolve).is_err());
        assert!(parse("(clear", &resolve).is_err());
    }
}
