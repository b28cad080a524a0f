//! qmlc: a compiler and simulator for variational quantum circuit models written in the `.qml` language.

pub mod analysis;
pub mod ast;
pub mod builtins;
pub mod check;
pub mod codes;
pub mod diagnostic;
pub mod draw;
pub mod fmt;
pub mod grad;
pub mod ir;
pub mod lexer;
mod lower;
pub mod opt;
pub mod params;
pub mod parser;
pub mod qasm;
pub mod render;
pub mod session;
pub mod sim;
pub mod source;
pub mod specs;
pub mod stack;
pub mod train;
