//! The builtin scope as data: one table per kind of builtin (gates, templates, observables, functions, measurements, head layers, losses, optimizers, data sets, initializers, train fields, constants, keywords).
//!
//! The checker, `qmlc explain` and the generated reference in docs/language.md read these tables,
//! so a builtin's name, arguments and doc are written once.

pub mod gates;
pub mod matrices;
