//! Reads clap's own attributes (`#[arg]`, `#[command]`, `#[clap]`) the way
//! clap_derive reads them, so that a clap struct needs nothing repeated for
//! this derive. Reading is lenient: clap checks its own attributes, and this
//! derive must never reject what clap accepts, so unknown keys and values it
//! cannot read statically are ignored.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use syn::ext::IdentExt;
use syn::parse::{discouraged::Speculative, Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Ident, Lit, Token};

/// clap's `rename_all` styles (clap_derive's `CasingStyle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Casing {
    Camel,
    #[default]
    Kebab,
    Pascal,
    ScreamingSnake,
    Snake,
    Lower,
    Upper,
    Verbatim,
}

impl Casing {
    /// As clap_derive's `CasingStyle::from_lit`; `None` for a style clap
    /// rejects (clap reports it).
    fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_upper_camel_case().to_lowercase().as_str() {
            "camel" | "camelcase" => Casing::Camel,
            "kebab" | "kebabcase" => Casing::Kebab,
            "pascal" | "pascalcase" => Casing::Pascal,
            "screamingsnake" | "screamingsnakecase" => Casing::ScreamingSnake,
            "snake" | "snakecase" => Casing::Snake,
            "lower" | "lowercase" => Casing::Lower,
            "upper" | "uppercase" => Casing::Upper,
            "verbatim" | "verbatimcase" => Casing::Verbatim,
            _ => return None,
        })
    }

    /// The long flag clap derives from a field name (`Name::translate`).
    pub fn long(self, ident: &str) -> String {
        match self {
            Casing::Pascal => ident.to_upper_camel_case(),
            Casing::Kebab => ident.to_kebab_case(),
            Casing::Camel => ident.to_lower_camel_case(),
            Casing::ScreamingSnake => ident.to_shouty_snake_case(),
            Casing::Snake => ident.to_snake_case(),
            Casing::Lower => ident.to_snake_case().replace('_', ""),
            Casing::Upper => ident.to_shouty_snake_case().replace('_', ""),
            Casing::Verbatim => ident.to_string(),
        }
    }

    /// The short flag clap derives from a field name (`Name::translate_char`).
    pub fn short(self, ident: &str) -> Option<char> {
        let word = match self {
            Casing::Lower => ident.to_snake_case(),
            Casing::Upper => ident.to_shouty_snake_case(),
            other => other.long(ident),
        };
        word.chars().next()
    }
}

/// What kind of member clap makes of a field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ClapKind {
    /// An argument.
    #[default]
    Arg,
    /// `flatten`: a group of arguments.
    Flatten,
    /// `subcommand`, `external_subcommand`, `skip`, `from_global`: not an
    /// argument of this command.
    NotAnArg(&'static str),
}

/// clap's `ArgAction`, as far as the derive can see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Set,
    Append,
    SetTrue,
    SetFalse,
    Count,
    Help,
    Version,
}

impl Action {
    pub fn variant(self) -> &'static str {
        match self {
            Action::Set => "Set",
            Action::Append => "Append",
            Action::SetTrue => "SetTrue",
            Action::SetFalse => "SetFalse",
            Action::Count => "Count",
            Action::Help => "Help",
            Action::Version => "Version",
        }
    }
}

/// What clap's attributes on the struct say.
#[derive(Default)]
pub struct ClapStruct {
    /// `rename_all`.
    pub casing: Casing,
    /// Whether the struct or any field carries a clap attribute at all.
    pub any: bool,
    /// The ids the struct's groups name (`#[group(requires = "...")]`,
    /// `#[command(group(...))]`).
    pub relations: Relations,
}

/// What clap's relation attributes (`requires`, `conflicts_with`,
/// `required_if_eq`, `required_unless_present`, `exclusive`, `group`, ...)
/// name: the runtime checks a role's relations only when it changes an
/// argument they involve.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Relations {
    /// Whether any relation attribute was written.
    pub any: bool,
    /// Every string literal in their values: the ids they name (a value
    /// taken for an id names no argument, and costs nothing).
    pub named: Vec<String>,
    /// A value that is not literals alone (a constant, a predicate): the
    /// arguments it names cannot be read here.
    pub unreadable: bool,
}

impl Relations {
    /// Reads `item` if its key is a relation's.
    fn read(&mut self, key: &str, item: &Item) {
        const KEYS: [&str; 8] = [
            "requires",
            "required_if",
            "required_unless",
            "conflicts_with",
            "exclusive",
            "group",
            "groups",
            "required",
        ];
        if KEYS.iter().any(|k| key.starts_with(k)) {
            self.read_values(item);
        }
    }

    /// Every value of `item` names ids (all of `#[group(...)]`'s do: its
    /// own, its `requires`, its `conflicts_with`, its `args`).
    fn read_values(&mut self, item: &Item) {
        self.any = true;
        let values = item.value.iter().chain(item.call.iter().flatten());
        for value in values {
            if !literal_strings(value, &mut self.named) {
                self.unreadable = true;
            }
        }
    }
}

/// Collects the string literals of `expr` into `out`; false when `expr` is
/// not made of literals alone (in arrays, tuples, references, parentheses).
fn literal_strings(expr: &Expr, out: &mut Vec<String>) -> bool {
    match expr {
        Expr::Lit(lit) => {
            if let Lit::Str(s) = &lit.lit {
                out.push(s.value());
            }
            true
        }
        Expr::Array(array) => array.elems.iter().all(|e| literal_strings(e, out)),
        Expr::Tuple(tuple) => tuple.elems.iter().all(|e| literal_strings(e, out)),
        Expr::Reference(r) => literal_strings(&r.expr, out),
        Expr::Paren(p) => literal_strings(&p.expr, out),
        Expr::Group(g) => literal_strings(&g.expr, out),
        // `ArgGroup::new("weights").multiple(false).args(["a", "b"])`: a
        // group built in the attribute, from literals.
        Expr::Call(call) => {
            let is_new = matches!(&*call.func, Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "new"));
            is_new && call.args.iter().all(|e| literal_strings(e, out))
        }
        Expr::MethodCall(call) => {
            const BUILDERS: [&str; 10] = [
                "id",
                "arg",
                "args",
                "multiple",
                "required",
                "requires",
                "requires_all",
                "conflicts_with",
                "conflicts_with_all",
                "is_multiple",
            ];
            BUILDERS.iter().any(|m| call.method == m)
                && literal_strings(&call.receiver, out)
                && call.args.iter().all(|e| literal_strings(e, out))
        }
        _ => false,
    }
}

/// What clap's attributes on a field say.
#[derive(Default)]
pub struct ClapField {
    pub any: bool,
    pub kind: ClapKind,
    /// `id = "..."` (or clap 3's `name = "..."`): clap's id, and the name
    /// a later bare `long`/`short` derives its flag from, used as written.
    pub id: Option<String>,
    /// `id = EXPR` (or `name = EXPR`) with a value that is no string literal
    /// (a constant): clap's id is the expression's value, known only when
    /// the program runs; the generated code hands it to the runtime.
    pub id_expr: Option<Expr>,
    /// `long` or `long = "..."`.
    pub long: Option<Flag<String>>,
    /// `short` or `short = 'x'`.
    pub short: Option<Flag<char>>,
    /// Whether `long`/`short` was given in a form whose value cannot be read
    /// statically (`long = CONST`); the field is still not positional.
    pub named_flag: bool,
    pub value_name: Option<String>,
    pub aliases: Vec<String>,
    pub short_aliases: Vec<char>,
    pub action: Option<Action>,
    pub value_delimiter: Option<char>,
    pub casing: Option<Casing>,
    /// `value_parser = ...`: the field has its own parser.
    pub value_parser: Option<Expr>,
    /// The relations the argument takes part in.
    pub relations: Relations,
    /// `id = EXPR` (or `name`) with a value that is not a literal.
    pub id_unreadable: bool,
}

/// A `long` or `short` flag as clap_derive reads it.
#[derive(Clone)]
pub enum Flag<T> {
    /// `long = "..."`, `short = 'x'`.
    Given(T),
    /// A bare `long`/`short`: derived from the name *as it stands when the
    /// key is read* (clap_derive's `push_attrs`): the `id`/`name` given
    /// before it, used as written, else the field name in the `rename_all`
    /// casing given before it on the field (`None`: the struct's). So
    /// `long, short, name = "NAME=VALUE"` gives `--setting`/`-s` and only the
    /// id `NAME=VALUE`.
    Derived { id: Option<String>, casing: Option<Casing> },
    /// `long = EXPR`, `short = EXPR`, or a bare flag after `id = EXPR`:
    /// the flag is the expression's value (a short flag its first
    /// character), known only when the program runs.
    Expr(Expr),
}

/// One `key`, `key = value` or `key(args)` of a clap attribute.
struct Item {
    key: Ident,
    value: Option<Expr>,
    call: Option<Punctuated<Expr, Token![,]>>,
}

impl Parse for Item {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        let mut item = Item { key, value: None, call: None };
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            item.value = Some(match literal_value(input) {
                Some(lit) => Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit }),
                None => input.parse()?,
            });
        } else if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            item.call = Some(content.parse_terminated(Expr::parse, Token![,])?);
        }
        Ok(item)
    }
}

/// A value that is one literal (`help = "..."`, `default_value_t = 1e-6`),
/// read without syn's expression parser: most values are literals, and
/// parsing them as expressions was a large part of the derive's own time.
fn literal_value(input: ParseStream) -> Option<Lit> {
    if !input.peek(Lit) {
        return None;
    }
    let fork = input.fork();
    let lit: Lit = fork.parse().ok()?;
    if !(fork.is_empty() || fork.peek(Token![,])) {
        return None;
    }
    input.advance_to(&fork);
    Some(lit)
}

impl Item {
    /// The one value of `key = v` or `key(v)`.
    fn single(&self) -> Option<&Expr> {
        match (&self.value, &self.call) {
            (Some(value), _) => Some(value),
            (None, Some(args)) if args.len() == 1 => args.first(),
            _ => None,
        }
    }

    fn has_value(&self) -> bool {
        self.value.is_some() || self.call.is_some()
    }

    /// Every value of `key = [a, b]`, `key = a`, or `key(a, b)`.
    fn values(&self) -> Vec<&Expr> {
        match (&self.value, &self.call) {
            (Some(Expr::Array(array)), _) => array.elems.iter().collect(),
            (Some(Expr::Reference(r)), _) => match &*r.expr {
                Expr::Array(array) => array.elems.iter().collect(),
                other => vec![other],
            },
            (Some(value), _) => vec![value],
            (None, Some(args)) => args.iter().collect(),
            (None, None) => Vec::new(),
        }
    }
}

fn is_clap_attribute(attr: &Attribute) -> bool {
    let path = attr.path();
    path.is_ident("arg") || path.is_ident("command") || path.is_ident("clap")
}

/// The items of every clap attribute; an attribute that does not parse is
/// skipped (clap reports it).
fn items(attrs: &[Attribute]) -> Vec<Item> {
    attrs
        .iter()
        .filter(|a| is_clap_attribute(a))
        .filter_map(|a| a.parse_args_with(Punctuated::<Item, Token![,]>::parse_terminated).ok())
        .flatten()
        .collect()
}

fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Group(group) => string(&group.expr),
        _ => None,
    }
}

fn character(expr: &Expr) -> Option<char> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Char(c) => Some(c.value()),
            _ => None,
        },
        Expr::Group(group) => character(&group.expr),
        _ => None,
    }
}

/// A string literal's value, or the expression clap evaluates (a constant).
fn literal_or_expr(value: &Expr) -> (Option<String>, Option<Expr>) {
    match string(value) {
        Some(text) => (Some(text), None),
        None => (None, Some(value.clone())),
    }
}

/// `ArgAction::Count`, `clap::ArgAction::Count`, `Count`.
fn action(expr: &Expr) -> Option<Action> {
    let Expr::Path(path) = expr else { return None };
    let last = path.path.segments.last()?.ident.to_string();
    Some(match last.as_str() {
        "Set" => Action::Set,
        "Append" => Action::Append,
        "SetTrue" => Action::SetTrue,
        "SetFalse" => Action::SetFalse,
        "Count" => Action::Count,
        "Help" | "HelpShort" | "HelpLong" => Action::Help,
        "Version" => Action::Version,
        _ => return None,
    })
}

impl ClapStruct {
    pub fn from_ast(attrs: &[Attribute]) -> Self {
        let mut out = ClapStruct { any: attrs.iter().any(is_clap_attribute), ..ClapStruct::default() };
        for item in items(attrs) {
            if item.key == "rename_all" {
                if let Some(casing) = item.single().and_then(string).and_then(|s| Casing::from_name(&s)) {
                    out.casing = casing;
                }
            } else if item.key == "group" || item.key == "groups" {
                out.relations.read_values(&item);
            }
        }
        for attr in attrs.iter().filter(|a| a.path().is_ident("group")) {
            match attr.parse_args_with(Punctuated::<Item, Token![,]>::parse_terminated) {
                Ok(items) => items.iter().for_each(|item| out.relations.read_values(item)),
                Err(_) => out.relations.unreadable = true,
            }
        }
        out
    }
}

impl ClapField {
    pub fn from_ast(attrs: &[Attribute]) -> Self {
        let mut out = ClapField { any: attrs.iter().any(is_clap_attribute), ..ClapField::default() };
        for item in items(attrs) {
            out.read(&item);
        }
        out
    }

    fn read(&mut self, item: &Item) {
        let key = item.key.unraw().to_string();
        match key.as_str() {
            "flatten" if !item.has_value() => self.kind = ClapKind::Flatten,
            "subcommand" if !item.has_value() => self.kind = ClapKind::NotAnArg("subcommand"),
            "external_subcommand" => self.kind = ClapKind::NotAnArg("external_subcommand"),
            "from_global" => self.kind = ClapKind::NotAnArg("from_global"),
            "skip" => self.kind = ClapKind::NotAnArg("skip"),
            "id" | "name" => {
                if let Some(value) = item.single() {
                    (self.id, self.id_expr) = literal_or_expr(value);
                    self.id_unreadable = self.id_expr.is_some();
                }
            }
            "long" => {
                self.named_flag = true;
                self.long = match item.single() {
                    None if !item.has_value() => Some(self.derived()),
                    Some(value) => Some(string(value).map_or_else(|| Flag::Expr(value.clone()), Flag::Given)),
                    None => None,
                };
            }
            "short" => {
                self.named_flag = true;
                self.short = match item.single() {
                    None if !item.has_value() => Some(self.derived()),
                    Some(value) => {
                        Some(character(value).map_or_else(|| Flag::Expr(value.clone()), Flag::Given))
                    }
                    None => None,
                };
            }
            "value_name" => self.value_name = item.single().and_then(string),
            "alias" | "aliases" | "visible_alias" | "visible_aliases" => {
                self.aliases.extend(item.values().into_iter().filter_map(string));
            }
            "short_alias" | "short_aliases" | "visible_short_alias" | "visible_short_aliases" => {
                self.short_aliases.extend(item.values().into_iter().filter_map(character));
            }
            "action" => self.action = item.single().and_then(action),
            "value_delimiter" => self.value_delimiter = item.single().and_then(character),
            "rename_all" => self.casing = item.single().and_then(string).and_then(|s| Casing::from_name(&s)),
            "value_parser" => self.value_parser = item.single().cloned(),
            other => self.relations.read(other, item),
        }
    }

    /// A bare flag's name as it stands now.
    fn derived<T>(&self) -> Flag<T> {
        match &self.id_expr {
            Some(id) => Flag::Expr(id.clone()),
            None => Flag::Derived { id: self.id.clone(), casing: self.casing },
        }
    }

    /// Whether some name of the argument is an expression the runtime
    /// evaluates (`id = CONST`, `long = CONST`).
    pub fn has_dynamic_names(&self) -> bool {
        self.id_expr.is_some()
            || matches!(self.long, Some(Flag::Expr(_)))
            || matches!(self.short, Some(Flag::Expr(_)))
    }

    /// Whether clap makes the field a positional argument: an argument given
    /// neither `long` nor `short` (clap_derive's `is_positional`).
    pub fn is_positional(&self) -> bool {
        self.kind == ClapKind::Arg && !self.named_flag
    }
}

/// What a variant of a `Subcommand` enum is to clap.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VariantKind {
    /// A subcommand.
    #[default]
    Subcommand,
    /// `flatten`: the subcommands of the enum it holds.
    Flatten,
    /// `skip`: not a subcommand.
    Skip,
    /// `external_subcommand`: any other subcommand, as words.
    External,
}

/// What clap's attributes on a subcommand enum's variant say.
#[derive(Default)]
pub struct ClapVariant {
    /// `name = "..."`: the subcommand's name, used as written.
    pub name: Option<String>,
    /// `name = EXPR` (a constant): the subcommand's name is the
    /// expression's value, which the generated code uses.
    pub name_expr: Option<Expr>,
    pub kind: VariantKind,
    /// `rename_all` on the variant: the casing of its inline fields' flags.
    pub casing: Option<Casing>,
}

impl ClapVariant {
    pub fn from_ast(attrs: &[Attribute]) -> Self {
        let mut out = ClapVariant::default();
        for item in items(attrs) {
            match item.key.unraw().to_string().as_str() {
                "name" => {
                    if let Some(value) = item.single() {
                        (out.name, out.name_expr) = literal_or_expr(value);
                    }
                }
                "rename_all" => {
                    out.casing = item.single().and_then(string).and_then(|s| Casing::from_name(&s))
                }
                "flatten" if !item.has_value() => out.kind = VariantKind::Flatten,
                "skip" => out.kind = VariantKind::Skip,
                "external_subcommand" => out.kind = VariantKind::External,
                _ => {}
            }
        }
        out
    }
}
