//! OpenQASM interchange: `export` writes a circuit as OpenQASM 3, `import` reads OpenQASM 2 and 3 into a `.qml` program.

pub mod export;
pub mod import;
