//! Values built once per type and kept for the program's life: the field
//! table and the clap command of each argument struct.
//!
//! Generated code could keep each in a `static` of its own, but a `static`
//! with its `OnceLock` costs about as much compile time as ten fields, and
//! a flattened group pays it again per group; one cache here, keyed by type,
//! is written once.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{OnceLock, PoisonError, RwLock};

type Cache = RwLock<HashMap<TypeId, &'static (dyn Any + Send + Sync)>>;

/// The value of type `T` for key type `K`, built by `build` the first time.
///
/// `build` runs outside the lock (building a struct's table builds its
/// groups' tables); if two threads race, both build and the first stored
/// is kept.
pub(crate) fn per_type<K: 'static, T: Send + Sync + 'static>(build: impl FnOnce() -> T) -> &'static T {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let key = TypeId::of::<(K, T)>();
    let found = cache.read().unwrap_or_else(PoisonError::into_inner).get(&key).copied();
    let value = match found {
        Some(value) => value,
        None => {
            let built: &'static T = Box::leak(Box::new(build()));
            *cache.write().unwrap_or_else(PoisonError::into_inner).entry(key).or_insert(built)
        }
    };
    value.downcast_ref().expect("the cache is keyed by the value's type")
}
