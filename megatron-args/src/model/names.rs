//! Typed argument names: `#[derive(MegatronArgs)]` generates, per struct,
//! a table of its arguments' names (`TrainArgs::NAMES.lr`, of type
//! `TrainArgsNames`), so that a derivation or a check naming an argument
//! is checked when it is compiled. Strings stay for names that come from
//! files and users. A leaf of the model: what needs the field table
//! (`ArgName::info`) is in `args.rs`.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

/// The name of an argument of `A`, checked at compile time: only the derive
/// makes one, from the fields of `A` (and of the groups `A` flattens), so a
/// misspelt name does not compile.
///
/// Take one from the generated table, `A::NAMES` (a struct with a field per
/// argument and a nested table per flattened group):
///
/// ```
/// use clap::Parser;
/// use megatron_args::{ArgName, FieldClass, MegatronArgs};
///
/// #[derive(clap::Args, MegatronArgs, Clone, Debug, PartialEq)]
/// struct Optimizer {
///     #[arg(long, default_value_t = 1e-6)]
///     lr: f64,
/// }
///
/// #[derive(Parser, MegatronArgs, Clone, Debug, PartialEq)]
/// struct TrainArgs {
///     #[command(flatten)]
///     optimizer: Optimizer,
///     #[arg(long = "tp", default_value_t = 1)]
///     #[topology]
///     tensor_model_parallel_size: u32,
/// }
///
/// let tp: ArgName<TrainArgs> = TrainArgs::NAMES.tensor_model_parallel_size;
/// assert_eq!(tp.name(), "tensor_model_parallel_size");
/// assert_eq!((tp.info().flag, tp.info().class), ("--tp", FieldClass::Topology));
/// // A group's names, as names of the struct that flattens it.
/// assert_eq!(TrainArgs::NAMES.optimizer.lr.info().flag, "--lr");
/// assert_eq!(Optimizer::NAMES.lr.name(), "lr");
/// ```
pub struct ArgName<A> {
    name: &'static str,
    _args: PhantomData<fn() -> A>,
}

impl<A> ArgName<A> {
    /// Made by the generated table only.
    #[doc(hidden)]
    pub const fn __new(name: &'static str) -> Self {
        ArgName { name, _args: PhantomData }
    }

    /// The argument's name, as the file writes it.
    pub const fn name(self) -> &'static str {
        self.name
    }
}

impl<A> Clone for ArgName<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A> Copy for ArgName<A> {}

impl<A> PartialEq for ArgName<A> {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<A> Eq for ArgName<A> {}

impl<A> fmt::Debug for ArgName<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ArgName({:?})", self.name)
    }
}

impl<A> fmt::Display for ArgName<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A generated table of typed names, `<Struct>Names<A>`: its names are
/// names of `A`, the struct itself or one that flattens it.
#[doc(hidden)]
pub trait NamesTable: 'static {
    /// The table.
    const __REF: &'static Self;
}

/// A struct with a generated table of names, for the table of a struct that
/// flattens it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `MegatronArgs`",
    note = "add `#[derive(MegatronArgs)]` to `{Self}`"
)]
pub trait HasArgNames {
    /// The table, its names being names of `A`.
    type Names<A: 'static>: NamesTable;
}

/// The names of a flattened group `G` as names of `A`, the struct that
/// flattens it: the group's table, through `Deref`
/// (`TrainArgs::NAMES.optimizer.lr`).
#[doc(hidden)]
pub struct GroupNames<G, A> {
    _group: PhantomData<fn() -> (G, A)>,
}

impl<G, A> GroupNames<G, A> {
    /// Made by the generated table only.
    pub const fn __new() -> Self {
        GroupNames { _group: PhantomData }
    }
}

impl<G, A> Clone for GroupNames<G, A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<G, A> Copy for GroupNames<G, A> {}

impl<G: HasArgNames, A: 'static> Deref for GroupNames<G, A> {
    type Target = G::Names<A>;

    fn deref(&self) -> &G::Names<A> {
        <G::Names<A> as NamesTable>::__REF
    }
}
