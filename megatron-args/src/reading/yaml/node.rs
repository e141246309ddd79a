//! The positioned tree the YAML layer gives, and its problems.

use yaml_rust2::scanner::Marker;

use crate::model::value::Value;

/// Deeper nesting than this is rejected (the format needs about six levels).
pub(crate) const MAX_DEPTH: usize = 64;
/// Nodes that alias expansion may create in one document; bounds alias bombs.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// What slime's reader says in messages.
pub(super) const SLIME_READER: &str = "slime's YAML reader (PyYAML `safe_load`, YAML 1.1)";

/// A position in the text: 1-based line and column, and the width to mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) len: usize,
}

impl Mark {
    pub(super) fn at(marker: &Marker, len: usize) -> Self {
        Mark { line: marker.line(), column: marker.col() + 1, len }
    }
}

/// The position of byte `offset` of `text`, counting line breaks as the
/// scanner does (`\n`, `\r\n`, a lone `\r`).
pub(crate) fn mark_of_offset(text: &str, offset: usize) -> Mark {
    let before = &text[..offset];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = 1
        + before.matches('\n').count()
        + before.match_indices('\r').filter(|(i, _)| !before[i + 1..].starts_with('\n')).count();
    Mark { line, column: before[line_start..].chars().count() + 1, len: 1 }
}

/// A node of the document with its position.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) kind: NodeKind,
    pub(crate) mark: Mark,
}

#[derive(Clone, Debug)]
pub(crate) enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A scalar: its text as written (unescaped), its value, and slime's
/// reading of it where that differs.
#[derive(Clone, Debug)]
pub(crate) struct Scalar {
    pub(crate) text: String,
    /// The value this loader reads: YAML 1.2's core schema, plus `_` between
    /// digits, which both readers take as a number (SPEC 2.9).
    pub(crate) value: Value,
    /// What PyYAML makes of the scalar, when that is not `value`.
    pub(crate) yaml11: Option<Reading11>,
    /// Written plain and untagged (`<<` is then a merge key).
    pub(crate) plain: bool,
}

/// PyYAML's reading of a scalar.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Reading11 {
    /// A value of the kinds this loader knows.
    Value(Value),
    /// A date or time (`2001-12-14`), which no argument takes.
    Timestamp,
}

impl Reading11 {
    pub(super) fn describe(&self) -> String {
        match self {
            Reading11::Value(v) => v.describe(),
            Reading11::Timestamp => "a date".to_string(),
        }
    }
}

impl Node {
    /// The scalar's text when the node is a string-valued scalar.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar(Scalar { value: Value::String(s), .. }) => Some(s),
            _ => None,
        }
    }

    /// What kind of node this is, for messages.
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            NodeKind::Scalar(s) => s.value.describe(),
            NodeKind::Seq(_) => "a list".to_string(),
            NodeKind::Map(_) => "a mapping".to_string(),
        }
    }

    /// The node as a [`Value`]; mappings have no value form, so the error is
    /// the position of the first mapping found.
    pub(crate) fn to_value(&self) -> Result<Value, &Node> {
        match &self.kind {
            NodeKind::Scalar(s) => Ok(s.value.clone()),
            NodeKind::Seq(items) => {
                items.iter().map(Node::to_value).collect::<Result<_, _>>().map(Value::List)
            }
            NodeKind::Map(_) => Err(self),
        }
    }

    /// The first scalar (in file order) that slime's reader reads otherwise.
    pub(crate) fn first_read_otherwise(&self) -> Option<(&Node, &Scalar, &Reading11)> {
        match &self.kind {
            NodeKind::Scalar(s) => s.yaml11.as_ref().map(|r| (self, s, r)),
            NodeKind::Seq(items) => items.iter().find_map(Node::first_read_otherwise),
            NodeKind::Map(entries) => entries
                .iter()
                .find_map(|(k, v)| k.first_read_otherwise().or_else(|| v.first_read_otherwise())),
        }
    }

    /// The node as slime's reader reads it; `None` when some scalar has no
    /// value form there (a date), or the node holds a mapping.
    pub(crate) fn to_value_yaml11(&self) -> Option<Value> {
        match &self.kind {
            NodeKind::Scalar(s) => match &s.yaml11 {
                None => Some(s.value.clone()),
                Some(Reading11::Value(v)) => Some(v.clone()),
                Some(Reading11::Timestamp) => None,
            },
            NodeKind::Seq(items) => {
                items.iter().map(Node::to_value_yaml11).collect::<Option<_>>().map(Value::List)
            }
            NodeKind::Map(_) => None,
        }
    }

    /// The node under list index path `path` (for element error locations).
    pub(crate) fn at_path(&self, path: &[usize]) -> &Node {
        match (path.split_first(), &self.kind) {
            (Some((first, rest)), NodeKind::Seq(items)) if *first < items.len() => {
                items[*first].at_path(rest)
            }
            _ => self,
        }
    }
}

/// How slime's reading of `scalar` differs, for messages: "`010` is integer 8
/// to slime's YAML reader (...), and integer 10 in YAML 1.2".
pub(crate) fn read_otherwise_message(scalar: &Scalar, reading: &Reading11) -> String {
    format!(
        "`{}` is {} to {SLIME_READER}, and {} in YAML 1.2",
        scalar.text,
        reading.describe(),
        scalar.value.describe()
    )
}

/// A problem the YAML layer found, with its position.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct YamlError {
    pub(crate) kind: YamlErrorKind,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) mark: Mark,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum YamlErrorKind {
    Syntax,
    TooComplex,
    Unsupported,
    /// Valid YAML 1.2 that slime's reader refuses or reads as another file.
    RefusedBySlime,
}

impl YamlError {
    pub(super) fn new(kind: YamlErrorKind, message: impl Into<String>, mark: Mark) -> Self {
        YamlError { kind, message: message.into(), help: None, mark }
    }

    pub(super) fn slime(message: impl Into<String>, help: impl Into<String>, mark: Mark) -> Self {
        YamlError {
            kind: YamlErrorKind::RefusedBySlime,
            message: message.into(),
            help: Some(help.into()),
            mark,
        }
    }
}
