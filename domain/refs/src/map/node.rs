//! A YAML document as the occurrence map's reader sees it: the adapter parses the file into a
//! [`Node`] (keys in file order), the domain judges it.

use skitty_artifacts::pyjson::{python_float_repr, python_str_repr};

/// One YAML value.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order (a repeated key is the parser's error, never seen here).
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The value under a string key of a mapping (Python's `dict.get`: `None` for an absent
    /// key, for a non-mapping, and, as `Some(Node::Null)`, a key without a value).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(k, Node::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// `dict.get(key)` is not None.
    pub(crate) fn present(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|v| **v != Node::Null)
    }

    /// Python's `bool(value)`.
    pub fn truthy(&self) -> bool {
        match self {
            Node::Null => false,
            Node::Bool(b) => *b,
            Node::Int(i) => *i != 0,
            Node::Float(f) => *f != 0.0,
            Node::Str(s) => !s.is_empty(),
            Node::Seq(items) => !items.is_empty(),
            Node::Map(entries) => !entries.is_empty(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A string with something besides whitespace in it.
    pub(crate) fn nonblank(&self) -> Option<&str> {
        self.as_str().filter(|s| !s.trim().is_empty())
    }

    /// Python's `str(value)`, as spec-kitty's messages print values.
    pub fn python_str(&self) -> String {
        match self {
            Node::Str(s) => s.clone(),
            other => other.python_repr(),
        }
    }

    /// Python's `repr(value)`.
    pub fn python_repr(&self) -> String {
        match self {
            Node::Null => "None".to_owned(),
            Node::Bool(true) => "True".to_owned(),
            Node::Bool(false) => "False".to_owned(),
            Node::Int(i) => i.to_string(),
            Node::Float(f) => python_float(*f),
            Node::Str(s) => python_str_repr(s),
            Node::Seq(items) => {
                let inner: Vec<String> = items.iter().map(Node::python_repr).collect();
                format!("[{}]", inner.join(", "))
            }
            Node::Map(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", k.python_repr(), v.python_repr()))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }
}

fn python_float(f: f64) -> String {
    if f.is_nan() {
        "nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { "inf" } else { "-inf" }.to_owned()
    } else {
        python_float_repr(f)
    }
}
