//! The YAML boundary: text in, a tree of positioned nodes out (and values
//! back out as YAML flow text, for templates).
//!
//! This is the only module that reads or writes YAML text. It reads the event
//! stream of `yaml-rust2` (a YAML 1.2 parser that gives every event a line and
//! column) and resolves plain scalars itself. The same file is also read by
//! slime, with PyYAML's `safe_load` (YAML 1.1), so every scalar gets both
//! readings ([`Scalar::value`], [`Scalar::yaml11`]), and what PyYAML refuses
//! outright (tabs where its scanner stops, control characters, a repeated
//! anchor, ...) is found here before the file is used (SPEC 2.8).
//!
//! The parser was chosen by measurement (`yaml-test-suite` at 6ad3d2c, 402
//! inputs; and the 10,088 files of `scripts/yaml_differential.py`, seed 11,
//! each parser on its own, before any of the checks of this module):
//!
//! | parser            | errors rejected | valid accepted | PyYAML refuses, parser accepts | PyYAML reads, parser refuses | panics |
//! |-------------------|-----------------|----------------|--------------------------------|------------------------------|--------|
//! | yaml-rust2 0.13   | 94/94           | 308/308        | 1181/2216                      | 6/7872                       | 0      |
//! | saphyr-parser 0.3 | 94/94           | 308/308        | 1187/2216                      | 12/7872                      | 0      |
//! | libyaml-safer 0.3 | 78/94           | 255/308        | 1129/2216                      | 8/7872                       | yes    |
//!
//! libyaml (the C loader's parser) is YAML 1.1 but not PyYAML's pure-Python
//! scanner either (it allows tabs PyYAML refuses), misses 16 error cases and
//! refuses 53 valid ones; its safe port panics on some inputs. saphyr-parser
//! (yaml-rust2's successor) conforms equally, with the same EOF block-scalar
//! bug; yaml-rust2 was kept: no new dependency, and what no parser matches
//! (the YAML 1.1 readings) is modelled here anyway.
//!
//! The parts, each a question of its own:
//! - `node`: the positioned tree this module gives ([`Node`], [`Mark`]) and
//!   its problems ([`YamlError`]);
//! - `parse`: driving yaml-rust2's event stream into that tree, with the
//!   checks of the whole text PyYAML makes first;
//! - `tokens`: the token pre-pass, for what the event stream hides (anchor
//!   names, tags before flow indicators, tabs, block scalars at the end);
//! - `yaml11`: the scalar readings, YAML 1.2's core schema and PyYAML's
//!   YAML 1.1 resolvers, that make a file mean what it means to slime; and
//!   values written back as flow text.

mod node;
mod parse;
mod tokens;
mod yaml11;

#[cfg(test)]
mod tests;

pub(crate) use node::{
    mark_of_offset, read_otherwise_message, Mark, Node, NodeKind, Scalar, YamlError, YamlErrorKind,
};
pub(crate) use parse::parse;
pub(crate) use yaml11::flow_value;
#[cfg(test)]
use yaml11::resolve_plain;
